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
