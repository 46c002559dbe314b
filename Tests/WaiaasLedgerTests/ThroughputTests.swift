import XCTest

@testable import WaiaasLedger

/// Prints group-commit throughput at 1 and 32 concurrent appenders. No
/// timing assertions (debug builds on a shared machine say little); the
/// benchmark figures come from `waiaas-ledger-stress bench` in release.
final class ThroughputTests: XCTestCase {
    func testPrintsAppendThroughput() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path)
        let single = try await LedgerThroughput.measure(ledger: ledger, appenders: 1, appendsPerAppender: 300)
        print(single)
        let concurrent = try await LedgerThroughput.measure(ledger: ledger, appenders: 32, appendsPerAppender: 60)
        print(concurrent)
        ledger.close()

        XCTAssertEqual(single.commits, 300, "one appender: one commit per append")
        XCTAssertEqual(concurrent.appends, 32 * 60)
        XCTAssertGreaterThan(concurrent.rowsPerCommit, 1.5, "32 appenders must share commits")
        let verification = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(verification.ok)
        XCTAssertEqual(verification.rowsChecked, 300 + 32 * 60)
    }
}
