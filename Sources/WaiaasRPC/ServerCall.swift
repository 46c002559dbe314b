import NIOCore

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
