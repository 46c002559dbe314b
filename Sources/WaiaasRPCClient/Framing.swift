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
