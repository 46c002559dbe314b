/// A protobuf message of the `waiaas.v1` contract as a Swift value.
///
/// Encoding and decoding go through protobuf-c (the generated C target
/// `CWaiaasProto`); no C pointer ever leaves this module. Unknown fields are
/// skipped on decode, as proto3 requires, so a newer client works with an
/// older daemon; `unknownFieldCount` lets a caller that must fail closed
/// (the policy) refuse them instead.
public protocol ProtoMessage: Sendable, Equatable {
    /// Decodes `bytes`; malformed input is a `ProtoError`, never a crash.
    init(serializedBytes bytes: [UInt8]) throws(ProtoError)
    /// The message in protobuf wire format.
    func serializedBytes() -> [UInt8]
    /// The protobuf full name, e.g. `waiaas.v1.Envelope`.
    static var protoName: String { get }
}

/// Why bytes could not be read as a message.
public struct ProtoError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// protobuf-c refused the bytes (bad wire type, truncated field, bad length).
        public static let malformed = Code(rawValue: "malformed")
        /// A `string` field is not valid UTF-8 (protobuf-c does not check this).
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        /// A field has a value the contract does not allow (e.g. a wrong byte length).
        public static let invalidField = Code(rawValue: "invalid_field")
        /// Fields this build does not know, where they must be refused.
        public static let unknownFields = Code(rawValue: "unknown_fields")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
