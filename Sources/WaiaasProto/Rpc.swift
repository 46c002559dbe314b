internal import CProtobufC
internal import CWaiaasProto

/// gRPC's status codes, with their numbering and meaning (DESIGN section 3).
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    public static let cancelled = StatusCode(rawValue: 1)
    public static let unknown = StatusCode(rawValue: 2)
    public static let invalidArgument = StatusCode(rawValue: 3)
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    public static let notFound = StatusCode(rawValue: 5)
    public static let alreadyExists = StatusCode(rawValue: 6)
    public static let permissionDenied = StatusCode(rawValue: 7)
    public static let resourceExhausted = StatusCode(rawValue: 8)
    public static let failedPrecondition = StatusCode(rawValue: 9)
    public static let aborted = StatusCode(rawValue: 10)
    public static let outOfRange = StatusCode(rawValue: 11)
    public static let unimplemented = StatusCode(rawValue: 12)
    public static let `internal` = StatusCode(rawValue: 13)
    public static let unavailable = StatusCode(rawValue: 14)
    public static let dataLoss = StatusCode(rawValue: 15)
    public static let unauthenticated = StatusCode(rawValue: 16)

    private static let names: [Int32: String] = [
        0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
        5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
        9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
        13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
    ]

    /// The gRPC name, e.g. `PERMISSION_DENIED`.
    public var name: String { Self.names[rawValue] ?? "CODE_\(rawValue)" }
    public var description: String { name }
}

/// One machine-readable reason: a stable code plus a sentence for people.
public struct Reason: CBackedMessage, Hashable {
    public static let protoName = "waiaas.v1.Reason"
    public var code: String
    public var message: String

    public init(code: String = "", message: String = "") {
        self.code = code
        self.message = message
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Reason
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__reason__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__reason__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        code = try copyString(c.pointee.code, field: "Reason.code")
        message = try copyString(c.pointee.message, field: "Reason.message")
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.code = cString(code)
        c.pointee.message = cString(message)
    }
}

/// The outcome of a call: a code, a message and structured reasons.
public struct Status: CBackedMessage, Hashable {
    public static let protoName = "waiaas.v1.Status"
    public var code: StatusCode
    public var message: String
    public var reasons: [Reason]

    public init(code: StatusCode = .ok, message: String = "", reasons: [Reason] = []) {
        self.code = code
        self.message = message
        self.reasons = reasons
    }

    public static let ok = Status()

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Status
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__status__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__status__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        code = StatusCode(rawValue: c.pointee.code)
        message = try copyString(c.pointee.message, field: "Status.message")
        reasons = try copyRepeated(c.pointee.n_reasons, c.pointee.reasons, as: Reason.self)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.code = code.rawValue
        c.pointee.message = cString(message)
        (c.pointee.n_reasons, c.pointee.reasons) = cRepeated(reasons)
    }
}

/// One frame's contents: a call, or the answer to one (docs/PROTOCOL.md).
public struct Envelope: CBackedMessage {
    public static let protoName = "waiaas.v1.Envelope"
    public var callID: UInt64
    public var method: String
    public var payload: [UInt8]
    public var status: Status?
    public var timeoutMilliseconds: UInt32
    public var metadata: [String: String]

    public init(
        callID: UInt64 = 0, method: String = "", payload: [UInt8] = [], status: Status? = nil,
        timeoutMilliseconds: UInt32 = 0, metadata: [String: String] = [:]
    ) {
        self.callID = callID
        self.method = method
        self.payload = payload
        self.status = status
        self.timeoutMilliseconds = timeoutMilliseconds
        self.metadata = metadata
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Envelope
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__envelope__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__envelope__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        callID = c.pointee.call_id
        method = try copyString(c.pointee.method, field: "Envelope.method")
        payload = copyBytes(c.pointee.payload)
        status = try copyOptional(c.pointee.status, as: Status.self)
        timeoutMilliseconds = c.pointee.timeout_ms
        metadata = [:]
        if c.pointee.n_metadata > 0, let entries = c.pointee.metadata {
            for index in 0..<c.pointee.n_metadata {
                guard let entry = entries[index] else { continue }
                // A map keeps the last value for a repeated key, as protobuf does.
                let key = try copyString(entry.pointee.key, field: "Envelope.metadata key")
                metadata[key] = try copyString(entry.pointee.value, field: "Envelope.metadata value")
            }
        }
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.call_id = callID
        c.pointee.method = cString(method)
        c.pointee.payload = cBytes(payload)
        c.pointee.status = cOptional(status)
        c.pointee.timeout_ms = timeoutMilliseconds
        guard !metadata.isEmpty else { return }
        // Sorted keys make the encoding deterministic, so golden bytes are stable.
        let sorted = metadata.sorted { $0.key < $1.key }
        let entries = mallocOrDie(MemoryLayout<UnsafeMutablePointer<Waiaas__V1__Envelope__MetadataEntry>?>.stride * sorted.count)
            .bindMemory(to: UnsafeMutablePointer<Waiaas__V1__Envelope__MetadataEntry>?.self, capacity: sorted.count)
        for (index, pair) in sorted.enumerated() {
            let entry = mallocOrDie(MemoryLayout<Waiaas__V1__Envelope__MetadataEntry>.size)
                .bindMemory(to: Waiaas__V1__Envelope__MetadataEntry.self, capacity: 1)
            waiaas__v1__envelope__metadata_entry__init(entry)
            entry.pointee.key = cString(pair.key)
            entry.pointee.value = cString(pair.value)
            (entries + index).initialize(to: entry)
        }
        c.pointee.n_metadata = sorted.count
        c.pointee.metadata = entries
    }
}
