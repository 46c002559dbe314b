import XCTest

@testable import WaiaasLedger

/// Edits a committed ledger file with libsqlite3, column by column, and
/// checks the offline verifier names the first row that is no longer right.
final class VerifierTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.file("ledger.sqlite") }

    /// Five rows, closed: 1 sign, 2 deny, 3 sign, 4 sign, 5 policy_set.
    override func setUp() async throws {
        directory = TemporaryDirectory()
        try await Self.makeFiveRows(at: path)
    }

    private static func makeFiveRows(at path: String) async throws {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let ledger = try Ledger.open(path: path)
        _ = try await ledger.append([Fixtures.signEntry(1), Fixtures.denyEntry(2)])
        _ = try await ledger.append([Fixtures.signEntry(3)])
        _ = try await ledger.append([Fixtures.signEntry(4)])
        _ = try await ledger.append([
            LedgerEntry(kind: .policySet, request: [1, 2, 3], decision: "policy_set", policyVersion: 4)
        ])
        ledger.close()
    }

    override func tearDown() {
        directory = nil
    }

    private func assertFirstBad(
        _ sequence: UInt64, _ fragment: String, _ label: String = "", file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try LedgerVerifier.verify(path: path)
        XCTAssertFalse(result.ok, file: file, line: line)
        XCTAssertEqual(result.firstBadSequence, sequence, "\(label): \(result.problem ?? "")", file: file, line: line)
        XCTAssertEqual(result.rowsChecked, sequence - 1, file: file, line: line)
        XCTAssertTrue(
            result.problem?.contains(fragment) == true, "\(result.problem ?? "nil") lacks \"\(fragment)\"",
            file: file, line: line
        )
    }

    func testIntactLedgerVerifies() throws {
        let result = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(result.ok, result.problem ?? "")
        XCTAssertEqual(result.rowsChecked, 5)
        XCTAssertEqual(result.head.sequence, 5)
    }

    func testEmptyLedgerVerifies() throws {
        let empty = directory.file("empty.sqlite")
        try Ledger.open(path: empty).close()
        let result = try LedgerVerifier.verify(path: empty)
        XCTAssertTrue(result.ok)
        XCTAssertEqual(result.rowsChecked, 0)
        XCTAssertEqual(result.head, .empty)
    }

    /// Each content column of row 3, changed in place keeping its type and size.
    func testTamperingWithAnyContentColumnIsCaughtAtThatRow() async throws {
        let edits: [(String, String)] = [
            ("time_ms", "time_ms = time_ms + 1"),
            ("kind", "kind = 'deny'"),
            ("request", "request = CAST(X'00' || request AS BLOB)"),
            ("message_digest", "message_digest = zeroblob(32)"),
            ("decision", "decision = 'deny'"),
            ("reasons", "reasons = X'00000000'"),
            ("outflows", "outflows = X'00000000'"),
            ("signature", "signature = zeroblob(64)"),
            ("policy_version", "policy_version = 99"),
            ("client_reference", "client_reference = 'someone else'"),
            ("hash", "hash = zeroblob(32)"),
        ]
        for (column, assignment) in edits {
            try await Self.makeFiveRows(at: path)
            Tamper.execute(path, "UPDATE ledger SET \(assignment) WHERE sequence = 3")
            try assertFirstBad(3, "row 3: its hash does not match its contents", column)
        }
    }

    func testTamperingWithRequestDigestIsCaught() throws {
        Tamper.execute(path, "UPDATE ledger SET request_digest = zeroblob(32) WHERE sequence = 3")
        try assertFirstBad(3, "row 3: its hash does not match")
    }

    func testTamperingWithPreviousHashIsCaught() throws {
        Tamper.execute(path, "UPDATE ledger SET previous_hash = zeroblob(32) WHERE sequence = 3")
        try assertFirstBad(3, "previous hash is not the hash of row 2")
    }

    /// A row rewritten with a self-consistent hash still breaks the link
    /// from the next row.
    func testRewrittenRowWithRecomputedHashBreaksTheNextLink() throws {
        let ledger = try Ledger.open(path: path)
        var row3 = try XCTUnwrap(ledger.events(from: 3, limit: 1).first)
        ledger.close()
        row3.entry.outflows[0].amount = 1
        let forged = LedgerChain.hash(of: row3)
        let outflows = CanonicalLists.encode(row3.entry.outflows)
        Tamper.execute(path, "UPDATE ledger SET outflows = X'\(outflows.hex)', hash = X'\(forged.hex)' WHERE sequence = 3")
        try assertFirstBad(4, "row 4: its previous hash is not the hash of row 3")
    }

    func testChangedSequenceIsAGap() throws {
        Tamper.execute(path, "UPDATE ledger SET sequence = 100 WHERE sequence = 3")
        try assertFirstBad(3, "row 3 is missing (the next row is 4)")
    }

    func testDeletedRowIsAGap() throws {
        Tamper.execute(path, "DELETE FROM ledger WHERE sequence = 2")
        try assertFirstBad(2, "row 2 is missing (the next row is 3)")
    }

    func testDeletedFirstRowIsAGap() throws {
        Tamper.execute(path, "DELETE FROM ledger WHERE sequence = 1")
        try assertFirstBad(1, "row 1 is missing")
    }

    func testUndecodableRowsAreNamed() async throws {
        let edits: [(String, String)] = [
            ("kind = 'steal'", "unknown kind"),
            ("message_digest = X'0102'", "message_digest is 2 bytes"),
            ("signature = zeroblob(63)", "signature is 63 bytes"),
            ("reasons = X'00000001'", "reasons: truncated"),
            ("outflows = X'0000000000'", "outflows: 1 trailing bytes"),
            ("decision = CAST(X'FF' AS TEXT)", "decision is not valid UTF-8"),
            ("previous_hash = X'00'", "previous_hash is 1 bytes"),
        ]
        for (assignment, fragment) in edits {
            try await Self.makeFiveRows(at: path)
            Tamper.execute(path, "UPDATE ledger SET \(assignment) WHERE sequence = 4")
            try assertFirstBad(4, fragment, assignment)
        }
    }

    func testTamperedHeadRefusesToOpen() throws {
        Tamper.execute(path, "UPDATE ledger SET decision = 'allow' WHERE sequence = 5")
        XCTAssertThrowsError(try Ledger.open(path: path)) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .corrupt)
            XCTAssertEqual((error as? LedgerError)?.sequence, 5)
        }
    }

    func testNotALedgerIsRefused() throws {
        let other = directory.file("other.sqlite")
        Tamper.execute(other, "CREATE TABLE t (x)")
        XCTAssertThrowsError(try LedgerVerifier.verify(path: other)) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .unsupportedFormat)
        }
        XCTAssertThrowsError(try Ledger.open(path: other)) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .unsupportedFormat)
        }
        XCTAssertThrowsError(try LedgerVerifier.verify(path: directory.file("missing.sqlite"))) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .storage)
        }
    }
}
