import NIOCore
import WaiaasProto

/// Who is calling: the credentials the kernel recorded for the peer process.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// One incoming call, as a handler sees it.
public struct ServerCall: Sendable {
    public var callID: UInt64
    public var method: String
    public var payload: [UInt8]
    public var metadata: [String: String]
    public var peer: PeerCredentials
    /// When the caller stops waiting; a handler may give up past it.
    public var deadline: NIODeadline
    /// Names the connection the call came on, unique for the server's
    /// lifetime (for limits kept per connection).
    public var connection: UInt64 = 0
}

/// A call's outcome: response bytes, or a non-OK status.
public typealias CallResult = Result<[UInt8], RPCError>

/// A failed call: the status the caller receives.
public struct RPCError: Error, Equatable, CustomStringConvertible {
    public var status: Status

    public init(_ status: Status) { self.status = status }

    public init(_ code: StatusCode, _ message: String, reasons: [Reason] = []) {
        self.status = Status(code: code, message: message, reasons: reasons)
    }

    public var code: StatusCode { status.statusCode }
    public var description: String { "\(status.statusCode.name): \(status.message)" }
}

/// How a method is served.
public enum MethodHandler: Sendable {
    /// Runs on the connection's event loop and answers at once: for work of a
    /// few microseconds that never blocks (status, dry runs). Avoids any
    /// thread hop, which on this machine costs more than the work itself.
    case immediate(@Sendable (ServerCall) -> CallResult)
    /// Runs as a Swift task, for work that waits (disk, network, batches).
    case async(@Sendable (ServerCall) async -> CallResult)
    /// Starts on the connection's event loop and answers through the
    /// responder, once, from any thread: at once when the answer is quick
    /// (a refusal, a dry run), or later from the thread that finishes the
    /// work (the ledger's commit). No task and no trip through the
    /// cooperative pool: on this machine those hops cost more than a
    /// signature. The start must not block.
    case deferred(@Sendable (ServerCall, CallResponder) -> Void)
}

/// Delivers a deferred call's answer to its connection. Only the first
/// answer counts (a later one, or one after the deadline, is dropped).
public struct CallResponder: Sendable {
    private let deliver: @Sendable (CallResult) -> Void

    public init(_ deliver: @escaping @Sendable (CallResult) -> Void) { self.deliver = deliver }

    public func callAsFunction(_ result: CallResult) { deliver(result) }
}

/// A set of methods the server dispatches to by path.
public protocol RPCService: Sendable {
    /// The handler for `method`, or nil when the method does not exist.
    func handler(for method: String) -> MethodHandler?
}

/// Live counters the server keeps, for status and tests.
public protocol ServerMetrics: Sendable {
    var openConnections: Int { get }
    var callsInFlight: Int { get }
}
