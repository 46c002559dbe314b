/// Every failure the ledger reports. `code` is stable and meant for tests
/// and callers' branching; `message` is a sentence for people and logs.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An appended entry is malformed (a digest, signature or asset of the
        /// wrong length, a request digest that is not the request's). Only
        /// that caller fails; nothing was queued.
        public static let invalidEntry = Code(rawValue: "invalid_entry")
        /// SQLite failed (I/O error, disk full, another process holding the
        /// write lock). For an append: the batch was rolled back, nothing of
        /// it is visible, every caller in it got this error.
        public static let storage = Code(rawValue: "storage")
        /// The file is a ledger but its rows do not check out (head row's hash
        /// on open, an undecodable row on read). Run `waiaas ledger verify`.
        public static let corrupt = Code(rawValue: "corrupt")
        /// The file is not a WAIaaS ledger, or one of a format this build does not know.
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
        /// `close()` was called.
        public static let closed = Code(rawValue: "closed")
        /// An earlier commit failed after SQLite may have written it (COMMIT
        /// or ROLLBACK failed, or another process appended). What is on disk
        /// is no longer known to match the in-memory head, so the ledger
        /// refuses every further append; reopen it to continue from the file.
        public static let halted = Code(rawValue: "halted")
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
