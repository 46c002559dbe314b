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
}
