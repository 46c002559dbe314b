import Foundation
import NIOConcurrencyHelpers
import WaiaasSolana

/// How the daemon talks to its nodes; the same for every endpoint.
public struct RPCSettings: Sendable {
    /// The commitment every read asks for (`processed`, `confirmed` or `finalized`).
    public var commitment: Commitment = .confirmed
    /// Every call's whole budget, retries included.
    public var timeoutMilliseconds = 5_000
    /// How many times a call is tried when the transport fails before any answer.
    public var attempts = 3
    /// The first retry waits this long; each further one waits three times as long.
    public var backoffMilliseconds = 50
    /// No node's answer may be larger (a getMultipleAccounts of 256 full
    /// accounts, base64, is well under this).
    public var maximumAnswerBytes = 8 << 20

    public init() {}
}

public enum Commitment: String, Sendable, CaseIterable {
    case processed, confirmed, finalized
}

/// One operator-configured JSON-RPC endpoint: its URL, kept-alive libcurl
/// sessions, and the JSON-RPC envelope. Calls block their thread; callers
/// run them on a thread pool, never on an event loop.
public final class RPCEndpoint: Sendable {
    private let url: String
    /// `scheme://host:port`, for messages and logs: providers put API keys
    /// in the path or query, which must never reach either.
    public let name: String
    let settings: RPCSettings
    private let idle = NIOLockedValueBox<[CurlSession]>([])
    private let counters = NIOLockedValueBox(Counters())

    struct Counters {
        var nextID: UInt64 = 1
        var connections = 0
    }

    public init(url: String, settings: RPCSettings) throws(ChainError) {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty else {
            throw ChainError(.notConfigured, "an RPC URL must be http:// or https:// with a host")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw ChainError(.notConfigured, "an RPC URL must not carry a user or password (\(scheme)://\(host))")
        }
        self.url = url
        self.name = "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
        self.settings = settings
    }

    /// TCP connections opened so far (a kept-alive session opens one).
    public var connectionsOpened: Int { counters.withLockedValue { $0.connections } }

    /// Calls `method` and returns its `result`, or the reason there is none.
    public func call(_ method: String, _ params: JSONValue) throws(ChainError) -> JSONValue {
        let id = counters.withLockedValue { counters in
            defer { counters.nextID += 1 }
            return counters.nextID
        }
        let request = JSONValue.object([
            ("jsonrpc", .string("2.0")), ("id", .uint(id)), ("method", .string(method)), ("params", params),
        ])
        let body = Array(request.serialized().utf8)
        let started = DispatchTime.now().uptimeNanoseconds
        var delay = settings.backoffMilliseconds
        var attempt = 1
        while true {
            let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            let remaining = settings.timeoutMilliseconds - elapsed
            guard remaining > 0 else {
                throw ChainError(.transport, "\(name) did not answer \(method) within \(settings.timeoutMilliseconds) ms")
            }
            do {
                let answer = try post(body, timeoutMilliseconds: remaining)
                return try Self.result(of: answer, method: method, id: id, from: name)
            } catch where error.retryable && attempt < settings.attempts && remaining > delay {
                usleep(useconds_t(delay * 1000))
                delay *= 3
                attempt += 1
            } catch {
                throw ChainError(error.code, "\(name) \(method): \(error.message)", rpcCode: error.rpcCode)
            }
        }
    }

    private func post(_ body: [UInt8], timeoutMilliseconds: Int) throws(ChainError) -> CurlSession.Answer {
        let session: CurlSession
        if let reused = idle.withLockedValue({ $0.popLast() }) {
            session = reused
        } else {
            session = try CurlSession(url: url)
        }
        let (answer, connected) = try session.post(
            body, timeoutMilliseconds: timeoutMilliseconds, connectTimeoutMilliseconds: min(timeoutMilliseconds, 2_000),
            limit: settings.maximumAnswerBytes)
        // Only a session that finished a call cleanly is kept: a failed one
        // may hold a half-read connection.
        idle.withLockedValue { $0.append(session) }
        if connected { counters.withLockedValue { $0.connections += 1 } }
        return answer
    }

    /// The JSON-RPC 2.0 envelope, read strictly: HTTP 200, an object with
    /// our id, and exactly one of `result` and `error`.
    static func result(of answer: CurlSession.Answer, method: String, id: UInt64, from name: String) throws(ChainError) -> JSONValue {
        guard answer.status == 200 else {
            let excerpt = String(decoding: answer.body.prefix(120), as: UTF8.self).filter { !$0.isNewline }
            throw ChainError(.httpStatus, "HTTP \(answer.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
        let envelope: JSONValue
        do {
            envelope = try JSONValue.parse(answer.body)
        } catch {
            throw ChainError(.malformed, "the answer is not JSON (\(error))")
        }
        guard case .object = envelope, envelope["jsonrpc"] == .string("2.0") else {
            throw ChainError(.malformed, "the answer is not a JSON-RPC 2.0 object")
        }
        guard envelope["id"] == .uint(id) else {
            throw ChainError(.malformed, "the answer is for another request (id \(envelope["id"]?.serialized() ?? "missing"), not \(id))")
        }
        if let error = envelope["error"] {
            guard envelope["result"] == nil, case .int(let code)? = error["code"], case .string(let message)? = error["message"] else {
                throw ChainError(.malformed, "a JSON-RPC error without an integer code and a message")
            }
            throw ChainError(.rpcError, "JSON-RPC error \(code): \(String(message.prefix(300)))", rpcCode: code)
        }
        guard let result = envelope["result"] else {
            throw ChainError(.malformed, "the answer has neither a result nor an error")
        }
        return result
    }
}
