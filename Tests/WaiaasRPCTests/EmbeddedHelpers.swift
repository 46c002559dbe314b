import NIOCore
import NIOEmbedded
import WaiaasProto
@testable import WaiaasRPC

/// The last handler of an embedded pipeline: keeps what reaches it.
final class InboundRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private(set) var bodies: [[UInt8]] = []
    private(set) var errors: [Error] = []
    private(set) var inputClosed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        bodies.append(Array(unwrapInboundIn(data).readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        errors.append(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { inputClosed = true }
    }
}

/// The first handler of an embedded pipeline, standing in for the socket:
/// counts the reads asked of it and, while `holding`, keeps writes (and
/// their promises) instead of passing them on, as a socket whose peer does
/// not read.
final class SocketStandIn: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private(set) var reads = 0
    var holding = false
    private var held: [(ByteBuffer, EventLoopPromise<Void>?)] = []

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if holding {
            held.append((unwrapOutboundIn(data), promise))
        } else {
            context.write(data, promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        if !holding { context.flush() }
    }

    /// As a socket: writes not yet taken fail when the channel closes.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        let dropped = held
        held.removeAll()
        dropped.forEach { $0.1?.fail(ChannelError.ioOnClosedChannel) }
        context.close(mode: mode, promise: promise)
    }

    /// The peer reads again: everything held goes out.
    func release(context: ChannelHandlerContext) {
        holding = false
        for (buffer, promise) in held {
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
        held.removeAll()
        context.flush()
    }
}

extension EmbeddedChannel {
    func writeInbound(bytes: [UInt8]) throws {
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try writeInbound(buffer)
    }

    /// Every frame written out so far, decoded.
    func answers() throws -> [Envelope] {
        var out: [Envelope] = []
        while var buffer = try readOutbound(as: ByteBuffer.self) {
            while buffer.readableBytes >= 4, let length = buffer.readInteger(endianness: .big, as: UInt32.self) {
                out.append(try Envelope(serializedBytes: buffer.readBytes(length: Int(length))!))
            }
        }
        return out
    }
}

/// Frames of echo calls with one-byte payloads, ids from `first`.
func echoFrames(_ count: Int, first: Int = 1) -> [[UInt8]] {
    (first..<first + count).map { Framing.frameBytes(Envelope(callID: UInt64($0), method: TestService.echo, payload: [UInt8(truncatingIfNeeded: $0)])) }
}
