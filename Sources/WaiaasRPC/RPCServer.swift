internal import CWaiaasShims
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import WaiaasProto

#if canImport(Glibc)
import Glibc
#endif

/// The framed RPC server on a Unix socket.
///
/// Each accepted connection is checked twice before anything is read: the
/// peer's uid (SO_PEERCRED) against the allowed set, then the total
/// connection bound, which only allowed peers count against. A refused peer
/// gets one status frame on call id 0 and is closed. As a `Service`, it
/// stops accepting on graceful shutdown, lets the calls in flight finish
/// (bounded by the grace period), removes the socket and returns.
public final class RPCServer: Service, Sendable {
    public let configuration: RPCServerConfiguration
    private let service: RPCService
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let tracker = ConnectionTracker()
    private let bound: NIOLockedValueBoxChannel

    public var metrics: ServerMetrics { tracker }

    public init(configuration: RPCServerConfiguration, service: RPCService, logger: Logger) {
        self.configuration = configuration
        self.service = service
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        self.bound = NIOLockedValueBoxChannel()
    }

    /// Binds the socket; after this returns, clients can connect.
    public func start() async throws {
        try SocketPlacement.prepare(socketPath: configuration.socketPath, group: configuration.socketGroup)
        let configuration = self.configuration
        let service = self.service
        let tracker = self.tracker
        let logger = self.logger
        let queued = configuration.limits.maximumQueuedOutboundBytes
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // Unwritable past the answer budget, writable again at half of it,
            // as the dispatcher's own count (OutboundBudget).
            .childChannelOption(.writeBufferWaterMark, value: .init(low: max(1, queued / 2), high: max(1, queued)))
            .childChannelInitializer { channel in
                Self.initialize(channel, configuration: configuration, service: service, tracker: tracker, logger: logger)
            }
            .bind(unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: false)
            .get()
        try SocketPlacement.secureSocketFile(configuration.socketPath, group: configuration.socketGroup)
        bound.set(channel)
        logger.info("listening", metadata: ["socket": "\(configuration.socketPath)"])
    }

    /// Serves until graceful shutdown (SIGTERM/SIGINT through ServiceGroup).
    public func run() async throws {
        if bound.get() == nil {
            try await start()
        }
        guard let channel = bound.get() else { return }
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
        await drainAndStop()
    }

    /// Stops accepting, waits for calls in flight (bounded), closes every
    /// connection, removes the socket and stops the event loops.
    public func shutdown() async {
        if let channel = bound.get() {
            try? await channel.close()
        }
        await drainAndStop()
    }

    private func drainAndStop() async {
        let loop = group.next()
        let grace = configuration.limits.shutdownGracePeriod
        let idle = tracker.whenIdle(on: loop)
        let timeout = loop.scheduleTask(in: grace) {}
        // Whichever comes first: every call answered, or the grace period over.
        let drained = loop.makePromise(of: Void.self)
        idle.cascade(to: drained)
        timeout.futureResult.whenComplete { _ in drained.succeed() }
        try? await drained.futureResult.get()
        timeout.cancel()
        for child in tracker.allChannels() {
            try? await child.close()
        }
        if bound.take() != nil {
            unlink(configuration.socketPath)
            logger.info("stopped", metadata: ["socket": "\(configuration.socketPath)"])
        }
        tracker.stopLoops()
        try? await group.shutdownGracefully()
    }

    /// Sets up one accepted connection. `credentials` reads the peer's
    /// credentials: SO_PEERCRED, or a test's stand-in.
    static func initialize(
        _ channel: Channel, configuration: RPCServerConfiguration, service: RPCService,
        tracker: ConnectionTracker, logger: Logger,
        credentials: (Channel) -> EventLoopFuture<PeerCredentials> = readPeerCredentials
    ) -> EventLoopFuture<Void> {
        credentials(channel).flatMap { peer in
            // The uid before the bound: a peer that may not call must not
            // hold a connection slot, not even while it is being refused.
            guard configuration.allowedUIDs.contains(peer.uid) else {
                logger.info("connection refused: peer uid not allowed", metadata: ["peer_uid": "\(peer.uid)", "peer_pid": "\(peer.pid)"])
                return refuse(channel, Status(code: .unauthenticated, message: "peer uid \(peer.uid) is not allowed to use this wallet"))
            }
            guard tracker.admit(channel, limit: configuration.limits.maximumConnections) else {
                logger.info("connection refused: too many connections")
                return refuse(channel, Status(code: .resourceExhausted, message: "too many connections (limit \(configuration.limits.maximumConnections))"))
            }
            channel.closeFuture.whenComplete { _ in tracker.remove(channel) }
            return channel.eventLoop.makeCompletedFuture {
                let limits = configuration.limits
                try channel.pipeline.syncOperations.addHandler(FrameReader(maximumFrameSize: limits.maximumFrameSize, readTimeout: limits.partialFrameTimeout))
                try channel.pipeline.syncOperations.addHandler(CallDispatcher(service: service, limits: limits, peer: peer, tracker: tracker, logger: logger))
            }
        }.flatMapError { error in
            logger.info("connection refused: no peer credentials", metadata: ["error": "\(error)"])
            return refuse(channel, Status(code: .unauthenticated, message: "peer credentials unavailable"))
        }
    }

    static func readPeerCredentials(_ channel: Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(RPCError(.unauthenticated, "channel has no socket options"))
        }
        let credentials: EventLoopFuture<waiaas_peer_credentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(waiaas_so_peercred_level()),
            name: SocketOptionName(waiaas_so_peercred_name())
        )
        return credentials.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }

    private static func refuse(_ channel: Channel, _ status: Status) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RefusingHandler(status: status))
        }
    }
}

/// Answers a refused connection with one status frame, then closes it.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let status: Status

    init(status: Status) { self.status = status }

    func channelActive(context: ChannelHandlerContext) {
        let frame = Framing.frame(Envelope(callID: 0, status: status), allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Nothing a refused peer sends is read.
    }
}

/// The bound server channel, set once by `start` and taken once by shutdown.
final class NIOLockedValueBoxChannel: Sendable {
    private let box = NIOLockedValueBox<Channel?>(nil)
    func set(_ channel: Channel) { box.withLockedValue { $0 = channel } }
    func get() -> Channel? { box.withLockedValue { $0 } }
    func take() -> Channel? { box.withLockedValue { value in defer { value = nil }; return value } }
}
