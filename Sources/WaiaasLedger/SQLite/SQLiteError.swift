internal import CSQLite

/// A failed libsqlite3 call: the extended result code, SQLite's own message
/// and what the ledger was doing, so a log line says which step broke.
struct SQLiteError: Error, CustomStringConvertible {
    /// The extended result code (e.g. SQLITE_IOERR_FSYNC, SQLITE_CONSTRAINT_PRIMARYKEY).
    var code: Int32
    var message: String
    var operation: String

    /// SQLITE_CONSTRAINT_PRIMARYKEY, a C macro Swift cannot import:
    /// SQLITE_CONSTRAINT (19) | 6 << 8.
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | 6 << 8

    /// The primary result code (the low byte of the extended one).
    var primaryCode: Int32 { code & 0xFF }

    var description: String {
        "\(operation): \(message) (sqlite code \(code))"
    }

    /// Builds the error from the connection's last failure; call it right after
    /// the failing call, before anything else touches the connection.
    init(_ db: OpaquePointer?, _ code: Int32, _ operation: String) {
        self.code = db.map { sqlite3_extended_errcode($0) } ?? code
        if let db, let text = sqlite3_errmsg(db) {
            self.message = String(cString: text)
        } else if let text = sqlite3_errstr(code) {
            self.message = String(cString: text)
        } else {
            self.message = "unknown error"
        }
        self.operation = operation
    }

    init(code: Int32, message: String, operation: String) {
        self.code = code
        self.message = message
        self.operation = operation
    }
}
