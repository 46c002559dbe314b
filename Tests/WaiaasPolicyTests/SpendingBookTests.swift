import XCTest
@testable import WaiaasPolicy

final class SpendingBookTests: XCTestCase {
    func testWindowsPruneAndRelease() {
        var book = SpendingBook(horizonSeconds: 3_600)
        let t0: UInt64 = 10_000_000
        book.record(timeMilliseconds: t0, outflows: [.sol: 5])
        let second = book.record(timeMilliseconds: t0 + 1_000, outflows: [.sol: 7])
        book.record(timeMilliseconds: t0 + 2_000, outflows: [.sol: 11])
        XCTAssertEqual(book.spent(.sol, inLast: 3_600, now: t0 + 2_000), 23)
        XCTAssertEqual(book.spent(.sol, inLast: 1, now: t0 + 2_000), 11)  // the entry exactly 1 s old no longer counts
        XCTAssertEqual(book.signatureCount(inLast: 2, now: t0 + 2_000), 2)
        book.release(timeMilliseconds: second, outflows: [.sol: 7])
        XCTAssertEqual(book.spent(.sol, inLast: 3_600, now: t0 + 2_000), 16)
        XCTAssertEqual(book.signatureCount(inLast: 3_600, now: t0 + 2_000), 2)
        book.prune(now: t0 + 3_600_000 + 500)  // drops the first entry only
        XCTAssertEqual(book.spent(.sol, inLast: 7_200, now: t0 + 3_600_000 + 500), 11)
        XCTAssertEqual(book.spent(AssetKey(bytes: [1]), inLast: 60, now: t0), 0)
    }

    /// Counts keep times alone: several signatures in one millisecond, a
    /// release of one of them, proposals apart from signatures, the window's
    /// edge and pruning all count exactly.
    func testSignatureAndProposalCounts() {
        var book = SpendingBook(horizonSeconds: 10)
        let t0: UInt64 = 1_000_000
        book.record(timeMilliseconds: t0, outflows: [:])
        book.record(timeMilliseconds: t0 + 1_000, outflows: [:], proposal: true)
        let twin = book.record(timeMilliseconds: t0 + 1_000, outflows: [.sol: 0])
        book.record(timeMilliseconds: t0 + 1_000, outflows: [:], proposal: true)
        book.record(timeMilliseconds: t0 + 3_000, outflows: [:])
        XCTAssertEqual(book.signatureCount(inLast: 10, now: t0 + 3_000), 5)
        XCTAssertEqual(book.proposalCount(inLast: 10, now: t0 + 3_000), 2)
        XCTAssertEqual(book.signatureCount(inLast: 2, now: t0 + 3_000), 1, "entries exactly 2 s old no longer count")
        XCTAssertEqual(book.signatureCount(inLast: 2, now: t0 + 2_999), 4)
        book.release(timeMilliseconds: twin, outflows: [:])
        XCTAssertEqual(book.signatureCount(inLast: 10, now: t0 + 3_000), 4)
        XCTAssertEqual(book.proposalCount(inLast: 10, now: t0 + 3_000), 2, "a signature's release leaves proposals alone")
        book.release(timeMilliseconds: t0 + 1_000, outflows: [:], proposal: true)
        XCTAssertEqual(book.signatureCount(inLast: 10, now: t0 + 3_000), 3)
        XCTAssertEqual(book.proposalCount(inLast: 10, now: t0 + 3_000), 1)
        book.prune(now: t0 + 10_500)  // drops t0 only
        XCTAssertEqual(book.signatureCount(inLast: 3_600, now: t0 + 10_500), 2)
        XCTAssertEqual(book.proposalCount(inLast: 3_600, now: t0 + 10_500), 1)
        book.prune(now: t0 + 13_000)  // the entry at t0 + 3 s is exactly 10 s old: dropped
        XCTAssertEqual(book.signatureCount(inLast: 3_600, now: t0 + 13_000), 0)
    }

    func testAClockThatStepsBackKeepsTheSeriesOrdered() {
        var book = SpendingBook(horizonSeconds: 3_600)
        book.record(timeMilliseconds: 5_000_000, outflows: [.sol: 1])
        let filed = book.record(timeMilliseconds: 4_000_000, outflows: [.sol: 2])
        XCTAssertEqual(filed, 5_000_000)
        XCTAssertEqual(book.spent(.sol, inLast: 1, now: 5_000_500), 3)
    }

    func testManyEntriesSumExactly() {
        var book = SpendingBook(horizonSeconds: 86_400)
        for index in 0..<100_000 { book.record(timeMilliseconds: UInt64(index), outflows: [.sol: 3]) }
        XCTAssertEqual(book.spent(.sol, inLast: 86_400, now: 100_000), 300_000)
        XCTAssertEqual(book.spent(.sol, inLast: 10, now: 100_000), 3 * 10_000 - 3)  // times 90_001…99_999
        XCTAssertEqual(book.signatureCount(inLast: 86_400, now: 100_000), 100_000)
    }

    /// A longer window fills the gap before the book from older rows: the
    /// result equals a book built from every row at once, and pruning never
    /// reaches into what the book holds.
    func testPrependingOlderRowsEqualsAFullRebuild() {
        let hour: UInt64 = 3_600_000
        let rows: [(UInt64, UInt64)] = (0..<600).map { (UInt64($0) * 60_000, UInt64($0 % 7) + 1) }  // one a minute for 10 h
        let now = rows.last!.0
        var book = SpendingBook(horizonSeconds: 3_600, completeAfter: now - hour)
        for (time, amount) in rows where time > now - hour { book.record(timeMilliseconds: time, outflows: [.sol: amount]) }
        book.prune(now: now)
        XCTAssertEqual(book.completeAfter, now - hour)
        XCTAssertFalse(book.isComplete(after: now - 8 * hour))

        book.extendHorizon(to: 8 * 3_600)
        var older = SpendingBook(horizonSeconds: 8 * 3_600, completeAfter: now - 8 * hour)
        for (time, amount) in rows where time > now - 8 * hour && time <= now - hour { older.record(timeMilliseconds: time, outflows: [.sol: amount]) }
        book.prepend(older)
        book.record(timeMilliseconds: now + 1, outflows: [.sol: 1_000])
        XCTAssertTrue(book.isComplete(after: now - 8 * hour))

        var full = SpendingBook(horizonSeconds: 8 * 3_600)
        for (time, amount) in rows { full.record(timeMilliseconds: time, outflows: [.sol: amount]) }
        full.record(timeMilliseconds: now + 1, outflows: [.sol: 1_000])
        for window: UInt64 in [60, 3_600, 4 * 3_600, 8 * 3_600] {
            XCTAssertEqual(book.spent(.sol, inLast: window, now: now + 1), full.spent(.sol, inLast: window, now: now + 1), "\(window) s")
            XCTAssertEqual(book.signatureCount(inLast: window, now: now + 1), full.signatureCount(inLast: window, now: now + 1), "\(window) s")
        }
    }

    func testNothingIsFiledAtOrBeforeTheCompleteBound() {
        var book = SpendingBook(horizonSeconds: 3_600, completeAfter: 1_000_000)
        XCTAssertEqual(book.record(timeMilliseconds: 10, outflows: [.sol: 1]), 1_000_001, "a clock behind the bound files just after it")
    }
}
