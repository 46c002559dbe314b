import NIOCore

/// Tells the frame reader to stop or resume delivering frames and reading
/// the socket (an outbound user event, sent by the call dispatcher when the
/// answers it has queued reach their bound, or the channel stops being
/// writable, and when they have drained again).
package enum ReadPressure: Sendable, Equatable {
    case pause
    case resume
}

/// Splits the inbound byte stream into frame bodies.
///
/// Written by hand rather than NIOExtras' length-field decoder, which has no
/// bound: the length is checked the moment its 4 bytes arrive, before any
/// byte of the body is buffered, and a frame that takes longer than
/// `readTimeout` to arrive is an error (so a stalled client cannot pin
/// memory or a connection slot forever).
///
/// While paused (`ReadPressure`), no frame is delivered and no read is
/// passed on to the socket, so a peer that does not read its answers stops
/// being read too; its bytes wait in the kernel, not here.
package final class FrameReader: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer
    package typealias OutboundIn = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    private let maximumFrameSize: Int
    private let readTimeout: TimeAmount
    private var buffer: ByteBuffer?
    private var failed = false
    /// When the first byte of the partial frame at the front of `buffer`
    /// arrived; nil while no partial frame is waiting or while paused.
    private var frameStarted: NIODeadline?
    private var stallTimer: Scheduled<Void>?
    private var paused = false
    private var resumeScheduled = false
    /// A read the pipeline asked for while paused, passed on at resume.
    private var readHeld = false
    /// End of input seen while frames were still waiting to be delivered.
    private var inputClosedHeld = false

    package init(maximumFrameSize: Int, readTimeout: TimeAmount) {
        self.maximumFrameSize = maximumFrameSize
        self.readTimeout = readTimeout
    }

    /// Bytes of storage the reader holds (for tests of its bound).
    package var bufferedStorageCapacity: Int { buffer?.storageCapacity ?? 0 }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        drain(context: context)
    }

    /// Delivers every complete frame in `buffer` (unless paused); returns
    /// whether it delivered any.
    @discardableResult
    private func drain(context: ChannelHandlerContext) -> Bool {
        var delivered = false
        while !failed, !paused, var readable = buffer, readable.readableBytes >= Framing.headerSize {
            let length = Int(readable.getInteger(at: readable.readerIndex, endianness: .big, as: UInt32.self)!)
            if length == 0 { fail(context: context, .zeroLength); return delivered }
            if length > maximumFrameSize { fail(context: context, .tooLarge(length: length, maximum: maximumFrameSize)); return delivered }
            guard readable.readableBytes >= Framing.headerSize + length else { break }
            readable.moveReaderIndex(forwardBy: Framing.headerSize)
            let body = readable.readSlice(length: length)!
            buffer = readable.readableBytes > 0 ? readable : nil
            delivered = true
            context.fireChannelRead(wrapInboundOut(body))
        }
        guard !failed else { return delivered }
        compact()
        updateStallClock(context: context, frameCompleted: delivered)
        return delivered
    }

    /// Reclaims the bytes already read, as NIO's ByteToMessageHandler does,
    /// so a connection whose reads keep ending mid-frame does not grow its
    /// buffer by every byte it ever received.
    private func compact() {
        guard let readable = buffer?.readableBytes, readable > 0 else {
            buffer = nil
            return
        }
        // In place: `buffer` is the only reference to its storage here.
        if Self.worthCompacting(buffer!) {
            buffer!.discardReadBytes()
        }
    }

    /// ByteToMessageDecoder's rule: at least 2 KiB to reclaim, or more than
    /// half of a buffer over 1 KiB.
    private static func worthCompacting(_ buffer: ByteBuffer) -> Bool {
        let read = buffer.readerIndex
        return read >= 2048 || (buffer.storageCapacity > 1024 && read > buffer.storageCapacity - read)
    }

    /// The read timeout measures how long one frame takes to arrive: the
    /// clock starts at its first byte and restarts with each new frame; a
    /// frame dripping one byte a second does not restart it. It does not run
    /// while paused: then the peer cannot send, through no fault of its own.
    private func updateStallClock(context: ChannelHandlerContext, frameCompleted: Bool) {
        guard !paused, let buffer, buffer.readableBytes > 0 else {
            frameStarted = nil
            return
        }
        if frameStarted == nil || frameCompleted {
            frameStarted = context.eventLoop.now
        }
        if stallTimer == nil {
            scheduleStallCheck(at: frameStarted! + readTimeout, context: context)
        }
    }

    /// One timer per connection, moved lazily: when it fires early (the
    /// frame it was set for completed), it is set again for the current one.
    private func scheduleStallCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        stallTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (reader, context) = loopBound.value
            reader.checkStall(context: context)
        }
    }

    private func checkStall(context: ChannelHandlerContext) {
        stallTimer = nil
        guard !failed, let started = frameStarted else { return }
        let due = started + readTimeout
        guard context.eventLoop.now >= due else {
            scheduleStallCheck(at: due, context: context)
            return
        }
        let buffered = buffer?.readableBytes ?? 0
        fail(context: context, .stalled(bufferedBytes: buffered, seconds: readTimeout.nanoseconds / 1_000_000_000))
    }

    private func fail(context: ChannelHandlerContext, _ error: FrameError) {
        guard !failed else { return }
        failed = true
        buffer = nil
        cancelStallTimer()
        context.fireErrorCaught(error)
    }

    private func cancelStallTimer() {
        frameStarted = nil
        stallTimer?.cancel()
        stallTimer = nil
    }

    // MARK: back-pressure

    package func read(context: ChannelHandlerContext) {
        if paused {
            readHeld = true
        } else {
            context.read()
        }
    }

    package func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let pressure = event as? ReadPressure else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        switch pressure {
        case .pause:
            guard !paused else { return }
            paused = true
            frameStarted = nil
        case .resume:
            guard paused else { return }
            paused = false
            scheduleResume(context: context)
        }
    }

    /// Resumes on the next turn of the event loop, not inside the write
    /// completion that asked for it: delivering frames there would re-enter
    /// the dispatcher in the middle of its flush.
    private func scheduleResume(context: ChannelHandlerContext) {
        guard !resumeScheduled else { return }
        resumeScheduled = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (reader, context) = loopBound.value
            reader.resume(context: context)
        }
    }

    private func resume(context: ChannelHandlerContext) {
        resumeScheduled = false
        guard !paused, !failed, context.channel.isActive else { return }
        if drain(context: context) {
            context.fireChannelReadComplete()
        }
        guard !paused, !failed else { return }
        if inputClosedHeld {
            inputClosedHeld = false
            inputClosed(context: context)
        } else if readHeld {
            readHeld = false
            context.read()
        }
    }

    // MARK: end of input

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            if paused || resumeScheduled {
                // Frames may still wait to be delivered: end of input comes after them.
                inputClosedHeld = true
            } else {
                inputClosed(context: context)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func inputClosed(context: ChannelHandlerContext) {
        checkTruncation(context: context)
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cancelStallTimer()
        context.fireChannelInactive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        cancelStallTimer()
    }

    private func checkTruncation(context: ChannelHandlerContext) {
        guard let remaining = buffer, remaining.readableBytes > 0 else { return }
        if remaining.readableBytes >= Framing.headerSize {
            let expected = Int(remaining.getInteger(at: remaining.readerIndex, endianness: .big, as: UInt32.self)!)
            fail(context: context, .truncated(expected: expected, received: remaining.readableBytes - Framing.headerSize))
        } else {
            fail(context: context, .truncated(expected: Framing.headerSize, received: remaining.readableBytes))
        }
    }
}
