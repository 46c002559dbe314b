/// The outcome of checking a whole ledger file.
public struct LedgerVerification: Sendable {
    /// Rows that checked out, from sequence 1 up to the first bad one.
    public var rowsChecked: UInt64
    /// The first sequence that is not as it should be: for a gap, the missing
    /// sequence; for a bad row, that row.
    public var firstBadSequence: UInt64?
    /// Why, in a sentence.
    public var problem: String?
    /// The last row that checked out (sequence 0 and zero hash when none).
    public var head: LedgerHead

    public var ok: Bool { firstBadSequence == nil && problem == nil }

    public init(rowsChecked: UInt64, firstBadSequence: UInt64?, problem: String?, head: LedgerHead) {
        self.rowsChecked = rowsChecked
        self.firstBadSequence = firstBadSequence
        self.problem = problem
        self.head = head
    }
}

/// Offline audit of a ledger file: recomputes every row's hash and the chain.
public enum LedgerVerifier {
    /// Opens `path` read-only (a running daemon may keep appending; the check
    /// reads one consistent snapshot) and walks every row in sequence order.
    /// Reports the first of: a gap in the sequence, a previous hash that is
    /// not the hash of the row before, a hash that does not match the row's
    /// contents, a request digest that is not SHA-256 of the request, or a row
    /// that cannot be decoded (wrong type, length or encoding in a column).
    ///
    /// Throws when the file cannot be read at all or is not a ledger. Rows
    /// removed from the end leave a shorter valid chain: compare `head` with
    /// a head recorded elsewhere to detect that.
    public static func verify(path: String) throws(LedgerError) -> LedgerVerification {
        let db: SQLiteConnection
        let statement: SQLiteStatement
        do {
            db = try LedgerFile.openExistingReadOnly(path)
            // Any format with this table and chain: the check reads rows in order and needs no index.
            try LedgerSchema.checkFormat(db, path: path, accepting: 1...LedgerSchema.formatVersion)
            statement = try db.prepare("SELECT \(LedgerSchema.columns) FROM ledger ORDER BY sequence")
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch {
            throw LedgerError(.storage, "\(path): \(error)")
        }

        var walk = ChainWalk()
        while true {
            let hasRow: Bool
            do throws(SQLiteError) {
                hasRow = try statement.step()
            } catch {
                // Page-level damage surfaces here (SQLITE_CORRUPT).
                return walk.failed(at: walk.expected, "SQLite cannot read past row \(walk.expected - 1): \(error)")
            }
            guard hasRow else { break }
            let row: LedgerRowCodec.StoredRow
            do throws(LedgerError) {
                row = try LedgerRowCodec.read(statement)
            } catch {
                return walk.failed(at: error.sequence ?? walk.expected, "undecodable row: \(error.message)")
            }
            if let failure = walk.check(row) { return failure }
        }
        return walk.result
    }
}

/// The verifier's state between rows: which sequence comes next and the hash
/// it must link to.
private struct ChainWalk {
    var expected: UInt64 = 1
    var head = LedgerHead.empty
    var rowsChecked: UInt64 = 0

    var result: LedgerVerification {
        LedgerVerification(rowsChecked: rowsChecked, firstBadSequence: nil, problem: nil, head: head)
    }

    func failed(at sequence: UInt64, _ problem: String) -> LedgerVerification {
        LedgerVerification(rowsChecked: rowsChecked, firstBadSequence: sequence, problem: problem, head: head)
    }

    /// Checks one row against the chain so far; nil when it is good.
    mutating func check(_ row: LedgerRowCodec.StoredRow) -> LedgerVerification? {
        let event = row.event
        guard event.sequence == expected else {
            // Rows come in ascending sequence order, so this one is past a gap.
            return failed(at: expected, "row \(expected) is missing (the next row is \(event.sequence))")
        }
        guard event.previousHash == head.hash else {
            let before = expected == 1 ? "32 zero bytes (it is the first row)" : "the hash of row \(expected - 1)"
            return failed(at: expected, "row \(expected): its previous hash is not \(before)")
        }
        guard LedgerChain.hash(previous: event.previousHash, row: row.chainRow) == event.hash else {
            return failed(at: expected, "row \(expected): its hash does not match its contents")
        }
        guard StreamingSHA256.digest(event.entry.request) == event.entry.requestDigest else {
            return failed(at: expected, "row \(expected): its request digest is not SHA-256 of its request")
        }
        head = LedgerHead(sequence: event.sequence, hash: event.hash)
        rowsChecked += 1
        expected += 1
        return nil
    }
}
