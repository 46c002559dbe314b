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
