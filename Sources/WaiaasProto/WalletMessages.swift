// Swift values for the messages of Protos/waiaas/v1/wallet.proto.
internal import CProtobufC
internal import CWaiaasProto

/// Contents of one address lookup table, supplied by the caller.
public struct LookupTable: CBackedMessage {
    public static let protoName = "waiaas.v1.LookupTable"
    /// The table account (32 bytes).
    public var address: [UInt8]
    /// The table entries in order (32 bytes each).
    public var addresses: [[UInt8]]

    public init(address: [UInt8] = [], addresses: [[UInt8]] = []) {
        self.address = address
        self.addresses = addresses
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__LookupTable
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__lookup_table__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__lookup_table__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        address = copyBytes(c.pointee.address)
        addresses = copyRepeatedBytes(c.pointee.n_addresses, c.pointee.addresses)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.address = cBytes(address)
        (c.pointee.n_addresses, c.pointee.addresses) = cRepeatedBytes(addresses)
    }
}

/// An amount leaving the agent; `mint` is empty for SOL (lamports).
public struct AssetAmount: CBackedMessage {
    public static let protoName = "waiaas.v1.AssetAmount"
    public var mint: [UInt8]
    public var amount: UInt64
    public var decimals: UInt32
    public var decimalsKnown: Bool

    public init(mint: [UInt8] = [], amount: UInt64 = 0, decimals: UInt32 = 0, decimalsKnown: Bool = false) {
        self.mint = mint
        self.amount = amount
        self.decimals = decimals
        self.decimalsKnown = decimalsKnown
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__AssetAmount
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__asset_amount__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__asset_amount__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        mint = copyBytes(c.pointee.mint)
        amount = c.pointee.amount
        decimals = c.pointee.decimals
        decimalsKnown = c.pointee.decimals_known != 0
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.mint = cBytes(mint)
        c.pointee.amount = amount
        c.pointee.decimals = decimals
        c.pointee.decimals_known = decimalsKnown ? 1 : 0
    }
}

/// The answer to Sign: the decision, and the signature when allowed.
public struct SignResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.SignResponse"
    public var decision: Decision
    /// 64 bytes, when signed.
    public var signature: [UInt8]
    /// The transaction with the agent's slot filled.
    public var signedTransaction: [UInt8]
    /// The ledger row that recorded this decision.
    public var ledgerSequence: UInt64
    /// Why, for every decision.
    public var reasons: [Reason]
    /// The agent public key (32 bytes).
    public var signer: [UInt8]
    /// What this request counts against the policy.
    public var outflows: [AssetAmount]
    /// Signed before: the same signature, counted once.
    public var replayed: Bool
    /// Base plus priority fee at the unit limit.
    public var maxFeeLamports: UInt64

    public init(decision: Decision = .init(rawValue: 0), signature: [UInt8] = [], signedTransaction: [UInt8] = [], ledgerSequence: UInt64 = 0, reasons: [Reason] = [], signer: [UInt8] = [], outflows: [AssetAmount] = [], replayed: Bool = false, maxFeeLamports: UInt64 = 0) {
        self.decision = decision
        self.signature = signature
        self.signedTransaction = signedTransaction
        self.ledgerSequence = ledgerSequence
        self.reasons = reasons
        self.signer = signer
        self.outflows = outflows
        self.replayed = replayed
        self.maxFeeLamports = maxFeeLamports
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__SignResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__sign_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__sign_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        decision = Decision(rawValue: Int32(c.pointee.decision.rawValue))
        signature = copyBytes(c.pointee.signature)
        signedTransaction = copyBytes(c.pointee.signed_transaction)
        ledgerSequence = c.pointee.ledger_sequence
        reasons = try copyRepeated(c.pointee.n_reasons, c.pointee.reasons, as: Reason.self)
        signer = copyBytes(c.pointee.signer)
        outflows = try copyRepeated(c.pointee.n_outflows, c.pointee.outflows, as: AssetAmount.self)
        replayed = c.pointee.replayed != 0
        maxFeeLamports = c.pointee.max_fee_lamports
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.decision = .init(rawValue: .init(truncatingIfNeeded: decision.rawValue))
        c.pointee.signature = cBytes(signature)
        c.pointee.signed_transaction = cBytes(signedTransaction)
        c.pointee.ledger_sequence = ledgerSequence
        (c.pointee.n_reasons, c.pointee.reasons) = cRepeated(reasons)
        c.pointee.signer = cBytes(signer)
        (c.pointee.n_outflows, c.pointee.outflows) = cRepeated(outflows)
        c.pointee.replayed = replayed ? 1 : 0
        c.pointee.max_fee_lamports = maxFeeLamports
    }
}

/// A transaction the Squads vault should execute, to become a proposal.
public struct ProposeRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.ProposeRequest"
    /// The message (or transaction) the vault signs.
    public var transaction: [UInt8]
    public var lookupTables: [LookupTable]
    public var vaultIndex: UInt32
    /// Submit the outer transaction through Solana JSON-RPC.
    public var submit: Bool
    /// 32 bytes; empty: fetched through RPC.
    public var recentBlockhash: [UInt8]
    public var memo: String
    public var ephemeralSigners: UInt32

    public init(transaction: [UInt8] = [], lookupTables: [LookupTable] = [], vaultIndex: UInt32 = 0, submit: Bool = false, recentBlockhash: [UInt8] = [], memo: String = "", ephemeralSigners: UInt32 = 0) {
        self.transaction = transaction
        self.lookupTables = lookupTables
        self.vaultIndex = vaultIndex
        self.submit = submit
        self.recentBlockhash = recentBlockhash
        self.memo = memo
        self.ephemeralSigners = ephemeralSigners
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__ProposeRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__propose_request__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__propose_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        transaction = copyBytes(c.pointee.transaction)
        lookupTables = try copyRepeated(c.pointee.n_lookup_tables, c.pointee.lookup_tables, as: LookupTable.self)
        vaultIndex = c.pointee.vault_index
        submit = c.pointee.submit != 0
        recentBlockhash = copyBytes(c.pointee.recent_blockhash)
        memo = try copyString(c.pointee.memo, field: "ProposeRequest.memo")
        ephemeralSigners = c.pointee.ephemeral_signers
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.transaction = cBytes(transaction)
        (c.pointee.n_lookup_tables, c.pointee.lookup_tables) = cRepeated(lookupTables)
        c.pointee.vault_index = vaultIndex
        c.pointee.submit = submit ? 1 : 0
        c.pointee.recent_blockhash = cBytes(recentBlockhash)
        c.pointee.memo = cString(memo)
        c.pointee.ephemeral_signers = ephemeralSigners
    }
}

/// The addresses of the proposal Propose created, and its outer transaction.
public struct ProposeResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.ProposeResponse"
    public var multisig: [UInt8]
    public var vault: [UInt8]
    public var transactionIndex: UInt64
    public var vaultTransaction: [UInt8]
    public var proposal: [UInt8]
    public var signedTransaction: [UInt8]
    public var signature: [UInt8]
    public var submitted: Bool
    public var ledgerSequence: UInt64
    public var reasons: [Reason]

    public init(multisig: [UInt8] = [], vault: [UInt8] = [], transactionIndex: UInt64 = 0, vaultTransaction: [UInt8] = [], proposal: [UInt8] = [], signedTransaction: [UInt8] = [], signature: [UInt8] = [], submitted: Bool = false, ledgerSequence: UInt64 = 0, reasons: [Reason] = []) {
        self.multisig = multisig
        self.vault = vault
        self.transactionIndex = transactionIndex
        self.vaultTransaction = vaultTransaction
        self.proposal = proposal
        self.signedTransaction = signedTransaction
        self.signature = signature
        self.submitted = submitted
        self.ledgerSequence = ledgerSequence
        self.reasons = reasons
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__ProposeResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__propose_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__propose_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        multisig = copyBytes(c.pointee.multisig)
        vault = copyBytes(c.pointee.vault)
        transactionIndex = c.pointee.transaction_index
        vaultTransaction = copyBytes(c.pointee.vault_transaction)
        proposal = copyBytes(c.pointee.proposal)
        signedTransaction = copyBytes(c.pointee.signed_transaction)
        signature = copyBytes(c.pointee.signature)
        submitted = c.pointee.submitted != 0
        ledgerSequence = c.pointee.ledger_sequence
        reasons = try copyRepeated(c.pointee.n_reasons, c.pointee.reasons, as: Reason.self)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.multisig = cBytes(multisig)
        c.pointee.vault = cBytes(vault)
        c.pointee.transaction_index = transactionIndex
        c.pointee.vault_transaction = cBytes(vaultTransaction)
        c.pointee.proposal = cBytes(proposal)
        c.pointee.signed_transaction = cBytes(signedTransaction)
        c.pointee.signature = cBytes(signature)
        c.pointee.submitted = submitted ? 1 : 0
        c.pointee.ledger_sequence = ledgerSequence
        (c.pointee.n_reasons, c.pointee.reasons) = cRepeated(reasons)
    }
}

/// An owner's ed25519 signature over the SetPolicy signing message.
public struct OwnerSignature: CBackedMessage {
    public static let protoName = "waiaas.v1.OwnerSignature"
    /// 32 bytes.
    public var publicKey: [UInt8]
    /// 64 bytes.
    public var signature: [UInt8]

    public init(publicKey: [UInt8] = [], signature: [UInt8] = []) {
        self.publicKey = publicKey
        self.signature = signature
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__OwnerSignature
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__owner_signature__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__owner_signature__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        publicKey = copyBytes(c.pointee.public_key)
        signature = copyBytes(c.pointee.signature)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.public_key = cBytes(publicKey)
        c.pointee.signature = cBytes(signature)
    }
}

/// A new policy, its version and the owners' signatures over both.
public struct SetPolicyRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.SetPolicyRequest"
    /// A serialized `waiaas.v1.Policy`, exactly as signed.
    public var policy: [UInt8]
    /// Strictly higher than the version in force.
    public var version: UInt64
    public var signatures: [OwnerSignature]
    /// The agent public key the owners signed for (32 bytes).
    public var agentPublicKey: [UInt8]

    public init(policy: [UInt8] = [], version: UInt64 = 0, signatures: [OwnerSignature] = [], agentPublicKey: [UInt8] = []) {
        self.policy = policy
        self.version = version
        self.signatures = signatures
        self.agentPublicKey = agentPublicKey
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__SetPolicyRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__set_policy_request__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__set_policy_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        policy = copyBytes(c.pointee.policy)
        version = c.pointee.version
        signatures = try copyRepeated(c.pointee.n_signatures, c.pointee.signatures, as: OwnerSignature.self)
        agentPublicKey = copyBytes(c.pointee.agent_public_key)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.policy = cBytes(policy)
        c.pointee.version = version
        (c.pointee.n_signatures, c.pointee.signatures) = cRepeated(signatures)
        c.pointee.agent_public_key = cBytes(agentPublicKey)
    }
}

/// The policy now in force.
public struct SetPolicyResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.SetPolicyResponse"
    public var version: UInt64
    /// SHA-256 of the policy bytes.
    public var policyHash: [UInt8]
    public var ledgerSequence: UInt64

    public init(version: UInt64 = 0, policyHash: [UInt8] = [], ledgerSequence: UInt64 = 0) {
        self.version = version
        self.policyHash = policyHash
        self.ledgerSequence = ledgerSequence
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__SetPolicyResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__set_policy_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__set_policy_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        version = c.pointee.version
        policyHash = copyBytes(c.pointee.policy_hash)
        ledgerSequence = c.pointee.ledger_sequence
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.version = version
        c.pointee.policy_hash = cBytes(policyHash)
        c.pointee.ledger_sequence = ledgerSequence
    }
}

/// A caller nonce to bind into a report.
public struct AttestRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.AttestRequest"
    /// 16 to 64 bytes.
    public var nonce: [UInt8]

    public init(nonce: [UInt8] = []) {
        self.nonce = nonce
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__AttestRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__attest_request__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__attest_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        nonce = copyBytes(c.pointee.nonce)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.nonce = cBytes(nonce)
    }
}

/// A signed report, and on Nitro the NSM attestation document over its hash.
public struct AttestResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.AttestResponse"
    /// A serialized `waiaas.v1.AttestationReport`.
    public var report: [UInt8]
    /// Agent ed25519 signature over tag || report.
    public var signature: [UInt8]
    /// COSE_Sign1 NSM document, on Nitro only.
    public var nitroDocument: [UInt8]

    public init(report: [UInt8] = [], signature: [UInt8] = [], nitroDocument: [UInt8] = []) {
        self.report = report
        self.signature = signature
        self.nitroDocument = nitroDocument
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__AttestResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__attest_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__attest_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        report = copyBytes(c.pointee.report)
        signature = copyBytes(c.pointee.signature)
        nitroDocument = copyBytes(c.pointee.nitro_document)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.report = cBytes(report)
        c.pointee.signature = cBytes(signature)
        c.pointee.nitro_document = cBytes(nitroDocument)
    }
}

/// GetStatus takes no arguments.
public struct GetStatusRequest: CBackedMessage {
    public static let protoName = "waiaas.v1.GetStatusRequest"

    public init() {
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__GetStatusRequest
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__get_status_request__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__get_status_request__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
    }
}

/// Liveness and identity of the daemon.
public struct GetStatusResponse: CBackedMessage {
    public static let protoName = "waiaas.v1.GetStatusResponse"
    /// Daemon version.
    public var version: String
    public var uptimeMilliseconds: UInt64
    /// Open connections now.
    public var connections: UInt32
    /// Empty until a keystore exists.
    public var agentPublicKey: [UInt8]
    /// 0 when no policy is set.
    public var policyVersion: UInt64
    public var policyHash: [UInt8]
    /// Head of the ledger.
    public var ledgerSequence: UInt64
    /// "software" or "nitro".
    public var platform: String
    public var callsInFlight: UInt32
    public var ownerPublicKeys: [[UInt8]]
    public var ownerThreshold: UInt32

    public init(version: String = "", uptimeMilliseconds: UInt64 = 0, connections: UInt32 = 0, agentPublicKey: [UInt8] = [], policyVersion: UInt64 = 0, policyHash: [UInt8] = [], ledgerSequence: UInt64 = 0, platform: String = "", callsInFlight: UInt32 = 0, ownerPublicKeys: [[UInt8]] = [], ownerThreshold: UInt32 = 0) {
        self.version = version
        self.uptimeMilliseconds = uptimeMilliseconds
        self.connections = connections
        self.agentPublicKey = agentPublicKey
        self.policyVersion = policyVersion
        self.policyHash = policyHash
        self.ledgerSequence = ledgerSequence
        self.platform = platform
        self.callsInFlight = callsInFlight
        self.ownerPublicKeys = ownerPublicKeys
        self.ownerThreshold = ownerThreshold
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__GetStatusResponse
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__get_status_response__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__get_status_response__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        version = try copyString(c.pointee.version, field: "GetStatusResponse.version")
        uptimeMilliseconds = c.pointee.uptime_ms
        connections = c.pointee.connections
        agentPublicKey = copyBytes(c.pointee.agent_public_key)
        policyVersion = c.pointee.policy_version
        policyHash = copyBytes(c.pointee.policy_hash)
        ledgerSequence = c.pointee.ledger_sequence
        platform = try copyString(c.pointee.platform, field: "GetStatusResponse.platform")
        callsInFlight = c.pointee.calls_in_flight
        ownerPublicKeys = copyRepeatedBytes(c.pointee.n_owner_public_keys, c.pointee.owner_public_keys)
        ownerThreshold = c.pointee.owner_threshold
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.version = cString(version)
        c.pointee.uptime_ms = uptimeMilliseconds
        c.pointee.connections = connections
        c.pointee.agent_public_key = cBytes(agentPublicKey)
        c.pointee.policy_version = policyVersion
        c.pointee.policy_hash = cBytes(policyHash)
        c.pointee.ledger_sequence = ledgerSequence
        c.pointee.platform = cString(platform)
        c.pointee.calls_in_flight = callsInFlight
        (c.pointee.n_owner_public_keys, c.pointee.owner_public_keys) = cRepeatedBytes(ownerPublicKeys)
        c.pointee.owner_threshold = ownerThreshold
    }
}
