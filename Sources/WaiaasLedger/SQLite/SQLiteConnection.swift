internal import CSQLite

/// One libsqlite3 connection, owned: closed when the last reference goes.
///
/// Not thread-safe by itself. It is opened with SQLITE_OPEN_NOMUTEX, so
/// SQLite takes no lock per call; whoever holds the connection must use it
/// from one thread at a time (the ledger's writer thread, or under the
/// reader's lock).
final class SQLiteConnection {
    let handle: OpaquePointer

    enum Mode {
        /// Creates the file if missing (the caller has already created it 0600).
        case readWrite
        /// Never writes: the offline verifier and CLI read through this.
        case readOnly
    }

    init(path: String, mode: Mode) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(db, rc, "open \(path)")
            // sqlite3_open_v2 returns a handle even on failure; it must be closed.
            if let db { sqlite3_close_v2(db) }
            throw error
        }
        self.handle = db
    }

    deinit {
        // close_v2 defers the close until every statement is finalized, so
        // the order in which Swift releases statements and connection is moot.
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that returns no rows we need (schema, pragmas, one-off statements).
    func execute(_ sql: String, _ operation: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(handle, rc, operation) }
    }

    /// Compiles a statement. `persistent` tells SQLite it will be reused many
    /// times (it then avoids its lookaside allocator for it).
    func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(handle, rc, "prepare \(sql.prefix(60))")
        }
        return SQLiteStatement(owning: statement, connection: self)
    }

    /// Waits up to `milliseconds` for a lock another connection holds
    /// (e.g. an operator's `sqlite3` shell) before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// True while a transaction is open (SQLite is not in autocommit mode).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Reads a single integer or text pragma (e.g. `journal_mode`, `user_version`).
    func pragmaText(_ name: String) throws(SQLiteError) -> String {
        let statement = try prepare("PRAGMA \(name)")
        guard try statement.step() else {
            throw SQLiteError(code: SQLITE_ERROR, message: "no result", operation: "PRAGMA \(name)")
        }
        return String(decoding: statement.textBytes(0), as: UTF8.self)
    }
}
