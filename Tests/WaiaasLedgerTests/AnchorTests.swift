import XCTest

@testable import WaiaasLedger

/// The head anchor outside the ledger file: its file format, the comparison
/// that finds a ledger cut short or rewritten, and the writer that keeps it
/// up with every commit.
final class AnchorTests: XCTestCase {
    static func tag(_ bytes: [UInt8]) -> [UInt8] { Array(StreamingSHA256.digest(bytes)) }
    func tag(_ bytes: [UInt8]) -> [UInt8] { Self.tag(bytes) }

    func testFileRoundTripAndStrictReading() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.head")
        XCTAssertNil(try LedgerAnchor.read(path: path), "no file, no anchor")
        let head = LedgerHead(sequence: 42, hash: [UInt8](repeating: 7, count: 32))
        let anchor = LedgerAnchor(head: head, tag: tag(LedgerAnchor.taggedBytes(head)))
        try anchor.write(path: path)
        XCTAssertEqual(try LedgerAnchor.read(path: path), anchor)

        let good = try String(contentsOfFile: path, encoding: .utf8)
        for bad in [good.replacingOccurrences(of: "v1", with: "v2"), String(good.dropLast()), good + "x", "", good.replacingOccurrences(of: " 42 ", with: " -1 ")] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try LedgerAnchor.read(path: path), bad) { XCTAssertEqual(($0 as? LedgerError)?.code, .corrupt) }
        }
    }

    func testTaggedBytesBindSequenceAndHash() {
        let a = LedgerAnchor.taggedBytes(LedgerHead(sequence: 1, hash: [UInt8](repeating: 1, count: 32)))
        XCTAssertNotEqual(a, LedgerAnchor.taggedBytes(LedgerHead(sequence: 2, hash: [UInt8](repeating: 1, count: 32))))
        XCTAssertNotEqual(a, LedgerAnchor.taggedBytes(LedgerHead(sequence: 1, hash: [UInt8](repeating: 2, count: 32))))
    }

    func testTheWriterKeepsUpAndTheCheckFindsTruncation() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let anchorPath = directory.file("ledger.head")
        let ledger = try Ledger.open(path: path)
        let writer = try LedgerAnchorWriter(ledger: ledger, path: anchorPath, intervalMilliseconds: 1) { AnchorTests.tag($0) }
        for n in 0..<20 { _ = try await ledger.append([Fixtures.signEntry(n)]) }
        writer.close()
        let anchor = try XCTUnwrap(LedgerAnchor.read(path: anchorPath))
        XCTAssertEqual(anchor.head, ledger.head(), "a closed writer leaves the anchor at the head")
        XCTAssertEqual(anchor.tag, tag(LedgerAnchor.taggedBytes(anchor.head)))
        XCTAssertEqual(try ledger.check(against: anchor), .consistent)
        ledger.close()

        Tamper.execute(path, "DELETE FROM ledger WHERE sequence > 17")
        let reopened = try Ledger.open(path: path)
        XCTAssertEqual(try reopened.check(against: anchor), .truncated(ledgerHead: 17, anchored: 20))
        let offline = try LedgerFileReader.open(path: path)
        XCTAssertEqual(try offline.check(against: anchor), .truncated(ledgerHead: 17, anchored: 20))
        offline.close()

        // Rows appended after the cut reach the anchored number again, but not its hash.
        for n in 0..<5 { _ = try await reopened.append([Fixtures.denyEntry(100 + n)]) }
        XCTAssertEqual(try reopened.check(against: anchor), .rewritten(sequence: 20))
        reopened.close()
    }
}
