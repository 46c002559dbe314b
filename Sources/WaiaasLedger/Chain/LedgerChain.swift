internal import CSodium

/// The hash chain, format v1. This comment is the audit contract: anyone
/// can recompute a ledger's chain from it with `sqlite3` and a SHA-256 tool.
///
/// Row n's hash is
///
///     hash(n) = SHA-256( "waiaas ledger v1" || 0x00 || hash(n-1) || body(n) )
///
/// with hash(0) = 32 zero bytes (the empty ledger's head, and row 1's
/// previous hash). Sequences start at 1 and have no gaps. body(n) is the
/// concatenation, in this order, of the row's columns:
///
///     u64(sequence)
///     u64(time_ms)                 milliseconds since the Unix epoch
///     bytes(kind)                  "sign" | "deny" | "approval_required" | "policy_set" | "propose"
///     bytes(request)               the request's exact bytes
///     bytes(request_digest)        SHA-256(request), 32 bytes
///     bytes(message_digest)        SHA-256 of the signed bytes, 32 bytes, or empty
///     bytes(decision)
///     reasons                      the `reasons` column as stored (encoding below)
///     outflows                     the `outflows` column as stored (encoding below)
///     bytes(signature)             64 bytes, or empty
///     u64(policy_version)
///     bytes(client_reference)
///
/// where u32(x) and u64(x) are 4 and 8 bytes big-endian, bytes(b) is
/// u32(length of b) || b, and text is its UTF-8 bytes exactly as stored
/// (rows whose text is not valid UTF-8 are undecodable). The two list columns
/// hold their own canonical encoding, which is hashed verbatim:
///
///     reasons  = u32(count) || for each reason:  bytes(code) || bytes(message)
///     outflows = u32(count) || for each outflow: bytes(asset) || u64(amount)
///
/// (asset empty for SOL in lamports, else the 32-byte mint). Every variable
/// field carries its length and every fixed field has a fixed width, in a
/// fixed order, so two different rows never share a body; a list column with
/// trailing bytes or a length past its end is undecodable, so each stored
/// value has exactly one meaning. Integers are stored in SQLite by their
/// 64-bit two's-complement bit pattern (a value above 2^63-1 reads negative
/// in the `sqlite3` shell) and hashed as the unsigned value.
public enum LedgerChain {
    /// The domain tag that opens every hash input: keeps ledger hashes apart
    /// from any other SHA-256 the daemon computes.
    public static let domainTag: [UInt8] = Array("waiaas ledger v1".utf8) + [0]

    /// hash(0): the empty ledger's head hash and row 1's previous hash.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// Recomputes an event's hash from its fields and its stored previous hash.
    public static func hash(of event: LedgerEvent) -> [UInt8] {
        hash(previous: event.previousHash, row: ChainRow(sequence: event.sequence, entry: event.entry))
    }

    /// hash(n) from hash(n-1) and row n's fields as hashed.
    static func hash(previous: [UInt8], row: ChainRow) -> [UInt8] {
        var hasher = StreamingSHA256()
        hasher.update(domainTag)
        hasher.update(previous)
        hasher.updateU64(row.sequence)
        hasher.updateU64(row.timeUnixMilliseconds)
        hasher.updateLengthPrefixed(row.kind)
        hasher.updateLengthPrefixed(row.request)
        hasher.updateLengthPrefixed(row.requestDigest)
        hasher.updateLengthPrefixed(row.messageDigest)
        hasher.updateLengthPrefixed(row.decision)
        hasher.update(row.reasons)
        hasher.update(row.outflows)
        hasher.updateLengthPrefixed(row.signature)
        hasher.updateU64(row.policyVersion)
        hasher.updateLengthPrefixed(row.clientReference)
        return hasher.finish()
    }
}

/// A row's fields exactly as they are hashed and stored: text as its UTF-8
/// bytes, the two lists in their canonical encoding. Both the writer (from a
/// `LedgerEntry`) and the verifier (from raw columns) build this, so they
/// cannot disagree on what is hashed.
struct ChainRow {
    var sequence: UInt64
    var timeUnixMilliseconds: UInt64
    var kind: [UInt8]
    var request: [UInt8]
    var requestDigest: [UInt8]
    var messageDigest: [UInt8]
    var decision: [UInt8]
    var reasons: [UInt8]
    var outflows: [UInt8]
    var signature: [UInt8]
    var policyVersion: UInt64
    var clientReference: [UInt8]

    init(
        sequence: UInt64, timeUnixMilliseconds: UInt64, kind: [UInt8], request: [UInt8],
        requestDigest: [UInt8], messageDigest: [UInt8], decision: [UInt8], reasons: [UInt8],
        outflows: [UInt8], signature: [UInt8], policyVersion: UInt64, clientReference: [UInt8]
    ) {
        self.sequence = sequence
        self.timeUnixMilliseconds = timeUnixMilliseconds
        self.kind = kind
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

    init(sequence: UInt64, entry: LedgerEntry) {
        self.init(
            sequence: sequence,
            timeUnixMilliseconds: entry.timeUnixMilliseconds,
            kind: Array(entry.kind.rawValue.utf8),
            request: entry.request,
            requestDigest: entry.requestDigest,
            messageDigest: entry.messageDigest,
            decision: Array(entry.decision.utf8),
            reasons: CanonicalLists.encode(entry.reasons),
            outflows: CanonicalLists.encode(entry.outflows),
            signature: entry.signature,
            policyVersion: entry.policyVersion,
            clientReference: Array(entry.clientReference.utf8)
        )
    }
}
