internal import CSQLite

/// How an appender learns its batch's outcome.
enum AppendCompletion: Sendable {
    case continuation(CheckedContinuation<Result<[LedgerEvent], LedgerError>, Never>)
    case callback(@Sendable (Result<[LedgerEvent], LedgerError>) -> Void)

    func complete(_ result: Result<[LedgerEvent], LedgerError>) {
        switch self {
        case .continuation(let continuation): continuation.resume(returning: result)
        case .callback(let callback): callback(result)
        }
    }
}

/// The one writer of a ledger file, on its own thread: group commit.
///
/// Appenders queue prepared entries and sleep (a continuation or a
/// callback). The thread takes everything queued, writes it in one
/// `BEGIN IMMEDIATE; INSERT…; COMMIT` (WAL + synchronous=FULL: one fsync),
/// publishes the new head, then completes every appender of the batch. While
/// it sits in fsync the next batch accumulates, so under load each fsync
/// carries many rows and throughput does not pay one fsync per row.
final class GroupCommitWriter: @unchecked Sendable {
    // @unchecked Sendable: `queue` is lock-protected; `resources` is touched
    // only by the writer thread (and by `init` before the thread exists).

    private struct Pending {
        var entries: [PreparedEntry]
        var completion: AppendCompletion
    }

    private struct Queue {
        var pending: [Pending] = []
        // True when the writer may be asleep and needs a signal; it starts asleep.
        var writerIdle = true
        var closing = false
        var halted: LedgerError?
        /// The halt came from a failed COMMIT (a full disk, an I/O error): the
        /// next batch first re-reads the head from the file and goes on.
        var recoverable = false
        var head: LedgerHead
        var statistics = LedgerStatistics()
    }

    /// The writer thread's SQLite objects: released by the thread when it ends.
    private final class Resources {
        let db: SQLiteConnection
        let begin: SQLiteStatement
        let insert: SQLiteStatement
        let commit: SQLiteStatement
        let rollback: SQLiteStatement

        init(db: SQLiteConnection) throws(SQLiteError) {
            self.db = db
            begin = try db.prepare("BEGIN IMMEDIATE", persistent: true)
            insert = try db.prepare(LedgerRowCodec.insertSQL, persistent: true)
            commit = try db.prepare("COMMIT", persistent: true)
            rollback = try db.prepare("ROLLBACK", persistent: true)
        }
    }

    /// A cap on one transaction, so one huge burst does not delay its first
    /// callers behind thousands of inserts. Far above what 32 or even 1,000
    /// concurrent appenders queue during one fsync.
    static let maximumRowsPerCommit = 4_096

    private let queue: ConditionLocked<Queue>
    private var resources: Resources?
    private var thread: OSThread?
    private let path: String
    // The last batch's timings; only the writer thread touches them.
    private var lastInsertNanoseconds: UInt64 = 0
    private var lastCommitNanoseconds: UInt64 = 0

    init(db: SQLiteConnection, head: LedgerHead, path: String) throws(LedgerError) {
        do {
            resources = try Resources(db: db)
        } catch {
            throw .storage(error)
        }
        self.path = path
        queue = ConditionLocked(Queue(head: head))
        thread = try OSThread { [self] in run() }
    }

    var head: LedgerHead { queue.withLock { $0.head } }
    var statistics: LedgerStatistics { queue.withLock { $0.statistics } }

    /// Called on the writer thread with each new head, after its callers are
    /// completed; it must not block (it is how the head anchor learns of commits).
    ///
    /// The closure sits inside a struct, never as the lock's state itself: an
    /// `inout` function value passed through the generic `withLock` is copied
    /// in and out through two reabstraction thunks, so every read wrapped the
    /// stored closure two layers deeper, and each commit paid for all earlier
    /// ones (found by profiling the bench: a 127-frame-deep thunk chain).
    private struct Observer {
        var body: (@Sendable (LedgerHead) -> Void)?
    }
    private let observer = ConditionLocked(Observer())

    func observeCommits(_ body: @escaping @Sendable (LedgerHead) -> Void) {
        observer.withLock { $0.body = body }
    }

    /// Queues entries for the next commit. Completes at once (on the caller's
    /// thread) when the ledger is closed or halted, else on the writer thread.
    func submit(_ entries: [PreparedEntry], _ completion: AppendCompletion) {
        let refusal: LedgerError? = queue.withLock { state in
            if state.closing { return LedgerError(.closed, "the ledger \(path) is closed") }
            if let halted = state.halted, !state.recoverable { return halted }
            state.pending.append(Pending(entries: entries, completion: completion))
            // Signal only a sleeping writer: a busy one takes the queue when it
            // finishes its commit, and a futex wake costs a syscall.
            if state.writerIdle {
                state.writerIdle = false
                queue.signal()
            }
            return nil
        }
        if let refusal { completion.complete(.failure(refusal)) }
    }

    /// Commits what is queued, stops the thread and closes the connection.
    /// Appends after this fail with `.closed`.
    func close() {
        let first: Bool = queue.withLock { state in
            if state.closing { return false }
            state.closing = true
            return true
        }
        guard first else { return }
        queue.signal()
        thread?.join()
    }

    // MARK: the writer thread

    private func run() {
        while true {
            let batch: [Pending]? = queue.wait(until: { !$0.pending.isEmpty || $0.closing }) { queue in
                if queue.pending.isEmpty { return nil }  // closing and drained
                return Self.take(&queue.pending)
            }
            guard let batch else { break }
            process(batch)
            queue.withLock { queue in
                if queue.pending.isEmpty && !queue.closing { queue.writerIdle = true }
            }
        }
        // Finalize statements and close the connection on the thread that used them.
        resources = nil
    }

    /// Takes whole appends from the front of the queue up to the row cap (at least one).
    private static func take(_ pending: inout [Pending]) -> [Pending] {
        var rows = 0
        var count = 0
        for item in pending {
            if count > 0 && rows + item.entries.count > maximumRowsPerCommit { break }
            rows += item.entries.count
            count += 1
        }
        if count == pending.count {
            defer { pending = [] }
            return pending
        }
        let batch = Array(pending[..<count])
        pending.removeFirst(count)
        return batch
    }

    private func process(_ batch: [Pending]) {
        var (start, halted, recoverable) = queue.withLock { ($0.head, $0.halted, $0.recoverable) }
        if halted != nil, recoverable, let resources, let head = recover(resources) {
            start = head
            halted = nil
        }
        let outcome: Result<([[LedgerEvent]], LedgerHead), LedgerError>
        if let halted {
            outcome = .failure(halted)
        } else if let resources {
            outcome = write(batch, after: start, resources)
        } else {
            outcome = .failure(LedgerError(.closed, "the ledger \(path) is closed"))
        }

        switch outcome {
        case .success(let (events, head)):
            let rows = UInt64(events.reduce(0) { $0 + $1.count })
            // Publish before completing anyone, so a caller that got its
            // events back never sees an older head.
            queue.withLock { queue in
                queue.head = head
                queue.statistics.commits += 1
                queue.statistics.rows += rows
                queue.statistics.largestBatch = max(queue.statistics.largestBatch, rows)
                queue.statistics.insertNanoseconds += lastInsertNanoseconds
                queue.statistics.commitNanoseconds += lastCommitNanoseconds
            }
            for (item, itemEvents) in zip(batch, events) {
                item.completion.complete(.success(itemEvents))
            }
            observer.withLock { $0.body }?(head)
        case .failure(let error):
            queue.withLock { $0.statistics.failedBatches += 1 }
            for item in batch {
                item.completion.complete(.failure(error))
            }
        }
    }

    /// One transaction for the whole batch. On any failure the transaction is
    /// rolled back and nothing of the batch is visible; failures that leave
    /// the file's state in doubt also halt the ledger.
    private func write(
        _ batch: [Pending], after start: LedgerHead, _ resources: Resources
    ) -> Result<([[LedgerEvent]], LedgerHead), LedgerError> {
        let started = WallClock.monotonicNanoseconds()
        do {
            try resources.begin.run()
        } catch {
            return .failure(.storage(error))
        }

        let now = WallClock.nowUnixMilliseconds()
        var head = start
        var events: [[LedgerEvent]] = []
        events.reserveCapacity(batch.count)
        do throws(SQLiteError) {
            for item in batch {
                var itemEvents: [LedgerEvent] = []
                itemEvents.reserveCapacity(item.entries.count)
                for prepared in item.entries {
                    let sequence = head.sequence + 1
                    var entry = prepared.entry
                    if entry.timeUnixMilliseconds == 0 { entry.timeUnixMilliseconds = now }
                    let row = prepared.chainRow(sequence: sequence, timeUnixMilliseconds: entry.timeUnixMilliseconds)
                    let hash = LedgerChain.hash(previous: head.hash, row: row)
                    LedgerRowCodec.bindInsert(resources.insert, row: row, previousHash: head.hash, hash: hash)
                    try resources.insert.run()
                    itemEvents.append(LedgerEvent(sequence: sequence, entry: entry, previousHash: head.hash, hash: hash))
                    head = LedgerHead(sequence: sequence, hash: hash)
                }
                events.append(itemEvents)
            }
        } catch {
            let rolledBack = rollBack(resources)
            if error.code == SQLiteError.constraintPrimaryKey {
                // Our head said the next row is free; the file says otherwise.
                return .failure(halt(LedgerError(
                    .halted,
                    "\(path): row \(head.sequence + 1) already exists; another process wrote to the ledger. Reopen it.",
                    sqliteCode: error.code
                )))
            }
            if !rolledBack { return .failure(halt(rollbackFailed(error))) }
            return .failure(.storage(error))
        }

        let inserted = WallClock.monotonicNanoseconds()
        do {
            try resources.commit.run()
            let committed = WallClock.monotonicNanoseconds()
            lastInsertNanoseconds = inserted - started
            lastCommitNanoseconds = committed - inserted
        } catch {
            // The log may or may not hold the batch now (a failed fsync says
            // nothing certain), so the in-memory head can no longer be trusted.
            // The callers learn of the failure and hand out no signature; rows
            // that do turn up after a restart only over-count spending.
            _ = rollBack(resources)
            let halted = LedgerError(
                .halted, "\(path): a commit failed (\(error)); the next append first re-reads the head from the file",
                sqliteCode: error.code
            )
            _ = halt(halted, recoverable: true)
            return .failure(.storage(error))
        }
        return .success((events, head))
    }

    private func rollBack(_ resources: Resources) -> Bool {
        guard resources.db.isInTransaction else { return true }
        do {
            try resources.rollback.run()
            return true
        } catch {
            return false
        }
    }

    private func rollbackFailed(_ error: SQLiteError) -> LedgerError {
        LedgerError(
            .halted, "\(path): an insert failed (\(error)) and so did the rollback; reopen the ledger",
            sqliteCode: error.code
        )
    }

    @discardableResult
    private func halt(_ error: LedgerError, recoverable: Bool = false) -> LedgerError {
        queue.withLock { queue in
            if queue.halted == nil {
                queue.halted = error
                queue.recoverable = recoverable
            }
        }
        return error
    }

    /// After a failed COMMIT: whatever the file now holds is the truth. The
    /// head is read back and checked (its hash and its link to the row
    /// before), and appends go on from there. Rows of the failed batch that
    /// did reach the file belong to callers who were told it failed and gave
    /// out no signature: they only over-count spending. Nil while the file
    /// cannot be read or its head does not check out; the halt stays.
    private func recover(_ resources: Resources) -> LedgerHead? {
        guard rollBack(resources) else { return nil }
        guard let head = try? HeadCheck.head(of: resources.db, path: path) else { return nil }
        queue.withLock { queue in
            queue.halted = nil
            queue.recoverable = false
            queue.head = head
        }
        return head
    }
}
