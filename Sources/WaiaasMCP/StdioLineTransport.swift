import Foundation
import Logging
import MCP

#if canImport(Glibc)
import Glibc
#endif

/// stdin and stdout for `waiaas mcp`, in place of the SDK's StdioTransport,
/// for two guarantees that one does not give:
/// - **A line is bounded** (`maximumLineBytes`). A longer one is answered
///   with a JSON-RPC parse error and skipped up to its newline, so a host
///   cannot grow this process without limit (the SDK's reader kept the
///   whole line and scanned it again on every read).
/// - **Nothing already asked is dropped.** The SDK's server answers each
///   request in a task of its own and stops when the input ends, so a host
///   that wrote its last request and closed stdin lost the answer, even of
///   a transfer the daemon had signed and sent. Here the input ends for the
///   server only once every request read has been answered (or cancelled by
///   the host), or after `drainSeconds`.
///
/// The input is read on a thread of its own with blocking reads: no polling,
/// and no cooperative thread ever waits on stdin.
actor StdioLineTransport: Transport {
    static let maximumLineBytes = 1 << 20
    /// Longer than any call's deadline to the daemon, so a call in flight ends first.
    static let drainSeconds: Double = 150

    nonisolated let logger = Logger(label: "waiaas.mcp.stdio")
    private let input: Int32
    private let output: LineOutput
    private let unanswered = UnansweredRequests()
    private let stream: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private var reading = false

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = LineOutput(fd: output)
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !reading else { return }
        reading = true
        let (input, output, unanswered, continuation) = (input, output, unanswered, continuation)
        let thread = Thread {
            LineReader(input: input, output: output, unanswered: unanswered, continuation: continuation).run()
        }
        thread.name = "waiaas-mcp-stdin"
        thread.start()
    }

    func disconnect() async {
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        unanswered.noteSent(data)
        try output.writeLine(data)
    }

    func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        stream
    }
}

/// Cuts stdin into lines and hands them to the server, in order.
private struct LineReader {
    let input: Int32
    let output: LineOutput
    let unanswered: UnansweredRequests
    let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation

    func run() {
        var line: [UInt8] = []
        // Inside a line past the bound: its bytes are dropped until its newline.
        var skipping = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var start = 0
            while let newline = buffer[start..<count].firstIndex(of: UInt8(ascii: "\n")) {
                if skipping {
                    skipping = false
                } else if line.count + (newline - start) > StdioLineTransport.maximumLineBytes {
                    refuseOverlongLine()
                } else {
                    line.append(contentsOf: buffer[start..<newline])
                    deliver(line)
                }
                line.removeAll(keepingCapacity: line.count <= 64 * 1024)
                start = newline + 1
            }
            guard !skipping else { continue }
            line.append(contentsOf: buffer[start..<count])
            if line.count > StdioLineTransport.maximumLineBytes {
                line = []
                skipping = true
                refuseOverlongLine()
            }
        }
        // A last line without its newline is still a message.
        if !skipping { deliver(line) }
        if !unanswered.waitUntilNone(seconds: StdioLineTransport.drainSeconds) {
            FileHandle.standardError.write(Data("waiaas mcp: input closed; requests still unanswered after \(Int(StdioLineTransport.drainSeconds)) s are dropped\n".utf8))
        }
        continuation.finish()
    }

    private func deliver(_ line: [UInt8]) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        let data = Data(line)
        unanswered.noteReceived(data)
        continuation.yield(data)
    }

    /// JSON-RPC's parse error, with a null id: the line's own id was never read.
    private func refuseOverlongLine() {
        let message = #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"# + "\"a message longer than \(StdioLineTransport.maximumLineBytes) bytes was skipped\"}}"
        try? output.writeLine(Data(message.utf8))
    }
}

/// stdout, one whole line per write, from the server and the reader alike.
private final class LineOutput: Sendable {
    private let fd: Int32
    private let lock = NSLock()

    init(fd: Int32) { self.fd = fd }

    func writeLine(_ data: Data) throws {
        var bytes = [UInt8](data)
        bytes.append(UInt8(ascii: "\n"))
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)) }
            offset += written
        }
    }
}

/// The ids of requests read and not yet answered: what the end of input waits for.
private final class UnansweredRequests: @unchecked Sendable {
    // @unchecked Sendable: `ids` is only touched with `condition` held.
    private let condition = NSCondition()
    private var ids: Set<ID> = []

    /// What a line says about itself: a request has an id and a method; a
    /// response has an id and no method; the host's cancellation names a request.
    private struct Probe: Decodable {
        struct Cancelled: Decodable { var requestId: ID? }
        var id: ID?
        var method: String?
        var params: Cancelled?

        // Each field on its own: a request whose params are not an object is still a request.
        private enum Keys: String, CodingKey { case id, method, params }
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            id = try? container.decodeIfPresent(ID.self, forKey: .id)
            method = try? container.decodeIfPresent(String.self, forKey: .method)
            params = try? container.decodeIfPresent(Cancelled.self, forKey: .params)
        }
    }

    func noteReceived(_ line: Data) {
        guard let probe = try? JSONDecoder().decode(Probe.self, from: line) else { return }
        condition.lock()
        defer { condition.unlock() }
        if probe.method == "notifications/cancelled", let cancelled = probe.params?.requestId {
            // The server does not answer a cancelled request.
            ids.remove(cancelled)
            condition.broadcast()
        } else if let id = probe.id, probe.method != nil {
            ids.insert(id)
        }
    }

    func noteSent(_ message: Data) {
        guard let probe = try? JSONDecoder().decode(Probe.self, from: message), let id = probe.id, probe.method == nil else { return }
        condition.lock()
        defer { condition.unlock() }
        ids.remove(id)
        condition.broadcast()
    }

    /// False when some are still unanswered at the deadline.
    func waitUntilNone(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !ids.isEmpty {
            if !condition.wait(until: deadline) { return ids.isEmpty }
        }
        return true
    }
}
