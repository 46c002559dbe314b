internal import CSQLite
import Foundation

/// One durable SQLite commit on the disk the daemon's ledger is on, the way
/// the ledger commits (WAL, synchronous=FULL, BEGIN IMMEDIATE; INSERT; COMMIT):
/// the floor under a Sign at one connection, which cannot answer before its
/// row is on disk.
enum SQLiteCommit {
    static func measure(directory: String, seconds: Double) throws -> ClosedLoop.Result {
        let path = directory + "/bench-commit.sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw BenchError("sqlite3_open_v2 \(path) failed")
        }
        defer { sqlite3_close_v2(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
        }
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = FULL")
        try exec("CREATE TABLE rows (sequence INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        var insert: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO rows (body) VALUES (?)", -1, &insert, nil) == SQLITE_OK, let insert else {
            throw BenchError("prepare failed")
        }
        defer { sqlite3_finalize(insert) }
        // About the size of a Sign row: digest, signature, reasons, outflows, hashes.
        let body = [UInt8](repeating: 0xA5, count: 400)
        var samples: [UInt64] = []
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < end {
            let before = DispatchTime.now().uptimeNanoseconds
            try exec("BEGIN IMMEDIATE")
            body.withUnsafeBytes { _ = sqlite3_bind_blob(insert, 1, $0.baseAddress, Int32($0.count), nil) }
            guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError("insert failed") }
            sqlite3_reset(insert)
            try exec("COMMIT")
            samples.append(DispatchTime.now().uptimeNanoseconds - before)
        }
        return ClosedLoop.Result(latencies: samples, seconds: seconds)
    }
}
