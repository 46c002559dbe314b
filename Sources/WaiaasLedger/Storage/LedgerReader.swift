/// Read queries on a connection of their own. WAL lets them run while the
/// writer commits; they see committed rows only. One lock serializes them
/// (reads are index lookups of microseconds; the hot path keeps its own
/// in-memory state and reads here at start or for audit).
final class LedgerReader: Sendable {
    private final class State {
        let db: SQLiteConnection
        var statements: [String: SQLiteStatement] = [:]
        init(db: SQLiteConnection) { self.db = db }
    }

    // nil once closed. The State is only touched with the lock held.
    private let state: ConditionLocked<State?>
    private let path: String

    init(path: String, db: SQLiteConnection) {
        self.path = path
        state = ConditionLocked(State(db: db))
    }

    func close() {
        state.withLock { $0 = nil }
    }

    private static let select = "SELECT \(LedgerSchema.columns) FROM ledger"

    // The statements, with the index each lookup needs named (INDEXED BY):
    // with no statistics SQLite may otherwise prefer scanning in rowid order
    // to avoid a sort, which grows with the ledger.
    static let lastEventsSQL = "SELECT * FROM (\(select) ORDER BY sequence DESC LIMIT ?1) ORDER BY sequence"
    static let eventsFromSQL = "\(select) WHERE sequence >= ?1 ORDER BY sequence LIMIT ?2"
    // One statement for any set of kinds: the set travels as ",deny,sign,"
    // and the row's kind must appear in it between commas.
    static let eventsSinceSQL = """
        \(select) INDEXED BY ledger_time WHERE time_ms >= ?1 AND instr(?2, ',' || kind || ',') > 0 ORDER BY sequence
        """
    // `kind = 'sign'` and the `substr` term match the partial expression
    // index's condition and expression, which is what lets SQLite use it; the
    // whole digest is compared on the (nearly always one) row it finds.
    static let signEventSQL = """
        \(select) INDEXED BY ledger_sign_message_key WHERE kind = 'sign' \
        AND substr(message_digest, 1, 8) = substr(?1, 1, 8) AND message_digest = ?1 \
        ORDER BY sequence LIMIT 1
        """
    // The rare kinds' index holds no sign or deny row; the `NOT IN` term
    // repeats its condition so SQLite may use it for a bound kind.
    static let latestRareSQL = """
        \(select) INDEXED BY ledger_rare_kind WHERE kind = ?1 AND kind NOT IN \(LedgerSchema.commonKindsSQL) \
        ORDER BY sequence DESC LIMIT 1
        """
    // The common kinds are most rows: the newest is found walking back from the head.
    static let latestCommonSQL = "\(select) NOT INDEXED WHERE kind = ?1 ORDER BY sequence DESC LIMIT 1"

    func lastEvents(count: Int) throws(LedgerError) -> [LedgerEvent] {
        guard count > 0 else { return [] }
        return try query(Self.lastEventsSQL) { $0.bind(1, Int64(count)) }
    }

    func events(from sequence: UInt64, limit: Int) throws(LedgerError) -> [LedgerEvent] {
        guard limit > 0 else { return [] }
        return try query(Self.eventsFromSQL) {
            $0.bind(1, sequence)
            $0.bind(2, Int64(limit))
        }
    }

    func events(since time: UInt64, kinds: Set<LedgerEventKind>) throws(LedgerError) -> [LedgerEvent] {
        let wanted = kinds.isEmpty ? Set(LedgerEventKind.allCases) : kinds
        let list = "," + wanted.map(\.rawValue).sorted().joined(separator: ",") + ","
        return try query(Self.eventsSinceSQL) {
            $0.bind(1, time)
            $0.bindText(2, list)
        }
    }

    func event(messageDigest: [UInt8]) throws(LedgerError) -> LedgerEvent? {
        try query(Self.signEventSQL) {
            $0.bindBlob(1, messageDigest)
        }.first
    }

    // In file order: the index holds only a prefix, and walking it would
    // read the table's pages in random order.
    static let signedDigestsSQL = "SELECT message_digest FROM ledger NOT INDEXED WHERE kind = 'sign'"

    /// Every signed message's digest, in sequence order, without decoding rows.
    func forEachSignedMessageDigest(_ body: ([UInt8]) -> Void) throws(LedgerError) {
        let result: Result<Void, LedgerError> = state.withLock { state in
            guard let state else { return .failure(LedgerError(.closed, "the ledger \(path) is closed")) }
            do throws(SQLiteError) {
                let statement = try state.db.prepare(Self.signedDigestsSQL, persistent: false)
                defer { statement.reset() }
                while try statement.step() { body(statement.blob(0)) }
                return .success(())
            } catch {
                return .failure(.storage(error))
            }
        }
        try result.get()
    }

    func latest(kind: LedgerEventKind) throws(LedgerError) -> LedgerEvent? {
        try query(LedgerSchema.commonKinds.contains(kind) ? Self.latestCommonSQL : Self.latestRareSQL) {
            $0.bindText(1, kind.rawValue)
        }.first
    }

    /// Runs a cached statement and decodes every row strictly.
    private func query(_ sql: String, bind: (SQLiteStatement) -> Void) throws(LedgerError) -> [LedgerEvent] {
        let result: Result<[LedgerEvent], LedgerError> = state.withLock { state in
            guard let state else { return .failure(LedgerError(.closed, "the ledger \(path) is closed")) }
            do throws(SQLiteError) {
                let statement: SQLiteStatement
                if let cached = state.statements[sql] {
                    statement = cached
                } else {
                    statement = try state.db.prepare(sql, persistent: true)
                    state.statements[sql] = statement
                }
                defer { statement.reset() }
                bind(statement)
                var events: [LedgerEvent] = []
                while try statement.step() {
                    do throws(LedgerError) {
                        events.append(try LedgerRowCodec.read(statement).event)
                    } catch {
                        return .failure(LedgerError(
                            .corrupt, "\(path): \(error.message); run `waiaas ledger verify`", sequence: error.sequence
                        ))
                    }
                }
                return .success(events)
            } catch {
                return .failure(.storage(error))
            }
        }
        return try result.get()
    }
}
