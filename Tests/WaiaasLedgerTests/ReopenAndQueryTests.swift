import XCTest

@testable import WaiaasLedger

final class ReopenAndQueryTests: XCTestCase {
    func testReopenKeepsTheHeadAndContinuesTheChain() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        var ledger = try Ledger.open(path: path)
        _ = try await ledger.append((1...3).map { Fixtures.signEntry($0) })
        let head = ledger.head()
        ledger.close()

        ledger = try Ledger.open(path: path)
        XCTAssertEqual(ledger.head(), head)
        let next = try await ledger.append([Fixtures.signEntry(4)])
        XCTAssertEqual(next.first?.sequence, 4)
        XCTAssertEqual(next.first?.previousHash, head.hash)
        ledger.close()

        let verification = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(verification.ok, verification.problem ?? "")
        XCTAssertEqual(verification.head.sequence, 4)
    }

    func testFileIsPrivateAndInWALMode() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path)
        defer { ledger.close() }
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "WAL mode keeps a -wal file")
    }

    func testQueries() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        _ = try await ledger.append([
            LedgerEntry(kind: .policySet, timeUnixMilliseconds: 1_000, request: [1], decision: "policy_set", policyVersion: 1),
            Fixtures.signEntry(1, time: 2_000),
            Fixtures.denyEntry(2, time: 3_000),
            LedgerEntry(kind: .policySet, timeUnixMilliseconds: 4_000, request: [2], decision: "policy_set", policyVersion: 2),
            Fixtures.signEntry(3, time: 5_000),
            LedgerEntry(kind: .approvalRequired, timeUnixMilliseconds: 6_000, request: [3], decision: "approval_required"),
        ])

        XCTAssertEqual(try ledger.lastEvents(count: 2).map(\.sequence), [5, 6])
        XCTAssertEqual(try ledger.lastEvents(count: 100).map(\.sequence), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try ledger.lastEvents(count: 0), [])
        XCTAssertEqual(try ledger.events(from: 3, limit: 2).map(\.sequence), [3, 4])
        XCTAssertEqual(try ledger.events(from: 7, limit: 2), [])

        XCTAssertEqual(try ledger.events(since: 2_000, kinds: [.sign]).map(\.sequence), [2, 5])
        XCTAssertEqual(try ledger.events(since: 2_001, kinds: [.sign, .deny]).map(\.sequence), [3, 5])
        XCTAssertEqual(try ledger.events(since: 0, kinds: []).count, 6, "an empty set means every kind")
        XCTAssertEqual(try ledger.events(since: 7_000, kinds: [.sign]), [])

        let signed = try XCTUnwrap(ledger.event(messageDigest: Fixtures.digest(of: "message 3")))
        XCTAssertEqual(signed.sequence, 5)
        XCTAssertEqual(signed.entry, {
            var entry = Fixtures.signEntry(3, time: 5_000)
            entry.requestDigest = Fixtures.digest(of: "request 3")
            return entry
        }())
        XCTAssertNil(try ledger.event(messageDigest: Fixtures.digest(of: "never signed")))

        // Only sign rows' digests, each once (deny rows carry digests too).
        var digests: [[UInt8]] = []
        try ledger.forEachSignedMessageDigest { digests.append($0) }
        XCTAssertEqual(Set(digests), [Fixtures.digest(of: "message 1"), Fixtures.digest(of: "message 3")])
        XCTAssertEqual(digests.count, 2)

        XCTAssertEqual(try ledger.latest(kind: .policySet)?.entry.policyVersion, 2)
        XCTAssertEqual(try ledger.latest(kind: .approvalRequired)?.sequence, 6)
        XCTAssertNil(try ledger.latest(kind: .propose))
    }

    /// Guards the indexes the hot lookups rely on (a plan change would turn
    /// them into table scans as the ledger grows).
    func testLookupsUseTheirIndexes() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        try Ledger.open(path: path).close()
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        func plan(_ sql: String) throws -> String {
            let statement = try db.prepare("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try statement.step() { details.append(String(decoding: statement.textBytes(3), as: UTF8.self)) }
            return details.joined(separator: "; ")
        }
        XCTAssertTrue(try plan(LedgerReader.signEventSQL).contains("USING INDEX ledger_sign_message_key (<expr>=?)"))
        XCTAssertEqual(try plan(LedgerReader.signedDigestsSQL), "SCAN ledger", "file order, not the prefix index's")
        XCTAssertTrue(try plan(LedgerReader.eventsSinceSQL).contains("USING INDEX ledger_time"))
        XCTAssertTrue(try plan(LedgerReader.latestRareSQL).contains("USING INDEX ledger_rare_kind (kind=?)"))
        XCTAssertTrue(try plan(LedgerReader.latestCommonSQL).hasPrefix("SCAN ledger"))
        XCTAssertTrue(try plan(LedgerReader.eventsFromSQL).contains("INTEGER PRIMARY KEY"))
    }
}
