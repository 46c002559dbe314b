/// Read-only access to a ledger file, for offline tools (`waiaas ledger
/// tail`) that must never write to it or create it, and may run beside the
/// daemon that owns it: the file is opened read-only and each query reads
/// the committed rows of that moment.
public final class LedgerFileReader: Sendable {
    public let path: String
    private let reader: LedgerReader

    private init(path: String, reader: LedgerReader) {
        self.path = path
        self.reader = reader
    }

    /// Opens an existing ledger; refuses a missing file or one that is not a ledger.
    public static func open(path: String) throws(LedgerError) -> LedgerFileReader {
        let db: SQLiteConnection
        do {
            db = try LedgerFile.openExistingReadOnly(path)
            try LedgerSchema.checkFormat(db, path: path)
            db.setBusyTimeout(milliseconds: 5_000)
        } catch let error as LedgerError {
            throw error
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch {
            throw LedgerError(.storage, "\(path): \(error)")
        }
        return LedgerFileReader(path: path, reader: LedgerReader(path: path, db: db))
    }

    /// The last row's sequence and hash, as stored (not re-verified: that is
    /// `LedgerVerifier`'s job).
    public func head() throws(LedgerError) -> LedgerHead {
        guard let last = try reader.lastEvents(count: 1).last else { return .empty }
        return LedgerHead(sequence: last.sequence, hash: last.hash)
    }

    public func lastEvents(count: Int) throws(LedgerError) -> [LedgerEvent] {
        try reader.lastEvents(count: count)
    }

    public func events(from sequence: UInt64, limit: Int) throws(LedgerError) -> [LedgerEvent] {
        try reader.events(from: sequence, limit: limit)
    }

    public func events(since timeUnixMilliseconds: UInt64, kinds: Set<LedgerEventKind>) throws(LedgerError) -> [LedgerEvent] {
        try reader.events(since: timeUnixMilliseconds, kinds: kinds)
    }

    public func event(messageDigest: [UInt8]) throws(LedgerError) -> LedgerEvent? {
        try reader.event(messageDigest: messageDigest)
    }

    public func latest(kind: LedgerEventKind) throws(LedgerError) -> LedgerEvent? {
        try reader.latest(kind: kind)
    }

    public func close() {
        reader.close()
    }
}
