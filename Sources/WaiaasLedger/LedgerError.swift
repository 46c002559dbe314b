/// Every failure the ledger reports. `code` is stable and meant for tests
/// and callers' branching; `message` is a sentence for people and logs.
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// An appended entry is malformed (a digest, signature or asset of the
        /// wrong length, a request digest that is not the request's). Only
        /// that caller fails; nothing was queued.
        case invalidEntry = "invalid_entry"
        /// SQLite failed (I/O error, disk full, another process holding the
        /// write lock). For an append: the batch was rolled back, nothing of
        /// it is visible, every caller in it got this error.
        case storage
        /// The file is a ledger but its rows do not check out (head row's hash
        /// on open, an undecodable row on read). Run `waiaas ledger verify`.
        case corrupt
        /// The file is not a WAIaaS ledger, or one of a format this build does not know.
        case unsupportedFormat = "unsupported_format"
        /// `close()` was called.
        case closed
        /// An earlier commit failed after SQLite may have written it (COMMIT
        /// or ROLLBACK failed, or another process appended). What is on disk
        /// is no longer known to match the in-memory head, so the ledger
        /// refuses every further append; reopen it to continue from the file.
        case halted
    }

    public var code: Code
    public var message: String
    /// The row concerned, when there is one (`corrupt`).
    public var sequence: UInt64?
    /// SQLite's extended result code, for `storage` (and `halted` caused by storage).
    public var sqliteCode: Int32?

    public init(_ code: Code, _ message: String, sequence: UInt64? = nil, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sequence = sequence
        self.sqliteCode = sqliteCode
    }

    public var description: String { "ledger \(code.rawValue): \(message)" }

    static func storage(_ error: SQLiteError) -> LedgerError {
        LedgerError(.storage, error.description, sqliteCode: error.code)
    }
}
