import XCTest
@testable import WaiaasDaemon
import WaiaasSolana

/// The signed-digest filter that lets Sign skip the ledger lookup: it must
/// never miss a digest it was given (that would count a replay twice), and
/// must rarely claim one it was not (each claim costs a ledger read).
final class SignedDigestFilterTests: XCTestCase {
    private func digest(_ n: Int) -> [UInt8] {
        // SHA-256 of the number, as Sign would hand it over.
        var bytes = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: n >> (8 * i)) }
        return SHA256.hash(bytes)
    }

    func testNeverMissesAndRarelyClaimsAcrossGrowth() {
        var filter = SignedDigestFilter()
        // 50,000 inserts from the smallest start: several layers.
        for n in 0..<50_000 { filter.insert(digest(n)) }
        XCTAssertEqual(filter.count, 50_000)
        for n in 0..<50_000 { XCTAssertTrue(filter.mayContain(digest(n)), "missed digest \(n)") }

        var claimed = 0
        for n in 1_000_000..<1_050_000 where filter.mayContain(digest(n)) { claimed += 1 }
        // Expected about 0.06 % per layer; a generous bound still catches a broken filter.
        XCTAssertLessThan(claimed, 500, "\(claimed) of 50,000 never-signed digests claimed")
    }

    func testAnEmptyFilterClaimsNothing() {
        let filter = SignedDigestFilter(expected: 1_000)
        for n in 0..<10_000 { XCTAssertFalse(filter.mayContain(digest(n))) }
    }
}
