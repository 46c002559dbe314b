internal import CSQLite

/// The ledger file's layout (format v1) and the checks that a file is one.
///
/// One STRICT table, so SQLite itself refuses a value of the wrong type even
/// from an operator's `sqlite3` shell; `sequence` is the rowid, so rows are
/// stored and read in chain order without a separate index.
enum LedgerSchema {
    /// "WAIL": marks the file as a WAIaaS ledger (`PRAGMA application_id`).
    static let applicationID: Int32 = 0x5741_494C
    /// The file format (`PRAGMA user_version`); bumps when the layout or the chain changes.
    static let formatVersion: Int32 = 1

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
        -- Idempotency: the sign event for given signed bytes. Partial, so deny
        -- and policy rows cost nothing here.
        CREATE INDEX ledger_sign_message_digest ON ledger(message_digest) WHERE kind = 'sign';
        -- Spending windows are rebuilt from a time range at start.
        CREATE INDEX ledger_time ON ledger(time_ms);
        -- The latest row of a kind (the policy in force) without a scan.
        CREATE INDEX ledger_kind ON ledger(kind);
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(formatVersion);
        """

    /// Prepares the writer connection: WAL, full synchronous commits, and the
    /// schema on a new file; refuses a file that is not a v1 ledger.
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
                } else {
                    try checkFormat(db, path: path)
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

    /// Refuses anything but a v1 ledger (read-only connections: verifier, readers).
    static func checkFormat(_ db: SQLiteConnection, path: String) throws {
        let applicationID = Int32(try db.pragmaText("application_id")) ?? 0
        guard applicationID == Self.applicationID else {
            throw LedgerError(.unsupportedFormat, "\(path) is not a WAIaaS ledger (application_id \(applicationID))")
        }
        let version = Int32(try db.pragmaText("user_version")) ?? 0
        guard version == formatVersion else {
            throw LedgerError(
                .unsupportedFormat, "\(path) is ledger format \(version); this build reads format \(formatVersion)"
            )
        }
    }

    private static func isEmptyDatabase(_ db: SQLiteConnection) throws(SQLiteError) -> Bool {
        let statement = try db.prepare("SELECT count(*) FROM sqlite_schema")
        guard try statement.step() else { return true }
        return statement.int64(0) == 0
    }
}
