internal import CSQLite

/// A compiled statement, owned: finalized when the last reference goes.
/// Reused across calls (reset + rebind), which is what keeps inserts cheap.
final class SQLiteStatement {
    let handle: OpaquePointer
    // Keeps the connection open as long as its statements live.
    private let connection: SQLiteConnection

    init(owning handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Tells SQLite to copy bound bytes: the Swift buffers are only borrowed
    /// for the duration of the bind call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    // MARK: binding (1-based indices, as in SQL ?NNN)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// UInt64 values are stored by bit pattern so that every value round-trips
    /// exactly through SQLite's signed 64-bit integers.
    func bind(_ index: Int32, _ value: UInt64) {
        sqlite3_bind_int64(handle, index, Int64(bitPattern: value))
    }

    /// Binds bytes as a BLOB; an empty array becomes a zero-length BLOB, never NULL.
    func bindBlob(_ index: Int32, _ bytes: [UInt8]) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }

    /// Binds UTF-8 bytes as TEXT; empty is the empty string, never NULL.
    func bindText(_ index: Int32, _ utf8: [UInt8]) {
        if utf8.isEmpty {
            sqlite3_bind_text(handle, index, "", 0, Self.transient)
            return
        }
        utf8.withUnsafeBytes { raw in
            _ = sqlite3_bind_text(
                handle, index, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), Self.transient
            )
        }
    }

    func bindText(_ index: Int32, _ text: String) {
        bindText(index, Array(text.utf8))
    }

    // MARK: stepping

    /// Advances the statement: true when a row is available, false when done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(sqlite3_db_handle(handle), rc, "step \(sqlText.prefix(60))")
        }
    }

    /// Steps a statement that returns no rows, then resets it for reuse.
    func run() throws(SQLiteError) {
        defer { reset() }
        _ = try step()
    }

    /// Makes the statement reusable and drops the bound values (so no copy of
    /// a previous row's bytes lingers in it).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var sqlText: String {
        sqlite3_sql(handle).map { String(cString: $0) } ?? ""
    }

    // MARK: columns (0-based)

    enum ColumnType: Equatable {
        case integer, float, text, blob, null
    }

    func columnType(_ index: Int32) -> ColumnType {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer
        case SQLITE_FLOAT: return .float
        case SQLITE_TEXT: return .text
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }

    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    func uint64(_ index: Int32) -> UInt64 {
        UInt64(bitPattern: sqlite3_column_int64(handle, index))
    }

    /// The column's bytes as stored (call after checking the type: SQLite
    /// would otherwise convert, e.g. an integer into its decimal text).
    func blob(_ index: Int32) -> [UInt8] {
        // Pointer first, then length: the documented safe order.
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// A TEXT column's raw UTF-8 bytes, without validation or NUL handling.
    func textBytes(_ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_text(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
