internal import CSQLite

/// The ledger file's layout (format v2) and the checks that a file is one.
///
/// One STRICT table, so SQLite itself refuses a value of the wrong type even
/// from an operator's `sqlite3` shell; `sequence` is the rowid, so rows are
/// stored and read in chain order without a separate index.
enum LedgerSchema {
    /// "WAIL": marks the file as a WAIaaS ledger (`PRAGMA application_id`).
    static let applicationID: Int32 = 0x5741_494C
    /// The file format (`PRAGMA user_version`); bumps when the layout or the chain changes.
    /// v2 has the v1 table and chain; only two indexes changed (see `upgradeFromV1`).
    static let formatVersion: Int32 = 2

    static let columns = """
        sequence, time_ms, kind, request, request_digest, message_digest, decision, \
        reasons, outflows, signature, policy_version, client_reference, previous_hash, hash
        """

    static let create = """
        CREATE TABLE ledger (
            sequence INTEGER PRIMARY KEY,
            time_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            request BLOB NOT NULL,
            request_digest BLOB NOT NULL,
            message_digest BLOB NOT NULL,
            decision TEXT NOT NULL,
            reasons BLOB NOT NULL,
            outflows BLOB NOT NULL,
            signature BLOB NOT NULL,
            policy_version INTEGER NOT NULL,
            client_reference TEXT NOT NULL,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        ) STRICT;
        -- Spending windows are rebuilt from a time range at start.
        CREATE INDEX ledger_time ON ledger(time_ms);
        \(v2Indexes)
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(formatVersion);
        """

    /// Nearly every row's kind: kept out of the kind index, which then
    /// serves only the rare kinds (the policy in force, freezes, proposals).
    static let commonKinds: [LedgerEventKind] = [.sign, .deny]
    /// `commonKinds` as an SQL list: `('sign', 'deny')`.
    static let commonKindsSQL = "(" + commonKinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// The two indexes every commit pays for most, kept small: each Sign row
    /// enters one index entry of 8 bytes where v1 kept 32, and no kind entry.
    /// Measured with `waiaas-ledger-stress bench` at 32 appenders: v1's full
    /// digest and full kind indexes held the ledger to 22k-32k rows/s with
    /// COMMIT at 350-500 µs; these reach 49k-56k with COMMIT at 180 µs.
    static let v2Indexes = """
        -- Idempotency: the sign event for given signed bytes, found by the first
        -- 8 bytes of their SHA-256 and confirmed on the whole digest. Partial,
        -- so deny and policy rows cost nothing here.
        CREATE INDEX ledger_sign_message_key ON ledger(substr(message_digest, 1, 8)) WHERE kind = 'sign';
        -- The latest row of a rare kind (the policy in force, a freeze) without
        -- a scan; sign and deny rows, nearly all of them, stay out.
        CREATE INDEX ledger_rare_kind ON ledger(kind) WHERE kind NOT IN \(commonKindsSQL);
        """

    /// v1 to v2 in place, inside the writer's first transaction: the rows and
    /// the chain are untouched, so the head anchor still matches.
    static let upgradeFromV1 = """
        DROP INDEX ledger_sign_message_digest;
        DROP INDEX ledger_kind;
        \(v2Indexes)
        PRAGMA user_version = \(formatVersion);
        """

    /// Prepares the writer connection: WAL, full synchronous commits, and the
    /// schema on a new file; upgrades a v1 ledger; refuses anything else.
    static func prepareForWriting(_ db: SQLiteConnection, path: String, options: LedgerOptions) throws(LedgerError) {
        do {
            db.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
            // WAL: readers never block the writer and a commit is one append +
            // one fsync of the log. The mode is persistent in the file.
            let mode = try db.pragmaText("journal_mode = WAL")
            guard mode.lowercased() == "wal" else {
                throw LedgerError(.storage, "\(path): SQLite refused WAL mode (got \(mode))")
            }
            // FULL: every COMMIT fsyncs the WAL, so a committed row survives a
            // power cut, not only a process crash.
            try db.execute("PRAGMA synchronous = FULL", "set synchronous")
            try db.execute("BEGIN IMMEDIATE", "begin schema check")
            do {
                if try isEmptyDatabase(db) {
                    try db.execute(create, "create schema")
                } else if try checkFormat(db, path: path, accepting: 1...formatVersion) == 1 {
                    try db.execute(upgradeFromV1, "upgrade the ledger from format 1")
                }
                try db.execute("COMMIT", "commit schema")
            } catch {
                if db.isInTransaction { try? db.execute("ROLLBACK", "rollback schema") }
                throw error
            }
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "\(error)")
        }
    }

    /// Refuses anything but a ledger of a format in `accepting` (readers:
    /// the current one; the verifier, which needs no index, and the writer,
    /// which upgrades, also v1); returns the file's format.
    @discardableResult
    static func checkFormat(
        _ db: SQLiteConnection, path: String, accepting: ClosedRange<Int32> = formatVersion...formatVersion
    ) throws -> Int32 {
        let applicationID = Int32(try db.pragmaText("application_id")) ?? 0
        guard applicationID == Self.applicationID else {
            throw LedgerError(.unsupportedFormat, "\(path) is not a WAIaaS ledger (application_id \(applicationID))")
        }
        let version = Int32(try db.pragmaText("user_version")) ?? 0
        guard accepting.contains(version) else {
            let remedy = version == 1 ? " (start waiaasd on it once: it upgrades the file in place and keeps every row)" : ""
            throw LedgerError(
                .unsupportedFormat, "\(path) is ledger format \(version); this build reads format \(formatVersion)\(remedy)"
            )
        }
        return version
    }

    private static func isEmptyDatabase(_ db: SQLiteConnection) throws(SQLiteError) -> Bool {
        let statement = try db.prepare("SELECT count(*) FROM sqlite_schema")
        guard try statement.step() else { return true }
        return statement.int64(0) == 0
    }
}
