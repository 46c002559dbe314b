/// Which wire format a message uses. Legacy messages have no version byte;
/// v0 adds address lookup tables (prefix 0x80); v1 (SIMD-0385, prefix 0x81)
/// carries its compute budget inline and puts the signatures after the message.
public enum MessageVersion: Sendable, Equatable, Hashable, CustomStringConvertible {
    case legacy, v0, v1

    public var description: String {
        switch self {
        case .legacy: "legacy"
        case .v0: "0"
        case .v1: "1"
        }
    }
}

/// The three counts that say which of the static keys sign and which are read-only.
public struct MessageHeader: Sendable, Equatable, Hashable {
    public var numRequiredSignatures: UInt8
    public var numReadonlySignedAccounts: UInt8
    public var numReadonlyUnsignedAccounts: UInt8

    public init(numRequiredSignatures: UInt8, numReadonlySignedAccounts: UInt8, numReadonlyUnsignedAccounts: UInt8) {
        self.numRequiredSignatures = numRequiredSignatures
        self.numReadonlySignedAccounts = numReadonlySignedAccounts
        self.numReadonlyUnsignedAccounts = numReadonlyUnsignedAccounts
    }
}

/// An instruction as it is on the wire: indexes into the message's account list.
public struct CompiledInstruction: Sendable, Equatable, Hashable {
    public var programIdIndex: UInt8
    public var accounts: [UInt8]
    public var data: [UInt8]

    public init(programIdIndex: UInt8, accounts: [UInt8], data: [UInt8]) {
        self.programIdIndex = programIdIndex
        self.accounts = accounts
        self.data = data
    }
}

/// A v0 reference to accounts stored in an on-chain address lookup table.
public struct AddressTableLookup: Sendable, Equatable, Hashable {
    public var accountKey: PublicKey
    public var writableIndexes: [UInt8]
    public var readonlyIndexes: [UInt8]

    public init(accountKey: PublicKey, writableIndexes: [UInt8], readonlyIndexes: [UInt8]) {
        self.accountKey = accountKey
        self.writableIndexes = writableIndexes
        self.readonlyIndexes = readonlyIndexes
    }
}

/// The inline compute budget of a v1 message. Each field is present iff its
/// bit is set in the wire mask.
public struct TransactionConfig: Sendable, Equatable, Hashable {
    /// Total priority fee in lamports (not a per-CU price).
    public var priorityFeeLamports: UInt64?
    public var computeUnitLimit: UInt32?
    public var loadedAccountsDataSizeLimit: UInt32?
    public var heapSize: UInt32?

    public init(priorityFeeLamports: UInt64? = nil, computeUnitLimit: UInt32? = nil, loadedAccountsDataSizeLimit: UInt32? = nil, heapSize: UInt32? = nil) {
        self.priorityFeeLamports = priorityFeeLamports
        self.computeUnitLimit = computeUnitLimit
        self.loadedAccountsDataSizeLimit = loadedAccountsDataSizeLimit
        self.heapSize = heapSize
    }

    static let priorityFeeBits: UInt32 = 0b11
    static let computeUnitLimitBit: UInt32 = 0b100
    static let loadedAccountsDataSizeBit: UInt32 = 0b1000
    static let heapSizeBit: UInt32 = 0b1_0000
    static let knownBits: UInt32 = 0b1_1111

    var mask: UInt32 {
        var m: UInt32 = 0
        if priorityFeeLamports != nil { m |= Self.priorityFeeBits }
        if computeUnitLimit != nil { m |= Self.computeUnitLimitBit }
        if loadedAccountsDataSizeLimit != nil { m |= Self.loadedAccountsDataSizeBit }
        if heapSize != nil { m |= Self.heapSizeBit }
        return m
    }
}

/// Limits the runtime enforces, named once.
public enum SolanaLimits {
    /// IPv6 MTU minus headers: the largest legacy or v0 transaction.
    public static let packetDataSize = 1232
    /// SIMD-0385's limit for v1 transactions.
    public static let v1MaxTransactionSize = 4096
    public static let v1MaxSignatures = 12
    public static let v1MaxAddresses = 64
    public static let v1MaxInstructions = 64
    /// Account indexes are u8, so a message can name at most 256 accounts.
    public static let maxAccounts = 256
    public static let signatureSize = 64
    public static let minHeapSize: UInt32 = 32 * 1024
    public static let maxHeapSize: UInt32 = 256 * 1024
}
