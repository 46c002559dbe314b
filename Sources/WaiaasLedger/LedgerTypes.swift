/// Why a decision came out as it did: a stable code plus a sentence.
public struct LedgerReason: Sendable, Equatable, Codable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// What an event moves out of the wallet in one asset.
public struct LedgerOutflow: Sendable, Equatable, Codable {
    /// Empty for SOL (amount in lamports), else the 32-byte SPL mint.
    public var asset: [UInt8]
    public var amount: UInt64

    public init(asset: [UInt8] = [], amount: UInt64) {
        self.asset = asset
        self.amount = amount
    }
}

/// The kinds of event the ledger records. The raw values are stored in the
/// `kind` column and hashed into the chain, so they never change.
public enum LedgerEventKind: String, Sendable, Codable, CaseIterable {
    case sign
    case deny
    case approvalRequired = "approval_required"
    case policySet = "policy_set"
    case propose
    case execute
    /// The emergency stop (docs/FREEZE.md): nothing is signed until an `unfreeze` row.
    case freeze
    case unfreeze

    /// The kinds whose rows may have spent from the agent's wallet.
    public static let spending: Set<LedgerEventKind> = [.sign, .propose, .execute]
}

/// What a caller appends; the ledger assigns the sequence, the time (when
/// 0), the request digest (when empty), the previous hash and the hash.
public struct LedgerEntry: Sendable, Equatable {
    public var kind: LedgerEventKind
    /// Milliseconds since the Unix epoch; 0 means "the ledger's clock at commit".
    public var timeUnixMilliseconds: UInt64
    /// The request's exact bytes (serialized protobuf), kept for replay and audit.
    public var request: [UInt8]
    /// SHA-256 of `request`; computed by the ledger when empty, and checked
    /// against `request` when given.
    public var requestDigest: [UInt8]
    /// SHA-256 of the bytes the agent signed (empty if nothing was signed):
    /// the idempotency key of sign events.
    public var messageDigest: [UInt8]
    /// "allow" | "deny" | "approval_required" | "policy_set" …
    public var decision: String
    public var reasons: [LedgerReason]
    public var outflows: [LedgerOutflow]
    /// 64 bytes when the agent signed, else empty.
    public var signature: [UInt8]
    public var policyVersion: UInt64
    /// The caller's own reference for the request (may be empty).
    public var clientReference: String

    public init(
        kind: LedgerEventKind,
        timeUnixMilliseconds: UInt64 = 0,
        request: [UInt8] = [],
        requestDigest: [UInt8] = [],
        messageDigest: [UInt8] = [],
        decision: String = "",
        reasons: [LedgerReason] = [],
        outflows: [LedgerOutflow] = [],
        signature: [UInt8] = [],
        policyVersion: UInt64 = 0,
        clientReference: String = ""
    ) {
        self.kind = kind
        self.timeUnixMilliseconds = timeUnixMilliseconds
        self.request = request
        self.requestDigest = requestDigest
        self.messageDigest = messageDigest
        self.decision = decision
        self.reasons = reasons
        self.outflows = outflows
        self.signature = signature
        self.policyVersion = policyVersion
        self.clientReference = clientReference
    }
}

/// A committed row: the entry as stored (time and request digest filled in)
/// with its place in the chain.
public struct LedgerEvent: Sendable, Equatable {
    public var sequence: UInt64
    public var entry: LedgerEntry
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(sequence: UInt64, entry: LedgerEntry, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }
}

extension LedgerEvent {
    /// Whether the row is a signature the agent made, so its outflows and the
    /// signature count in the windows: every sign row, and a propose or
    /// execute row whose decision was allow (their refusals are rows too).
    public var countsAgainstWindows: Bool {
        switch entry.kind {
        case .sign: true
        case .propose, .execute: entry.decision == "allow"
        case .deny, .approvalRequired, .policySet, .freeze, .unfreeze: false
        }
    }
}

/// The last committed row's sequence and hash; sequence 0 and 32 zero bytes
/// for an empty ledger (which is also the first row's previous hash).
public struct LedgerHead: Sendable, Equatable {
    public var sequence: UInt64
    public var hash: [UInt8]

    public init(sequence: UInt64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }

    public static let empty = LedgerHead(sequence: 0, hash: LedgerChain.genesisHash)
}

/// Counters of the group commit since the ledger was opened.
public struct LedgerStatistics: Sendable, Equatable {
    /// Transactions committed (each one fsync of the WAL).
    public var commits: UInt64 = 0
    /// Rows committed.
    public var rows: UInt64 = 0
    /// Batches that failed and were rolled back (their callers got the error).
    public var failedBatches: UInt64 = 0
    /// The most rows one commit carried.
    public var largestBatch: UInt64 = 0
    /// Time the writer spent in successful batches from BEGIN to the last
    /// INSERT (hashing and inserting: CPU), and in their COMMIT (writing the
    /// WAL and its fsync). Together they show where a commit's time goes.
    public var insertNanoseconds: UInt64 = 0
    public var commitNanoseconds: UInt64 = 0

    public init() {}

    /// Rows per fsync on average; 0 before the first commit.
    public var rowsPerCommit: Double {
        commits == 0 ? 0 : Double(rows) / Double(commits)
    }
}

/// How `Ledger.open` sets up the file's connections.
public struct LedgerOptions: Sendable, Equatable {
    /// How long a commit or read waits for a lock another process holds (an
    /// operator's `sqlite3` shell, a backup) before failing with `.storage`.
    public var busyTimeoutMilliseconds: Int32

    public init(busyTimeoutMilliseconds: Int32 = 5_000) {
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
}
