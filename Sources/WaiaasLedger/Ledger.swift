/// The durable, hash-chained event ledger (docs/ARCHITECTURE.md): one SQLite file in WAL
/// mode with synchronous=FULL, one row per event, each row's hash chaining it
/// to the one before (`LedgerChain` documents the encoding).
///
/// Appends go through group commit: one writer thread takes every entry
/// queued by concurrent callers and commits them in one transaction, one
/// fsync; each caller resumes only after that COMMIT. Reads run on a second
/// connection and never wait for the writer. Nothing here blocks Swift's
/// cooperative pool or an event loop except the synchronous read queries,
/// which are index lookups (use them at start, or off the event loop).
public final class Ledger: Sendable {
    public let path: String
    private let writer: GroupCommitWriter
    private let reader: LedgerReader

    private init(path: String, writer: GroupCommitWriter, reader: LedgerReader) {
        self.path = path
        self.writer = writer
        self.reader = reader
    }

    /// Opens the ledger at `path`, creating it (mode 0600, schema, WAL) when
    /// missing. Refuses a file that is not a ledger of this format, or whose
    /// last row does not check out (its hash and its link to the row before).
    public static func open(path: String, options: LedgerOptions = LedgerOptions()) throws(LedgerError) -> Ledger {
        try LedgerFile.createIfMissing(path)
        let writeConnection: SQLiteConnection
        let readConnection: SQLiteConnection
        do throws(SQLiteError) {
            writeConnection = try SQLiteConnection(path: path, mode: .readWrite)
        } catch {
            throw .storage(error)
        }
        try LedgerSchema.prepareForWriting(writeConnection, path: path, options: options)
        let head = try HeadCheck.head(of: writeConnection, path: path)
        do throws(SQLiteError) {
            readConnection = try SQLiteConnection(path: path, mode: .readWrite)
            // Read-write so it can share the WAL index like any reader, but it
            // refuses to write: only the writer thread changes the file.
            try readConnection.execute("PRAGMA query_only = ON", "set query_only")
            readConnection.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
        } catch {
            throw .storage(error)
        }
        let writer = try GroupCommitWriter(db: writeConnection, head: head, path: path)
        return Ledger(path: path, writer: writer, reader: LedgerReader(path: path, db: readConnection))
    }

    deinit {
        close()
    }

    // MARK: appending

    /// Appends entries as consecutive rows, sharing one transaction and one
    /// fsync with whatever other callers appended meanwhile. Returns the
    /// committed events (sequence, time, digests and hashes filled in) only
    /// after COMMIT. On failure nothing of the batch is visible and every
    /// caller in it gets the error. An invalid entry fails this call alone.
    ///
    /// Not cancellable once queued: the rows may already be in the commit
    /// under way, and the caller must learn whether they are.
    public func append(_ entries: [LedgerEntry]) async throws(LedgerError) -> [LedgerEvent] {
        guard !entries.isEmpty else { return [] }
        let prepared = try Self.prepare(entries)
        let result = await withCheckedContinuation { continuation in
            writer.submit(prepared, .continuation(continuation))
        }
        return try result.get()
    }

    /// `append` for callers that are not in an async context (a NIO handler
    /// completing a promise): `completion` runs once, on the ledger's writer
    /// thread after COMMIT (or at once on the calling thread when the entries
    /// are invalid or the ledger is closed). It must not block: every later
    /// batch waits for it. Hop to your event loop instead.
    public func append(
        _ entries: [LedgerEntry], completion: @escaping @Sendable (Result<[LedgerEvent], LedgerError>) -> Void
    ) {
        guard !entries.isEmpty else { return completion(.success([])) }
        do throws(LedgerError) {
            writer.submit(try Self.prepare(entries), .callback(completion))
        } catch {
            completion(.failure(error))
        }
    }

    private static func prepare(_ entries: [LedgerEntry]) throws(LedgerError) -> [PreparedEntry] {
        var prepared: [PreparedEntry] = []
        prepared.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            do throws(LedgerError) {
                prepared.append(try PreparedEntry(entry))
            } catch {
                var error = error
                if entries.count > 1 { error.message = "entry \(index): \(error.message)" }
                throw error
            }
        }
        return prepared
    }

    /// `body` runs on the writer thread with each new head, after the
    /// batch's callers are completed. It must not block. One observer.
    public func observeCommits(_ body: @escaping @Sendable (LedgerHead) -> Void) {
        writer.observeCommits(body)
    }

    // MARK: state

    /// The last committed row; sequence 0 and 32 zero bytes when empty.
    public func head() -> LedgerHead {
        writer.head
    }

    /// Group-commit counters since open (commits = fsyncs, rows, batch sizes).
    public var statistics: LedgerStatistics {
        writer.statistics
    }

    // MARK: reading (synchronous; committed rows only)

    /// The newest `count` events, oldest first.
    public func lastEvents(count: Int) throws(LedgerError) -> [LedgerEvent] {
        try reader.lastEvents(count: count)
    }

    /// Up to `limit` events from `sequence` on, in order.
    public func events(from sequence: UInt64, limit: Int) throws(LedgerError) -> [LedgerEvent] {
        try reader.events(from: sequence, limit: limit)
    }

    /// Every event at or after `timeUnixMilliseconds` of the given kinds (all
    /// kinds when the set is empty), in sequence order: spending windows are
    /// rebuilt from this at start.
    public func events(since timeUnixMilliseconds: UInt64, kinds: Set<LedgerEventKind>) throws(LedgerError) -> [LedgerEvent] {
        try reader.events(since: timeUnixMilliseconds, kinds: kinds)
    }

    /// The first sign event whose signed bytes have this SHA-256, if any
    /// (indexed): what makes Sign idempotent across restarts.
    public func event(messageDigest: [UInt8]) throws(LedgerError) -> LedgerEvent? {
        try reader.event(messageDigest: messageDigest)
    }

    /// Calls `body` with the message digest of every sign event: what an
    /// in-memory index of signed messages is built from at start.
    public func forEachSignedMessageDigest(_ body: ([UInt8]) -> Void) throws(LedgerError) {
        try reader.forEachSignedMessageDigest(body)
    }

    /// The newest event of a kind (e.g. `.policySet`: the policy in force).
    public func latest(kind: LedgerEventKind) throws(LedgerError) -> LedgerEvent? {
        try reader.latest(kind: kind)
    }

    /// Commits whatever is queued, stops the writer thread and closes both
    /// connections. Later appends and reads fail with `.closed`. Idempotent.
    public func close() {
        writer.close()
        reader.close()
    }
}
