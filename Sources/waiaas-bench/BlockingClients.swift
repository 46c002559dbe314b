import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket connection: the same plain client for waiaasd and
/// for ssh-agent, one thread per connection, so both peers are measured the
/// same way.
final class BlockingSocket {
    let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw BenchError("connect \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send failed") }
            offset += n
        }
    }

    func read(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = out[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchError("connection closed") }
            offset += n
        }
        return out
    }

    /// One 4-byte big-endian length-prefixed frame (both protocols use it).
    func readFrame() throws -> [UInt8] {
        let header = try read(4)
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        return try read(length)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// OpenSSH's agent protocol, just enough to sign: list identities, sign.
final class SSHAgentClient {
    let socket: BlockingSocket
    let keyBlob: [UInt8]

    init(path: String) throws {
        socket = try BlockingSocket(path: path)
        try socket.write(Self.frame([11]))  // SSH2_AGENTC_REQUEST_IDENTITIES
        let answer = try socket.readFrame()
        guard answer.first == 12, answer.count > 9 else { throw BenchError("ssh-agent: no identities answer") }
        var offset = 5  // type, count
        let length = Self.u32(answer, offset)
        offset += 4
        keyBlob = Array(answer[offset..<offset + length])
    }

    func sign(_ data: [UInt8]) throws {
        var request: [UInt8] = [13]  // SSH2_AGENTC_SIGN_REQUEST
        request += Self.string(keyBlob) + Self.string(data) + [0, 0, 0, 0]
        try socket.write(Self.frame(request))
        let answer = try socket.readFrame()
        guard answer.first == 14 else { throw BenchError("ssh-agent refused to sign (type \(answer.first ?? 0))") }
    }

    static func frame(_ body: [UInt8]) -> [UInt8] { be32(body.count) + body }
    static func string(_ bytes: [UInt8]) -> [UInt8] { be32(bytes.count) + bytes }
    static func be32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func u32(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }
}

/// ssh-agent started for the benchmark with a temporary ed25519 key.
final class SSHAgentProcess: @unchecked Sendable {  // immutable after init
    let socketPath: String
    let process: Process
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "waiaas-bench-ssh-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        socketPath = directory + "/agent.sock"
        try Self.runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/key"])
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        process.arguments = ["-D", "-a", socketPath]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socketPath) { usleep(20_000) }
        var environment = ProcessInfo.processInfo.environment
        environment["SSH_AUTH_SOCK"] = socketPath
        try Self.runTool("/usr/bin/ssh-add", ["-q", directory + "/key"], environment: environment)
    }

    /// SIGKILL: the agent holds only a throwaway key, and a child started
    /// through Foundation may inherit a signal mask that blocks SIGTERM
    /// (seen here: the benchmark waited for ever on an agent that never died).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) < 0 && errno == EINTR {}
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a tool to completion with posix_spawn and waitpid. Foundation's
    /// `Process.waitUntilExit` can hang here for good (it waits on a run
    /// loop that the exit notification sometimes never reaches), which
    /// stalled a whole benchmark run.
    static func runTool(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("\(path) could not start: errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited normally (low 7 bits 0) with code 0.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else { throw BenchError("\(path) failed with status \(status)") }
    }
}
