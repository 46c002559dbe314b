import CSQLite
import Foundation
import XCTest

@testable import WaiaasLedger

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String

    init() {
        let template = NSTemporaryDirectory() + "waiaas-ledger-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        path = bytes.withUnsafeMutableBufferPointer { buffer in
            String(cString: mkdtemp(buffer.baseAddress!))
        }
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum Fixtures {
    /// A sign event with everything filled in, distinct per `n`.
    static func signEntry(_ n: Int, time: UInt64 = 0) -> LedgerEntry {
        LedgerEntry(
            kind: .sign,
            timeUnixMilliseconds: time,
            request: Array("request \(n)".utf8),
            messageDigest: digest(of: "message \(n)"),
            decision: "allow",
            reasons: [LedgerReason(code: "ok", message: "within limits \(n)")],
            outflows: [
                LedgerOutflow(amount: UInt64(1_000 + n)),
                LedgerOutflow(asset: [UInt8](repeating: 7, count: 32), amount: UInt64(n)),
            ],
            signature: [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 64),
            policyVersion: 3,
            clientReference: "ref-\(n)"
        )
    }

    static func denyEntry(_ n: Int, time: UInt64 = 0) -> LedgerEntry {
        LedgerEntry(
            kind: .deny, timeUnixMilliseconds: time, request: Array("denied \(n)".utf8), decision: "deny",
            reasons: [LedgerReason(code: "limit_per_transaction", message: "over 0.1 SOL")], policyVersion: 3
        )
    }

    static func digest(of text: String) -> [UInt8] {
        StreamingSHA256.digest(Array(text.utf8))
    }
}

/// Edits a ledger file behind the ledger's back, as an attacker with the
/// file would: through libsqlite3 directly, not through WaiaasLedger.
enum Tamper {
    static func execute(_ path: String, _ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            XCTFail("cannot open \(path)", file: file, line: line)
            return
        }
        defer { sqlite3_close_v2(db) }
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            XCTFail("\(sql): \(message.map { String(cString: $0) } ?? "error \(rc)")", file: file, line: line)
        }
        sqlite3_free(message)
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
