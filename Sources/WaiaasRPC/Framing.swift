import NIOCore
import WaiaasProto

/// Frame layout: a 4-byte big-endian length, then that many bytes of an
/// `Envelope`. The length is at least 1 and at most the configured maximum.
public enum Framing {
    public static let headerSize = 4
    /// As OpenSSH's agent: protobuf-c's memory grows much faster than the frame
    /// on adversarial input, so frames stay small (docs/ARCHITECTURE.md).
    public static let defaultMaximumFrameSize = 256 * 1024

    /// One frame holding `envelope`, ready to write.
    public static func frame(_ envelope: Envelope, allocator: ByteBufferAllocator) -> ByteBuffer {
        let body = envelope.serializedBytes()
        var buffer = allocator.buffer(capacity: headerSize + body.count)
        buffer.writeInteger(UInt32(truncatingIfNeeded: body.count), endianness: .big)
        buffer.writeBytes(body)
        return buffer
    }

    /// One frame holding `envelope`, as bytes (for clients without NIO and tests).
    public static func frameBytes(_ envelope: Envelope) -> [UInt8] {
        let body = envelope.serializedBytes()
        let length = UInt32(truncatingIfNeeded: body.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + body
    }
}

/// A frame-level protocol error: the connection cannot be read any further.
public enum FrameError: Error, Equatable, CustomStringConvertible {
    case zeroLength
    case tooLarge(length: Int, maximum: Int)
    case truncated(expected: Int, received: Int)
    case stalled(bufferedBytes: Int, seconds: Int64)
    case undecodableEnvelope(String)

    public var description: String {
        switch self {
        case .zeroLength:
            "frame length 0: a frame carries at least one byte"
        case .tooLarge(let length, let maximum):
            "frame length \(length) exceeds the maximum of \(maximum) bytes"
        case .truncated(let expected, let received):
            "connection closed inside a frame: expected \(expected) bytes, received \(received)"
        case .stalled(let buffered, let seconds):
            "partial frame (\(buffered) bytes) not completed within \(seconds) s"
        case .undecodableEnvelope(let detail):
            "frame is not a waiaas.v1.Envelope: \(detail)"
        }
    }

    /// The status a peer is told before the connection closes.
    public var status: Status {
        switch self {
        case .stalled: Status(code: .deadlineExceeded, message: description)
        case .tooLarge: Status(code: .resourceExhausted, message: description)
        default: Status(code: .invalidArgument, message: description)
        }
    }
}

/// Splits the inbound byte stream into frame bodies.
///
/// Written by hand rather than NIOExtras' length-field decoder, which has no
/// bound: the length is checked the moment its 4 bytes arrive, before any
/// byte of the body is buffered, and a partial frame that stops arriving is
/// an error after `readTimeout` (so a stalled client cannot pin memory or a
/// connection slot forever).
final class FrameReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let maximumFrameSize: Int
    private let readTimeout: TimeAmount
    private var buffer: ByteBuffer?
    private var stallTimer: Scheduled<Void>?
    private var failed = false

    init(maximumFrameSize: Int, readTimeout: TimeAmount) {
        self.maximumFrameSize = maximumFrameSize
        self.readTimeout = readTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        drain(context: context)
    }

    private func drain(context: ChannelHandlerContext) {
        while !failed, var readable = buffer, readable.readableBytes >= Framing.headerSize {
            let length = Int(readable.getInteger(at: readable.readerIndex, endianness: .big, as: UInt32.self)!)
            if length == 0 { return fail(context: context, .zeroLength) }
            if length > maximumFrameSize { return fail(context: context, .tooLarge(length: length, maximum: maximumFrameSize)) }
            guard readable.readableBytes >= Framing.headerSize + length else { break }
            readable.moveReaderIndex(forwardBy: Framing.headerSize)
            let body = readable.readSlice(length: length)!
            buffer = readable.readableBytes > 0 ? readable : nil
            context.fireChannelRead(wrapInboundOut(body))
        }
        if let remaining = buffer, remaining.readableBytes > 0 {
            armStallTimer(context: context)
        } else {
            buffer = nil
            stallTimer?.cancel()
            stallTimer = nil
        }
    }

    private func armStallTimer(context: ChannelHandlerContext) {
        // The timer runs from the moment a partial frame began, not from the
        // last byte: dripping one byte a second does not keep a frame alive.
        guard stallTimer == nil else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let timeout = readTimeout
        stallTimer = context.eventLoop.scheduleTask(in: timeout) {
            let (reader, context) = loopBound.value
            let buffered = reader.buffer?.readableBytes ?? 0
            reader.fail(context: context, .stalled(bufferedBytes: buffered, seconds: timeout.nanoseconds / 1_000_000_000))
        }
    }

    private func fail(context: ChannelHandlerContext, _ error: FrameError) {
        guard !failed else { return }
        failed = true
        buffer = nil
        stallTimer?.cancel()
        stallTimer = nil
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            checkTruncation(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stallTimer?.cancel()
        stallTimer = nil
        context.fireChannelInactive()
    }

    private func checkTruncation(context: ChannelHandlerContext) {
        guard let remaining = buffer, remaining.readableBytes > 0 else { return }
        var expected = 0
        if remaining.readableBytes >= Framing.headerSize {
            expected = Int(remaining.getInteger(at: remaining.readerIndex, endianness: .big, as: UInt32.self)!)
            fail(context: context, .truncated(expected: expected, received: remaining.readableBytes - Framing.headerSize))
        } else {
            fail(context: context, .truncated(expected: Framing.headerSize, received: remaining.readableBytes))
        }
    }
}
