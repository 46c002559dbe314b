/// An entry checked and encoded on the caller's thread, so the single writer
/// thread only assigns sequence and time, hashes and inserts.
struct PreparedEntry: Sendable {
    var entry: LedgerEntry
    var kind: [UInt8]
    var decision: [UInt8]
    var reasons: [UInt8]
    var outflows: [UInt8]
    var clientReference: [UInt8]

    /// Bounds that keep every length inside the chain's u32 prefixes with a
    /// wide margin; real requests are a few hundred bytes (frames cap at 64 KiB).
    static let maximumFieldBytes = 16 << 20
    static let maximumListCount = 65_535

    init(_ original: LedgerEntry) throws(LedgerError) {
        var entry = original
        try Self.check(entry.request.count <= Self.maximumFieldBytes, "request is \(entry.request.count) bytes")
        let digest = StreamingSHA256.digest(entry.request)
        if entry.requestDigest.isEmpty {
            entry.requestDigest = digest
        } else {
            try Self.check(entry.requestDigest == digest, "requestDigest is not SHA-256 of request")
        }
        try Self.check(
            entry.messageDigest.isEmpty || entry.messageDigest.count == 32,
            "messageDigest is \(entry.messageDigest.count) bytes (want 0 or 32)"
        )
        try Self.check(
            entry.signature.isEmpty || entry.signature.count == 64,
            "signature is \(entry.signature.count) bytes (want 0 or 64)"
        )
        try Self.check(entry.reasons.count <= Self.maximumListCount, "\(entry.reasons.count) reasons")
        try Self.check(entry.outflows.count <= Self.maximumListCount, "\(entry.outflows.count) outflows")
        for outflow in entry.outflows {
            try Self.check(
                outflow.asset.isEmpty || outflow.asset.count == 32,
                "an outflow's asset is \(outflow.asset.count) bytes (want 0 for SOL or a 32-byte mint)"
            )
        }
        self.entry = entry
        self.kind = Array(entry.kind.rawValue.utf8)
        self.decision = Array(entry.decision.utf8)
        self.clientReference = Array(entry.clientReference.utf8)
        self.reasons = CanonicalLists.encode(entry.reasons)
        self.outflows = CanonicalLists.encode(entry.outflows)
        try Self.check(decision.count <= Self.maximumFieldBytes, "decision is \(decision.count) bytes")
        try Self.check(clientReference.count <= Self.maximumFieldBytes, "clientReference is \(clientReference.count) bytes")
        try Self.check(reasons.count <= Self.maximumFieldBytes, "reasons take \(reasons.count) bytes")
    }

    /// The row as hashed and stored, once the writer has placed it.
    func chainRow(sequence: UInt64, timeUnixMilliseconds: UInt64) -> ChainRow {
        ChainRow(
            sequence: sequence, timeUnixMilliseconds: timeUnixMilliseconds, kind: kind,
            request: entry.request, requestDigest: entry.requestDigest, messageDigest: entry.messageDigest,
            decision: decision, reasons: reasons, outflows: outflows, signature: entry.signature,
            policyVersion: entry.policyVersion, clientReference: clientReference
        )
    }

    private static func check(_ condition: Bool, _ problem: @autoclosure () -> String) throws(LedgerError) {
        guard condition else { throw LedgerError(.invalidEntry, problem()) }
    }
}
