import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import WaiaasProto

/// A multiplexed client for the framed RPC: many calls in flight on one
/// connection, each with its own deadline, answers matched by call id.
///
/// Thread-safe; all connection state lives on one event loop.
public final class RPCClient: Sendable {
    private let channel: Channel
    private let handler: NIOLoopBound<ClientHandler>
    private let nextCallID = NIOLockedValueBox<UInt64>(1)
    private let ownedGroup: MultiThreadedEventLoopGroup?
    private let closed = NIOLockedValueBox(false)

    /// Connects to the daemon's socket. With no `group`, the client runs its
    /// own single event-loop thread and stops it on `close()`.
    public static func connect(socketPath: String, maximumFrameSize: Int = Framing.defaultMaximumFrameSize, group: EventLoopGroup? = nil) async throws -> RPCClient {
        let owned = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        let loopGroup: EventLoopGroup = group ?? owned!
        do {
            let channel = try await ClientBootstrap(group: loopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(FrameReader(maximumFrameSize: maximumFrameSize, readTimeout: .seconds(60)))
                        try channel.pipeline.syncOperations.addHandler(ClientHandler())
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .get()
            let handler = try await channel.eventLoop.submit {
                try NIOLoopBound(channel.pipeline.syncOperations.handler(type: ClientHandler.self), eventLoop: channel.eventLoop)
            }.get()
            return RPCClient(channel: channel, handler: handler, ownedGroup: owned)
        } catch {
            try? await owned?.shutdownGracefully()
            throw RPCError(.unavailable, "cannot connect to \(socketPath): \(error)")
        }
    }

    private init(channel: Channel, handler: NIOLoopBound<ClientHandler>, ownedGroup: MultiThreadedEventLoopGroup?) {
        self.channel = channel
        self.handler = handler
        self.ownedGroup = ownedGroup
    }

    /// Calls `method` and returns the response payload; a non-OK status
    /// throws `RPCError`. `timeout` travels to the server as the deadline and
    /// also bounds the wait here.
    public func call(method: String, payload: [UInt8], timeout: Duration = .seconds(30), metadata: [String: String] = [:]) async throws(RPCError) -> [UInt8] {
        let callID = nextCallID.withLockedValue { id in defer { id &+= 1; if id == 0 { id = 1 } }; return id }
        let milliseconds = max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let envelope = Envelope(callID: callID, method: method, payload: payload, timeoutMilliseconds: UInt32(clamping: milliseconds), metadata: metadata)
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        let handler = self.handler
        let channel = self.channel
        channel.eventLoop.execute {
            handler.value.send(envelope, promise: promise, timeout: .milliseconds(milliseconds), channel: channel)
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.unavailable, "call failed: \(error)")
        }
    }

    /// Closes the connection; calls still in flight fail with UNAVAILABLE.
    public func close() async {
        let alreadyClosed = closed.withLockedValue { closed in defer { closed = true }; return closed }
        guard !alreadyClosed else { return }
        try? await channel.close()
        try? await ownedGroup?.shutdownGracefully()
    }
}

/// Matches answers to calls by id, on the client's event loop.
final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<[UInt8]>
        var timer: Scheduled<Void>
    }

    private var pending: [UInt64: Pending] = [:]
    private var closedStatus: Status?

    func send(_ envelope: Envelope, promise: EventLoopPromise<[UInt8]>, timeout: TimeAmount, channel: Channel) {
        if let closedStatus {
            promise.fail(RPCError(closedStatus))
            return
        }
        let callID = envelope.callID
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.complete(callID: callID, with: .failure(RPCError(.deadlineExceeded, "no answer within \(timeout.nanoseconds / 1_000_000) ms")))
        }
        pending[callID] = Pending(promise: promise, timer: timer)
        channel.writeAndFlush(Framing.frame(envelope, allocator: channel.allocator), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = unwrapInboundIn(data)
        guard let envelope = try? Envelope(serializedBytes: Array(body.readableBytesView)) else {
            failAll(Status(code: .internal, message: "the daemon sent a frame that is not an envelope"))
            context.close(promise: nil)
            return
        }
        if envelope.callID == 0 {
            // A connection-level error: it applies to every call in flight.
            failAll(envelope.status ?? Status(code: .unknown, message: "connection error without status"))
            return
        }
        let status = envelope.status ?? Status(code: .internal, message: "answer without status")
        if status.statusCode == .ok {
            complete(callID: envelope.callID, with: .success(envelope.payload))
        } else {
            complete(callID: envelope.callID, with: .failure(RPCError(status)))
        }
    }

    func complete(callID: UInt64, with result: Result<[UInt8], RPCError>) {
        guard let call = pending.removeValue(forKey: callID) else { return }
        call.timer.cancel()
        call.promise.completeWith(result.mapError { $0 as Error })
    }

    private func failAll(_ status: Status) {
        closedStatus = closedStatus ?? status
        let calls = pending
        pending.removeAll()
        for (_, call) in calls {
            call.timer.cancel()
            call.promise.fail(RPCError(status))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(Status(code: .unavailable, message: "connection error: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(Status(code: .unavailable, message: "connection closed"))
        context.fireChannelInactive()
    }
}
