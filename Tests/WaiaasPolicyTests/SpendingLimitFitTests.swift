import Foundation
import XCTest
import WaiaasPolicy
import WaiaasSolana

/// Squads' periods reset at fixed boundaries; the fitted limit may never let
/// more through in any window than the policy does.
final class SpendingLimitFitTests: XCTestCase {
    private func limits(_ windows: String) throws -> CompiledPolicy.AssetLimits {
        let json = #"{"format": 1, "assets": [{"asset": "SOL", "windows": [\#(windows)]}]}"#
        return try XCTUnwrap(try CompiledPolicy(try PolicyJSON.parse(Data(json.utf8))).limits(for: .sol))
    }

    func testTheShortestFittingPeriodAndTheTightestWindow() throws {
        let day = try XCTUnwrap(SpendingLimitFit.fit(try limits(#"{"period": "24h", "limit": "3"}"#)))
        XCTAssertEqual(day.period, .day)
        XCTAssertEqual(day.amount, 1_500_000_000, "a 24 h window can span two days: half of it each")
        let both = try XCTUnwrap(SpendingLimitFit.fit(try limits(#"{"period": "24h", "limit": "3"}, {"period": "7d", "limit": "10"}"#)))
        XCTAssertEqual(both.period, .day)
        XCTAssertEqual(both.amount, 1_250_000_000, "seven days span eight day periods: 10/8 is tighter than 3/2")
        XCTAssertEqual(both.explanation, "1.25 SOL per day: the 7 d window allows 10 SOL, and any 7 d can span 8 day periods, each resetting the on-chain limit, so 8 × 1.25 SOL stays within it")
        let hour = try XCTUnwrap(SpendingLimitFit.fit(try limits(#"{"period": "1h", "limit": "1"}"#)))
        XCTAssertEqual(hour.period, .day)
        XCTAssertEqual(hour.amount, 500_000_000, "an hour inside one day: still two resets can fall in a window")
        let long = try XCTUnwrap(SpendingLimitFit.fit(try limits(#"{"period": "90d", "limit": "40"}"#)))
        XCTAssertEqual(long.period, .month)
        XCTAssertEqual(long.amount, 10_000_000_000, "90 days span four 30-day months")
    }

    /// Whatever the windows, the worst case on chain (the amount in each
    /// period a window touches) stays within every window's limit.
    func testNeverLooserThanAnyWindow() throws {
        for (seconds, limit) in [(3_600, "0.3"), (86_400, "1"), (172_800, "5"), (604_800, "7"), (2_592_000, "30"), (7_776_000, "2")] {
            let fitted = try XCTUnwrap(SpendingLimitFit.fit(try limits(#"{"period": "\#(seconds)s", "limit": "\#(limit)"}"#)))
            let period = UInt64(fitted.period.seconds!)
            let touched = (UInt64(seconds) + period - 1) / period + 1
            let windowLimit = try XCTUnwrap(try limits(#"{"period": "\#(seconds)s", "limit": "\#(limit)"}"#).windows.first?.amount)
            XCTAssertLessThanOrEqual(touched * fitted.amount, windowLimit, "\(seconds) s")
            XCTAssertGreaterThanOrEqual(period, min(UInt64(seconds), 2_592_000), "\(seconds) s: a period no shorter than the window")
        }
        XCTAssertNil(SpendingLimitFit.fit(try limits("")), "no window: nothing to fit")
    }
}
