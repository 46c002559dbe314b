import Foundation
import WaiaasCustody

/// A waiaasd child process on a private development home.
final class DaemonProcess {
    let process: Process
    let socketPath: String
    let home: String
    let agent: String

    private init(process: Process, socketPath: String, home: String, agent: String) {
        self.process = process
        self.socketPath = socketPath
        self.home = home
        self.agent = agent
    }

    static func start(executable: String, home: String) throws -> DaemonProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--dev", "--home", home, "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The banner ends with the line saying where it listens.
        var agent = ""
        while true {
            let line = output.fileHandleForReading.readLine()
            if line.hasPrefix("agent: ") { agent = String(line.dropFirst(7)) }
            if line.contains("listening on") { break }
            if line.isEmpty, !process.isRunning {
                throw BenchError("waiaasd did not start")
            }
        }
        return DaemonProcess(process: process, socketPath: HomeLayout(home).socket, home: home, agent: agent)
    }

    /// Resident memory of the daemon, from /proc.
    var residentMegabytes: Double { statusField("VmRSS:") / 1024 }

    /// The most resident memory the daemon has had (VmHWM), from /proc.
    var peakResidentMegabytes: Double { statusField("VmHWM:") / 1024 }

    /// User plus system CPU time of all the daemon's threads so far.
    var cpuSeconds: Double { ProcessCPU.seconds(pid: process.processIdentifier) }

    private func statusField(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes
    }

    /// SIGTERM (a graceful stop), SIGKILL after 10 s, and reap.
    /// (Foundation's waitUntilExit spins a run loop, which an async context
    /// does not have.)
    func stop() {
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<1000 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(10_000)
        }
        FileHandle.standardError.write(Data("bench: waiaasd did not stop on SIGTERM in 10 s; killing it\n".utf8))
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}

extension FileHandle {
    /// Reads up to a newline (or end of file).
    func readLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
