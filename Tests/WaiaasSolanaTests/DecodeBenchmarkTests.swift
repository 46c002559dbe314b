import Foundation
import XCTest
@testable import WaiaasSolana

/// Decode throughput for a typical 2-instruction transfer: strict decode,
/// lookup resolution, instruction decoding and the effects summary, i.e.
/// everything the Sign path does before the policy. Prints transactions/s.
final class DecodeBenchmarkTests: XCTestCase {
    func testDecodeThroughput() throws {
        let bytes = Fixtures.transaction(Fixtures.transferMessage())
        let iterations = 20_000
        let start = DispatchTime.now().uptimeNanoseconds
        var outflows = 0
        for _ in 0..<iterations {
            let tx = try SolanaTransaction.decode(bytes)
            let resolved = try tx.message.resolve()
            outflows &+= EffectsSummary.compute(transaction: tx, resolved: resolved).outflows.count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertEqual(outflows, iterations)
        print(String(format: "decode throughput: %.0f tx/s (decode + resolve + effects, 2-instruction transfer, one core)", Double(iterations) / seconds))
    }
}
