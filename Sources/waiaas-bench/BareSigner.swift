import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// waiaas-bare-signer started for the benchmark: the floor peer (ssh-agent's
/// protocol, libsodium, a thread per connection, nothing else), so the run
/// shows what transport plus signature alone cost on this machine.
final class BareSignerProcess {
    let socketPath: String
    let process: Process
    let directory: String

    init(executable: String) throws {
        directory = NSTemporaryDirectory() + "waiaas-bench-bare-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        socketPath = directory + "/bare.sock"
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [socketPath]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        guard output.fileHandleForReading.readLine() == "listening" else {
            throw BenchError("\(executable) did not start")
        }
    }

    /// User plus system CPU seconds of all its threads so far.
    var cpuSeconds: Double { ProcessCPU.seconds(pid: process.processIdentifier) }

    /// SIGKILL: it holds only a throwaway key made at start.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) < 0 && errno == EINTR {}
        try? FileManager.default.removeItem(atPath: directory)
    }
}
