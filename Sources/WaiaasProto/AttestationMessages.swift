// Swift values for the messages of Protos/waiaas/v1/attestation.proto.
internal import CProtobufC
internal import CWaiaasProto

/// Where the ledger stands: last sequence and its chained hash.
public struct LedgerHead: CBackedMessage {
    public static let protoName = "waiaas.v1.LedgerHead"
    public var sequence: UInt64
    public var hash: [UInt8]

    public init(sequence: UInt64 = 0, hash: [UInt8] = []) {
        self.sequence = sequence
        self.hash = hash
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__LedgerHead
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__ledger_head__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__ledger_head__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        sequence = c.pointee.sequence
        hash = copyBytes(c.pointee.hash)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.sequence = sequence
        c.pointee.hash = cBytes(hash)
    }
}

/// What code and configuration answer behind the socket.
public struct CodeMeasurement: CBackedMessage {
    public static let protoName = "waiaas.v1.CodeMeasurement"
    public var executableSHA384: [UInt8]
    public var configurationSHA384: [UInt8]

    public init(executableSHA384: [UInt8] = [], configurationSHA384: [UInt8] = []) {
        self.executableSHA384 = executableSHA384
        self.configurationSHA384 = configurationSHA384
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__CodeMeasurement
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__code_measurement__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__code_measurement__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        executableSHA384 = copyBytes(c.pointee.executable_sha384)
        configurationSHA384 = copyBytes(c.pointee.configuration_sha384)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.executable_sha384 = cBytes(executableSHA384)
        c.pointee.configuration_sha384 = cBytes(configurationSHA384)
    }
}

/// The report Attest returns, signed by the agent key.
public struct AttestationReport: CBackedMessage {
    public static let protoName = "waiaas.v1.AttestationReport"
    public var formatVersion: UInt32
    public var agentPublicKey: [UInt8]
    public var ownerPublicKeys: [[UInt8]]
    public var ownerThreshold: UInt32
    public var multisig: [UInt8]
    public var vault: [UInt8]
    public var policyHash: [UInt8]
    public var policyVersion: UInt64
    public var ledgerHead: LedgerHead?
    public var measurement: CodeMeasurement?
    public var platform: Platform
    public var nonce: [UInt8]
    public var timeUnixMilliseconds: UInt64

    public init(formatVersion: UInt32 = 0, agentPublicKey: [UInt8] = [], ownerPublicKeys: [[UInt8]] = [], ownerThreshold: UInt32 = 0, multisig: [UInt8] = [], vault: [UInt8] = [], policyHash: [UInt8] = [], policyVersion: UInt64 = 0, ledgerHead: LedgerHead? = nil, measurement: CodeMeasurement? = nil, platform: Platform = .init(rawValue: 0), nonce: [UInt8] = [], timeUnixMilliseconds: UInt64 = 0) {
        self.formatVersion = formatVersion
        self.agentPublicKey = agentPublicKey
        self.ownerPublicKeys = ownerPublicKeys
        self.ownerThreshold = ownerThreshold
        self.multisig = multisig
        self.vault = vault
        self.policyHash = policyHash
        self.policyVersion = policyVersion
        self.ledgerHead = ledgerHead
        self.measurement = measurement
        self.platform = platform
        self.nonce = nonce
        self.timeUnixMilliseconds = timeUnixMilliseconds
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__AttestationReport
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__attestation_report__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__attestation_report__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        formatVersion = c.pointee.format_version
        agentPublicKey = copyBytes(c.pointee.agent_public_key)
        ownerPublicKeys = copyRepeatedBytes(c.pointee.n_owner_public_keys, c.pointee.owner_public_keys)
        ownerThreshold = c.pointee.owner_threshold
        multisig = copyBytes(c.pointee.multisig)
        vault = copyBytes(c.pointee.vault)
        policyHash = copyBytes(c.pointee.policy_hash)
        policyVersion = c.pointee.policy_version
        ledgerHead = try copyOptional(c.pointee.ledger_head, as: LedgerHead.self)
        measurement = try copyOptional(c.pointee.measurement, as: CodeMeasurement.self)
        platform = Platform(rawValue: Int32(c.pointee.platform.rawValue))
        nonce = copyBytes(c.pointee.nonce)
        timeUnixMilliseconds = c.pointee.time_unix_ms
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.format_version = formatVersion
        c.pointee.agent_public_key = cBytes(agentPublicKey)
        (c.pointee.n_owner_public_keys, c.pointee.owner_public_keys) = cRepeatedBytes(ownerPublicKeys)
        c.pointee.owner_threshold = ownerThreshold
        c.pointee.multisig = cBytes(multisig)
        c.pointee.vault = cBytes(vault)
        c.pointee.policy_hash = cBytes(policyHash)
        c.pointee.policy_version = policyVersion
        c.pointee.ledger_head = cOptional(ledgerHead)
        c.pointee.measurement = cOptional(measurement)
        c.pointee.platform = .init(rawValue: .init(truncatingIfNeeded: platform.rawValue))
        c.pointee.nonce = cBytes(nonce)
        c.pointee.time_unix_ms = timeUnixMilliseconds
    }
}
