/// The Squads accounts the daemon reads, decoded strictly from their bytes
/// (borsh after the 8-byte Anchor account discriminator, which must match).
/// Bytes after the last field are allowed: the program allocates room to
/// grow (members, a rent collector) and does not clear what it shrinks.

/// `Multisig`: the members, their permissions, the threshold, and the index
/// of the last vault or config transaction created.
public struct SquadsMultisig: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: PublicKey
        public var permissions: SquadsPermissions

        public init(key: PublicKey, permissions: SquadsPermissions) {
            self.key = key
            self.permissions = permissions
        }
    }

    public static let discriminator = Squads.discriminator("account:Multisig")

    public var createKey: PublicKey
    /// `PublicKey.zero` for an autonomous multisig (changed only by its own proposals).
    public var configAuthority: PublicKey
    public var threshold: UInt16
    /// Seconds between approval and execution.
    public var timeLock: UInt32
    /// The last transaction index used; the next proposal takes `transactionIndex + 1`.
    public var transactionIndex: UInt64
    /// Proposals at or below this index are stale: they can no longer be approved.
    public var staleTransactionIndex: UInt64
    public var rentCollector: PublicKey?
    public var bump: UInt8
    /// Sorted by key, as the program keeps them (it finds members by binary search).
    public var members: [Member]

    public init(accountData bytes: [UInt8]) throws(SolanaDecodeError) {
        var r = try SquadsAccount.reader(bytes, Self.discriminator, "Multisig")
        createKey = try r.readPublicKey("create_key")
        configAuthority = try r.readPublicKey("config_authority")
        threshold = try r.readU16LE("threshold")
        timeLock = try r.readU32LE("time_lock")
        transactionIndex = try r.readU64LE("transaction_index")
        staleTransactionIndex = try r.readU64LE("stale_transaction_index")
        rentCollector = try r.readOptionalPublicKey("rent_collector")
        bump = try r.readU8("bump")
        let count = try r.readCount(4, minimumItemSize: 33, "members")
        var members: [Member] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            let key = try r.readPublicKey("member")
            let start = r.position
            let mask = try r.readU8("permissions")
            guard mask < 8 else { throw SolanaDecodeError(.invalidOption, offset: start, "permission mask \(mask) has unknown bits") }
            if let last = members.last, !(last.key.bytes.lexicographicallyPrecedes(key.bytes)) {
                throw SolanaDecodeError(.duplicateAccount, offset: start - 32, "members are not sorted and unique, as the program keeps them")
            }
            members.append(Member(key: key, permissions: SquadsPermissions(rawValue: mask)))
        }
        self.members = members
    }

    public func permissions(of key: PublicKey) -> SquadsPermissions? {
        members.first { $0.key == key }?.permissions
    }

    /// Members who may vote: an approval needs `threshold` of them.
    public var voters: Int { members.filter { $0.permissions.contains(.vote) }.count }
}

/// `Proposal`: the owners' votes on one transaction index.
public struct SquadsProposal: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case draft(since: Int64)
        case active(since: Int64)
        case rejected(at: Int64)
        case approved(at: Int64)
        /// Deprecated by the program; carries no timestamp.
        case executing
        case executed(at: Int64)
        case cancelled(at: Int64)

        public var name: String {
            switch self {
            case .draft: "draft"
            case .active: "active"
            case .rejected: "rejected"
            case .approved: "approved"
            case .executing: "executing"
            case .executed: "executed"
            case .cancelled: "cancelled"
            }
        }
    }

    public static let discriminator = Squads.discriminator("account:Proposal")

    public var multisig: PublicKey
    public var transactionIndex: UInt64
    public var status: Status
    public var bump: UInt8
    public var approved: [PublicKey]
    public var rejected: [PublicKey]
    public var cancelled: [PublicKey]

    public init(accountData bytes: [UInt8]) throws(SolanaDecodeError) {
        var r = try SquadsAccount.reader(bytes, Self.discriminator, "Proposal")
        multisig = try r.readPublicKey("multisig")
        transactionIndex = try r.readU64LE("transaction_index")
        let start = r.position
        let tag = try r.readU8("status")
        switch tag {
        case 4: status = .executing
        case 0...6:
            let time = try r.readI64LE("status timestamp")
            status = switch tag {
            case 0: .draft(since: time)
            case 1: .active(since: time)
            case 2: .rejected(at: time)
            case 3: .approved(at: time)
            case 5: .executed(at: time)
            default: .cancelled(at: time)
            }
        default: throw SolanaDecodeError(.invalidOption, offset: start, "proposal status \(tag) is not 0 to 6")
        }
        bump = try r.readU8("bump")
        approved = try r.readBorshKeys("approved")
        rejected = try r.readBorshKeys("rejected")
        cancelled = try r.readBorshKeys("cancelled")
    }
}

/// `VaultTransaction`: a message a vault executes once its proposal is approved.
public struct SquadsVaultTransaction: Sendable, Equatable {
    public static let discriminator = Squads.discriminator("account:VaultTransaction")

    public var multisig: PublicKey
    public var creator: PublicKey
    public var index: UInt64
    public var bump: UInt8
    public var vaultIndex: UInt8
    public var vaultBump: UInt8
    public var ephemeralSignerBumps: [UInt8]
    public var message: SquadsTransactionMessage

    public init(accountData bytes: [UInt8]) throws(SolanaDecodeError) {
        var r = try SquadsAccount.reader(bytes, Self.discriminator, "VaultTransaction")
        multisig = try r.readPublicKey("multisig")
        creator = try r.readPublicKey("creator")
        index = try r.readU64LE("index")
        bump = try r.readU8("bump")
        vaultIndex = try r.readU8("vault_index")
        vaultBump = try r.readU8("vault_bump")
        ephemeralSignerBumps = try r.readBorshBytes("ephemeral_signer_bumps")
        message = try SquadsTransactionMessage(reading: &r, .stored)
    }
}

/// `SpendingLimit`: what members may move out of a vault without a
/// proposal, per fixed period.
public struct SquadsSpendingLimit: Sendable, Equatable {
    /// Squads' periods are fixed and reset on their own schedule (not rolling windows).
    public enum Period: UInt8, Sendable, Equatable {
        case oneTime = 0, day = 1, week = 2, month = 3

        /// The program's lengths; a month is 30 days. Nil: never resets.
        public var seconds: Int64? {
            switch self {
            case .oneTime: nil
            case .day: 86_400
            case .week: 604_800
            case .month: 2_592_000
            }
        }
    }

    public static let discriminator = Squads.discriminator("account:SpendingLimit")

    public var multisig: PublicKey
    public var createKey: PublicKey
    public var vaultIndex: UInt8
    /// `PublicKey.zero` for SOL.
    public var mint: PublicKey
    public var amount: UInt64
    public var period: Period
    public var remainingAmount: UInt64
    public var lastReset: Int64
    public var bump: UInt8
    public var members: [PublicKey]
    /// Empty: any destination.
    public var destinations: [PublicKey]

    public init(accountData bytes: [UInt8]) throws(SolanaDecodeError) {
        var r = try SquadsAccount.reader(bytes, Self.discriminator, "SpendingLimit")
        multisig = try r.readPublicKey("multisig")
        createKey = try r.readPublicKey("create_key")
        vaultIndex = try r.readU8("vault_index")
        mint = try r.readPublicKey("mint")
        amount = try r.readU64LE("amount")
        let start = r.position
        let periodByte = try r.readU8("period")
        guard let period = Period(rawValue: periodByte) else {
            throw SolanaDecodeError(.invalidOption, offset: start, "spending-limit period \(periodByte) is not 0 to 3")
        }
        self.period = period
        remainingAmount = try r.readU64LE("remaining_amount")
        lastReset = try r.readI64LE("last_reset")
        bump = try r.readU8("bump")
        members = try r.readBorshKeys("members")
        destinations = try r.readBorshKeys("destinations")
    }
}

enum SquadsAccount {
    /// A reader past the discriminator, which must be the one `name` has.
    static func reader(_ bytes: [UInt8], _ discriminator: [UInt8], _ name: String) throws(SolanaDecodeError) -> ByteReader {
        guard bytes.count >= 8 else { throw SolanaDecodeError.truncated(at: bytes.count, needed: 8 - bytes.count, "the \(name) discriminator") }
        guard Array(bytes.prefix(8)) == discriminator else {
            throw SolanaDecodeError(.wrongAccountType, offset: 0, "the account is not a Squads \(name) (its discriminator is \(Hex.encode(Array(bytes.prefix(8)))))")
        }
        var reader = ByteReader(bytes)
        _ = try reader.readBytes(8, "discriminator")
        return reader
    }
}
