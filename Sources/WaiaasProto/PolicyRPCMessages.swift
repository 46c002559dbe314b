// Swift values for GetPolicy (Protos/waiaas/v1/wallet.proto).
internal import CProtobufC
internal import CWaiaasProto

/// GetPolicy takes no arguments.
public struct GetPolicyRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.GetPolicyRequest"

    public init() {
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__GetPolicyRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__get_policy_request__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__get_policy_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
    }
}

/// The policy in force and the signatures that set it.
public struct GetPolicyResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.GetPolicyResponse"
    /// A serialized `waiaas.v1.Policy`; empty when none is set.
    public var policy: [UInt8]
    public var version: UInt64
    public var policyHash: [UInt8]
    public var signatures: [OwnerSignature]
    public var ledgerSequence: UInt64

    public init(policy: [UInt8] = [], version: UInt64 = 0, policyHash: [UInt8] = [], signatures: [OwnerSignature] = [], ledgerSequence: UInt64 = 0) {
        self.policy = policy
        self.version = version
        self.policyHash = policyHash
        self.signatures = signatures
        self.ledgerSequence = ledgerSequence
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__GetPolicyResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__get_policy_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__get_policy_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        policy = copyBytes(c.pointee.policy)
        version = c.pointee.version
        policyHash = copyBytes(c.pointee.policy_hash)
        signatures = try copyRepeated(c.pointee.n_signatures, c.pointee.signatures, as: OwnerSignature.self)
        ledgerSequence = c.pointee.ledger_sequence
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.policy = cBytes(policy)
        c.pointee.version = version
        c.pointee.policy_hash = cBytes(policyHash)
        (c.pointee.n_signatures, c.pointee.signatures) = cRepeated(signatures)
        c.pointee.ledger_sequence = ledgerSequence
    }
}
