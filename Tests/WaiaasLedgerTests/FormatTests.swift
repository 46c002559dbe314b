import XCTest

@testable import WaiaasLedger

/// Format v2's small indexes (an 8-byte digest prefix, rare kinds only) and
/// the in-place upgrade of a v1 file.
final class FormatTests: XCTestCase {
    /// Rows whose digests share the indexed 8 bytes are told apart by the
    /// whole digest, and a deny row's digest never answers for a signature.
    func testDigestsSharingTheIndexedPrefixAreToldApart() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        let prefix = [UInt8](repeating: 0xAB, count: 8)
        func digest(_ tail: UInt8) -> [UInt8] { prefix + [UInt8](repeating: tail, count: 24) }
        var denied = Fixtures.denyEntry(1)
        denied.messageDigest = digest(3)
        var first = Fixtures.signEntry(1)
        first.messageDigest = digest(1)
        var second = Fixtures.signEntry(2)
        second.messageDigest = digest(2)
        _ = try await ledger.append([denied, first, second])

        XCTAssertEqual(try ledger.event(messageDigest: digest(1))?.sequence, 2)
        XCTAssertEqual(try ledger.event(messageDigest: digest(2))?.sequence, 3)
        XCTAssertNil(try ledger.event(messageDigest: digest(3)), "only a deny row has it")
        XCTAssertNil(try ledger.event(messageDigest: digest(4)), "same prefix, never signed")
        XCTAssertNil(try ledger.event(messageDigest: prefix), "a short digest matches no row")
    }

    /// `latest` for the kinds outside the rare-kind index walks back from the head.
    func testLatestOfTheCommonKinds() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        XCTAssertNil(try ledger.latest(kind: .sign))
        _ = try await ledger.append([Fixtures.signEntry(1), Fixtures.denyEntry(2), Fixtures.signEntry(3), Fixtures.signEntry(4)])
        XCTAssertEqual(try ledger.latest(kind: .sign)?.sequence, 4)
        XCTAssertEqual(try ledger.latest(kind: .deny)?.sequence, 2)
        XCTAssertNil(try ledger.latest(kind: .freeze))
    }

    /// A file as format 1 left it: readers refuse it and say how to upgrade,
    /// the verifier still checks it, and the writer upgrades it in place with
    /// every row, the head and the chain unchanged.
    func testAFormat1LedgerIsUpgradedInPlace() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        var ledger = try Ledger.open(path: path)
        _ = try await ledger.append([Fixtures.signEntry(1), Fixtures.denyEntry(2), Fixtures.signEntry(3)])
        let head = ledger.head()
        ledger.close()
        // Format 1's layout, as its LedgerSchema created it.
        Tamper.execute(path, """
            DROP INDEX ledger_sign_message_key;
            DROP INDEX ledger_rare_kind;
            CREATE INDEX ledger_sign_message_digest ON ledger(message_digest) WHERE kind = 'sign';
            CREATE INDEX ledger_kind ON ledger(kind);
            PRAGMA user_version = 1;
            """)
        XCTAssertEqual(try indexes(path), ["ledger_kind", "ledger_sign_message_digest", "ledger_time"])

        XCTAssertThrowsError(try LedgerFileReader.open(path: path)) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .unsupportedFormat)
            XCTAssertTrue("\(error)".contains("ledger format 1; this build reads format 2 (start waiaasd on it once"), "\(error)")
        }
        let before = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(before.ok, before.problem ?? "")

        ledger = try Ledger.open(path: path)
        XCTAssertEqual(ledger.head(), head)
        XCTAssertEqual(try ledger.event(messageDigest: Fixtures.digest(of: "message 3"))?.sequence, 3)
        let next = try await ledger.append([Fixtures.signEntry(4)])
        XCTAssertEqual(next.first?.previousHash, head.hash)
        ledger.close()

        XCTAssertEqual(try indexes(path), ["ledger_rare_kind", "ledger_sign_message_key", "ledger_time"])
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        XCTAssertEqual(try db.pragmaText("user_version"), "2")
        let reader = try LedgerFileReader.open(path: path)
        XCTAssertEqual(try reader.event(messageDigest: Fixtures.digest(of: "message 4"))?.sequence, 4)
        let after = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(after.ok, after.problem ?? "")
        XCTAssertEqual(after.head.sequence, 4)
    }

    /// A format this build does not know is refused by everyone, the writer included.
    func testANewerFormatIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        try Ledger.open(path: path).close()
        Tamper.execute(path, "PRAGMA user_version = 3")
        for open in [{ try Ledger.open(path: path).close() }, { _ = try LedgerFileReader.open(path: path) }, { _ = try LedgerVerifier.verify(path: path) }] {
            XCTAssertThrowsError(try open()) { error in
                XCTAssertEqual((error as? LedgerError)?.code, .unsupportedFormat)
                XCTAssertTrue("\(error)".contains("ledger format 3; this build reads format 2"), "\(error)")
            }
        }
    }

    private func indexes(_ path: String) throws -> [String] {
        let db = try SQLiteConnection(path: path, mode: .readOnly)
        let statement = try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        var names: [String] = []
        while try statement.step() { names.append(String(decoding: statement.textBytes(0), as: UTF8.self)) }
        return names
    }
}
