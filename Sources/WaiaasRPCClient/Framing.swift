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
/// In the package's one error style (docs/ARCHITECTURE.md, "Errors"): an
/// extensible code, a message, and the status the peer is told.
public struct FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A length prefix of 0: a frame carries at least one byte.
        public static let zeroLength = Code(rawValue: "zero_length")
        /// A length prefix above the maximum frame size.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The peer closed the connection inside a frame.
        public static let truncated = Code(rawValue: "truncated")
        /// A partial frame was not completed within the partial-frame timeout.
        public static let stalled = Code(rawValue: "stalled")
        /// A whole frame that is not a `waiaas.v1.Envelope` the server accepts.
        public static let undecodableEnvelope = Code(rawValue: "undecodable_envelope")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static let zeroLength = FrameError(.zeroLength, "frame length 0: a frame carries at least one byte")

    public static func tooLarge(length: Int, maximum: Int) -> FrameError {
        FrameError(.tooLarge, "frame length \(length) exceeds the maximum of \(maximum) bytes")
    }

    public static func truncated(expected: Int, received: Int) -> FrameError {
        FrameError(.truncated, "connection closed inside a frame: expected \(expected) bytes, received \(received)")
    }

    public static func stalled(bufferedBytes: Int, seconds: Int64) -> FrameError {
        FrameError(.stalled, "partial frame (\(bufferedBytes) bytes) not completed within \(seconds) s")
    }

    public static func undecodableEnvelope(_ detail: String) -> FrameError {
        FrameError(.undecodableEnvelope, "frame is not a waiaas.v1.Envelope: \(detail)")
    }

    /// The status a peer is told before the connection closes.
    public var status: Status {
        switch code {
        case .stalled: Status(code: .deadlineExceeded, message: description)
        case .tooLarge: Status(code: .resourceExhausted, message: description)
        default: Status(code: .invalidArgument, message: description)
        }
    }
}
