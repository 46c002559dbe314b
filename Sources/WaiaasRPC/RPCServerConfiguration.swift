import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Everything the RPC server can be told; the defaults are the safe ones.
public struct RPCServerConfiguration: Sendable {
    public struct Limits: Sendable {
        /// Largest frame body accepted, checked on the length before buffering.
        public var maximumFrameSize = Framing.defaultMaximumFrameSize
        /// Calls in flight on one connection before RESOURCE_EXHAUSTED.
        public var maximumInFlightPerConnection = 256
        /// Open connections in total before RESOURCE_EXHAUSTED.
        public var maximumConnections = 1024
        /// A frame must arrive within this time of its first byte or the connection closes.
        public var partialFrameTimeout: TimeAmount = .seconds(10)
        /// Bytes of answers queued on one connection and not yet taken by the
        /// socket before the connection stops being read (one frame's worth).
        public var maximumQueuedOutboundBytes = Framing.defaultMaximumFrameSize
        /// A connection with no call in flight that neither sends nor takes a
        /// byte for this long is closed; nil: never.
        public var idleTimeout: TimeAmount? = .seconds(300)
        /// Deadline of a call that names none.
        public var defaultCallTimeout: TimeAmount = .seconds(30)
        /// No call may ask for a longer deadline than this.
        public var maximumCallTimeout: TimeAmount = .seconds(300)
        /// How long shutdown waits for calls in flight before closing anyway.
        public var shutdownGracePeriod: TimeAmount = .seconds(10)

        public init() {}
    }

    /// Path of the Unix socket.
    public var socketPath: String
    /// Peers whose uid is in this set may call; everyone else is refused.
    public var allowedUIDs: Set<UInt32>
    /// When set, the socket directory is 0750 and the socket 0660 for this group.
    public var socketGroup: UInt32?
    public var limits: Limits
    /// Event-loop threads; one per core by default.
    public var threads: Int

    public init(socketPath: String, allowedUIDs: Set<UInt32>? = nil, socketGroup: UInt32? = nil, limits: Limits = Limits(), threads: Int = System.coreCount) {
        self.socketPath = socketPath
        self.allowedUIDs = allowedUIDs ?? [UInt32(geteuid())]
        self.socketGroup = socketGroup
        self.limits = limits
        self.threads = threads
    }
}
