import Logging
import NIOConcurrencyHelpers
import NIOCore
import WaiaasProto

/// Reads envelopes from frame bodies, runs calls concurrently, and writes
/// their answers in whatever order they finish.
///
/// All state lives on the connection's event loop. Bounds: at most
/// `maximumInFlight` calls at once (excess calls are answered
/// RESOURCE_EXHAUSTED at once, never queued), a call id may not be reused
/// while in flight, and every call has a deadline after which it is answered
/// DEADLINE_EXCEEDED and its late result dropped.
///
/// Answers queued and not yet written are bounded too (`OutboundBudget`):
/// at the bound, or when the channel is not writable, the frame reader is
/// told to stop reading. A connection with no call in flight that neither
/// sends nor takes a byte for `idleTimeout` is closed.
final class CallDispatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct InFlight {
        var method: String
        var deadline: NIODeadline
        var timeout: TimeAmount
    }

    /// Where the connection is in its life, as NIO's handlers keep it: one
    /// state, each transition in one place.
    private enum State {
        /// Serving calls.
        case open(ReadBurst)
        /// The peer has closed its input: the calls in flight are answered,
        /// then the connection closes.
        case draining
        /// Closing: nothing more is read or answered.
        case closing

        var isClosing: Bool {
            if case .closing = self { return true }
            return false
        }
    }

    /// Answers made inside one read burst are flushed once, at its end.
    private struct ReadBurst {
        var reading = false
        var flushPending = false
    }

    private let service: RPCService
    private let limits: RPCServerConfiguration.Limits
    private let peer: PeerCredentials
    /// Names this connection in each `ServerCall` (see `ServerCall.connection`).
    private let connection: UInt64
    private static let nextConnection = NIOLockedValueBox<UInt64>(0)
    private let tracker: ConnectionTracker
    private let logger: Logger
    private var inFlight: [UInt64: InFlight] = [:]
    private var state = State.open(ReadBurst())
    private var budget: OutboundBudget
    /// The last byte received or written, or call finished: the idle clock.
    private var lastActivity: NIODeadline = .uptimeNanoseconds(0)
    private var idleTimer: Scheduled<Void>?
    /// One timer for every deadline on the connection, set for the earliest.
    /// A timer per call cost about 5 µs of a Sign's 95 on the event loop
    /// (scheduling, the heap, cancelling and failing its promise: make bench's
    /// profile); calls mostly share the default timeout, so a later call
    /// rarely moves it, and a finished call leaves it alone.
    private var deadlineTimer: (fires: NIODeadline, task: Scheduled<Void>)?

    init(service: RPCService, limits: RPCServerConfiguration.Limits, peer: PeerCredentials, tracker: ConnectionTracker, logger: Logger) {
        self.connection = Self.nextConnection.withLockedValue { n in
            n += 1
            return n
        }
        self.service = service
        self.limits = limits
        self.peer = peer
        self.tracker = tracker
        self.logger = logger
        self.budget = OutboundBudget(limit: limits.maximumQueuedOutboundBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lastActivity = context.eventLoop.now
        if let timeout = limits.idleTimeout {
            scheduleIdleCheck(at: lastActivity + timeout, context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open(var burst) = state else { return }
        let body = unwrapInboundIn(data)
        let envelope: Envelope
        do {
            envelope = try Envelope(serializedBytes: Array(body.readableBytesView))
        } catch {
            protocolError(context: context, .undecodableEnvelope(error.description))
            return
        }
        burst.reading = true
        state = .open(burst)
        start(envelope, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastActivity = context.eventLoop.now
        if case .open(let burst) = state {
            state = .open(ReadBurst())
            if burst.flushPending { context.flush() }
        }
        context.fireChannelReadComplete()
    }

    private func start(_ envelope: Envelope, context: ChannelHandlerContext) {
        let callID = envelope.callID
        guard callID != 0 else {
            protocolError(context: context, .undecodableEnvelope("call id 0 is reserved for connection errors"))
            return
        }
        guard inFlight[callID] == nil else {
            // The first call with this id goes on; only the duplicate is refused.
            answer(callID: callID, method: envelope.method, .failure(RPCError(.invalidArgument, "call id \(callID) is already in flight on this connection")), context: context)
            return
        }
        guard inFlight.count < limits.maximumInFlightPerConnection else {
            answer(callID: callID, method: envelope.method, .failure(RPCError(.resourceExhausted, "too many calls in flight on this connection (limit \(limits.maximumInFlightPerConnection))")), context: context)
            return
        }
        guard let handler = service.handler(for: envelope.method) else {
            let shown = envelope.method.isEmpty ? "(empty)" : envelope.method
            answer(callID: callID, method: envelope.method, .failure(RPCError(.unimplemented, "unknown method \(shown)")), context: context)
            return
        }
        let timeout = envelope.timeoutMilliseconds == 0
            ? limits.defaultCallTimeout
            : min(.milliseconds(Int64(envelope.timeoutMilliseconds)), limits.maximumCallTimeout)
        let call = ServerCall(
            callID: callID, method: envelope.method, payload: envelope.payload,
            metadata: envelope.metadata, peer: peer, deadline: .now() + timeout, connection: connection
        )
        switch handler {
        case .immediate(let run):
            answer(callID: callID, method: call.method, run(call), context: context)
        case .async(let run):
            track(callID: callID, method: call.method, timeout: timeout, context: context)
            let responder = responder(callID: callID, method: call.method, context: context)
            Task { responder(await run(call)) }
        case .deferred(let run):
            track(callID: callID, method: call.method, timeout: timeout, context: context)
            run(call, responder(callID: callID, method: call.method, context: context))
        }
    }

    /// Finishes a tracked call from any thread: at once on the event loop,
    /// else by a hop to it (never onto a loop that is stopping).
    private func responder(callID: UInt64, method: String, context: ChannelHandlerContext) -> CallResponder {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let tracker = self.tracker
        @Sendable func finish(_ result: CallResult) {
            let (dispatcher, context) = loopBound.value
            dispatcher.finish(callID: callID, method: method, result, context: context)
        }
        return CallResponder { result in
            if eventLoop.inEventLoop {
                finish(result)
            } else {
                tracker.execute(on: eventLoop) { finish(result) }
            }
        }
    }

    private func track(callID: UInt64, method: String, timeout: TimeAmount, context: ChannelHandlerContext) {
        let deadline = context.eventLoop.now + timeout
        inFlight[callID] = InFlight(method: method, deadline: deadline, timeout: timeout)
        tracker.callStarted()
        if let timer = deadlineTimer, timer.fires <= deadline { return }
        scheduleDeadlineCheck(at: deadline, context: context)
    }

    private func scheduleDeadlineCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        deadlineTimer?.task.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: deadline) {
            let (dispatcher, context) = loopBound.value
            dispatcher.expireCalls(context: context)
        }
        deadlineTimer = (deadline, task)
    }

    /// Answers every call past its deadline, then sets the timer for the
    /// earliest deadline left (at most `maximumInFlightPerConnection` to scan).
    private func expireCalls(context: ChannelHandlerContext) {
        deadlineTimer = nil
        let now = context.eventLoop.now
        let expired = inFlight.filter { $0.value.deadline <= now }
        for (callID, call) in expired.sorted(by: { $0.value.deadline < $1.value.deadline }) {
            let milliseconds = call.timeout.nanoseconds / 1_000_000
            finish(callID: callID, method: call.method, .failure(RPCError(.deadlineExceeded, "deadline of \(milliseconds) ms exceeded")), context: context)
        }
        if let next = inFlight.values.lazy.map(\.deadline).min() {
            scheduleDeadlineCheck(at: next, context: context)
        }
    }

    /// Completes a tracked call once: the first of result and deadline wins.
    private func finish(callID: UInt64, method: String, _ result: CallResult, context: ChannelHandlerContext) {
        guard inFlight.removeValue(forKey: callID) != nil else { return }
        tracker.callFinished()
        lastActivity = context.eventLoop.now
        answer(callID: callID, method: method, result, context: context)
        if case .draining = state, inFlight.isEmpty {
            closeAfterPendingWrites(context: context)
        }
    }

    private func answer(callID: UInt64, method: String, _ result: CallResult, context: ChannelHandlerContext) {
        guard context.channel.isActive, !state.isClosing else { return }
        var envelope = Envelope(callID: callID, method: method)
        switch result {
        case .success(let payload):
            envelope.payload = payload
            envelope.status = .ok
        case .failure(let error):
            envelope.status = error.status
        }
        write(Framing.frame(envelope, allocator: context.channel.allocator), context: context)
        if case .open(var burst) = state, burst.reading {
            burst.flushPending = true  // flushed once per read burst, in channelReadComplete
            state = .open(burst)
        } else {
            context.flush()
        }
    }

    /// A frame that cannot be read ends the connection: one status frame on
    /// call id 0, then close. Other connections are untouched.
    private func protocolError(context: ChannelHandlerContext, _ error: FrameError) {
        guard !state.isClosing else { return }
        logger.info("protocol error, closing connection", metadata: ["error": "\(error)", "peer_uid": "\(peer.uid)"])
        let envelope = Envelope(callID: 0, status: error.status)
        state = .closing
        let written = write(Framing.frame(envelope, allocator: context.channel.allocator), context: context)
        context.flush()
        written.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let frameError = error as? FrameError {
            protocolError(context: context, frameError)
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, case .open(let burst) = state {
            // The peer is done sending; answer what is in flight, then close.
            state = .draining
            if burst.flushPending { context.flush() }
            if inFlight.isEmpty { closeAfterPendingWrites(context: context) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Closes once every answer written so far has reached the socket: an
    /// empty write completes only after the writes queued before it.
    private func closeAfterPendingWrites(context: ChannelHandlerContext) {
        state = .closing
        let written = write(context.channel.allocator.buffer(capacity: 0), context: context)
        context.flush()
        written.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        deadlineTimer?.task.cancel()
        deadlineTimer = nil
        for _ in inFlight { tracker.callFinished() }
        inFlight.removeAll()
        context.fireChannelInactive()
    }

    // MARK: writing and back-pressure

    /// Writes one frame, counting its bytes against the budget until the
    /// socket has taken them. The only way this handler writes.
    @discardableResult
    private func write(_ frame: ByteBuffer, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        let bytes = frame.readableBytes
        budget.queued(bytes)
        let promise = context.eventLoop.makePromise(of: Void.self)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { _ in
            let (dispatcher, context) = loopBound.value
            dispatcher.budget.written(bytes)
            dispatcher.lastActivity = context.eventLoop.now
            dispatcher.updateReadPressure(context: context)
        }
        context.write(wrapOutboundOut(frame), promise: promise)
        updateReadPressure(context: context)
        return promise.futureResult
    }

    private func updateReadPressure(context: ChannelHandlerContext) {
        guard context.channel.isActive, let change = budget.pressure(writable: context.channel.isWritable) else { return }
        context.triggerUserOutboundEvent(change, promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReadPressure(context: context)
        context.fireChannelWritabilityChanged()
    }

    // MARK: idle connections

    /// One timer per connection, moved lazily: activity only records the
    /// time, and a check that finds recent activity sets the timer again.
    private func scheduleIdleCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (dispatcher, context) = loopBound.value
            dispatcher.checkIdle(context: context)
        }
    }

    private func checkIdle(context: ChannelHandlerContext) {
        idleTimer = nil
        guard let timeout = limits.idleTimeout, context.channel.isActive else { return }
        let now = context.eventLoop.now
        // A call in flight keeps the connection; its deadline bounds it.
        guard inFlight.isEmpty, now >= lastActivity + timeout else {
            scheduleIdleCheck(at: inFlight.isEmpty ? lastActivity + timeout : now + timeout, context: context)
            return
        }
        guard !state.isClosing else {
            // Closing after its last answers, which the peer never took.
            context.close(promise: nil)
            return
        }
        let seconds = timeout.nanoseconds / 1_000_000_000
        logger.info("closing idle connection", metadata: ["idle_seconds": "\(seconds)", "peer_uid": "\(peer.uid)"])
        state = .closing
        // Said on call 0 if the socket takes it; closed either way, even when
        // the peer has stopped reading and nothing can be written.
        write(Framing.frame(Envelope(callID: 0, status: Status(code: .unavailable, message: "connection idle for \(seconds) s")), allocator: context.channel.allocator), context: context)
        context.flush()
        context.close(promise: nil)
    }
}
