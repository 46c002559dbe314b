internal import CProtobufC
internal import CWaiaasProto

/// A request for the agent's signature on a transaction or off-chain message.
public struct SignRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.SignRequest"

    /// What is to be signed: exactly one of the two (the proto's `oneof payload`).
    public enum Payload: Sendable, Equatable {
        /// A serialized transaction (legacy, v0 or v1) with its signature slots.
        case transaction([UInt8])
        /// A Solana off-chain message, its 0xFF header included.
        case offchainMessage([UInt8])
    }

    /// `nil` when the request names neither: the daemon refuses such a request.
    public var payload: Payload?
    /// Answer the decision and reasons without signing or counting.
    public var dryRun: Bool
    /// Contents of the lookup tables a v0 transaction refers to.
    public var lookupTables: [LookupTable]
    /// A caller-chosen label recorded in the ledger.
    public var clientReference: String

    public init(payload: Payload? = nil, dryRun: Bool = false, lookupTables: [LookupTable] = [], clientReference: String = "") {
        self.payload = payload
        self.dryRun = dryRun
        self.lookupTables = lookupTables
        self.clientReference = clientReference
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__SignRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? {
        waiaas__v1__sign_request__unpack(nil, count, bytes)
    }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__sign_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        switch c.pointee.payload_case {
        case WAIAAS__V1__SIGN_REQUEST__PAYLOAD_TRANSACTION:
            payload = .transaction(copyBytes(c.pointee.transaction))
        case WAIAAS__V1__SIGN_REQUEST__PAYLOAD_OFFCHAIN_MESSAGE:
            payload = .offchainMessage(copyBytes(c.pointee.offchain_message))
        default:
            payload = nil
        }
        dryRun = c.pointee.dry_run != 0
        lookupTables = try copyRepeated(c.pointee.n_lookup_tables, c.pointee.lookup_tables, as: LookupTable.self)
        clientReference = try copyString(c.pointee.client_reference, field: "SignRequest.client_reference")
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        switch payload {
        case .transaction(let bytes):
            c.pointee.payload_case = WAIAAS__V1__SIGN_REQUEST__PAYLOAD_TRANSACTION
            c.pointee.transaction = cBytes(bytes)
        case .offchainMessage(let bytes):
            c.pointee.payload_case = WAIAAS__V1__SIGN_REQUEST__PAYLOAD_OFFCHAIN_MESSAGE
            c.pointee.offchain_message = cBytes(bytes)
        case nil:
            c.pointee.payload_case = WAIAAS__V1__SIGN_REQUEST__PAYLOAD__NOT_SET
        }
        c.pointee.dry_run = dryRun ? 1 : 0
        (c.pointee.n_lookup_tables, c.pointee.lookup_tables) = cRepeated(lookupTables)
        c.pointee.client_reference = cString(clientReference)
    }
}
