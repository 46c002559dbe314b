import Foundation
import XCTest
import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

/// `"simulate": true`: the worse of static outflows and simulated decreases
/// counts, per asset; a simulation that did not run, failed or is disputed denies.
final class SimulationRulesTests: XCTestCase {
    let simulating = basePolicy { $0.simulate = true }

    func judge(_ policy: CompiledPolicy, lamports: UInt64, simulation: SimulationReport?) throws -> PolicyEvaluation {
        var effects = try Build.effects(payer: agent, signer: agent, [Build.transfer(from: agent, to: alice, lamports: lamports)])
        effects.simulation = simulation
        return PolicyEngine.evaluate(policy: policy, subject: .transaction(effects), agent: agent, book: SpendingBook(horizonSeconds: 86_400), nowMilliseconds: noon)
    }

    func testTheLargerSimulatedLossCounts() throws {
        let result = try judge(simulating, lamports: 1_000, simulation: .simulated(decreases: [.sol: 3 * lamportsPerSOL / 2], slot: 9))
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"), "\(result.codes)")
        XCTAssertEqual(result.outflows[.sol], 3 * lamportsPerSOL / 2)
    }

    func testTheLargerStaticOutflowCounts() throws {
        let result = try judge(simulating, lamports: 400_000_000, simulation: .simulated(decreases: [.sol: 5_000], slot: 9))
        XCTAssertEqual(result.decision, .allow)
        XCTAssertEqual(result.outflows[.sol], 400_000_000 + 5_000)
    }

    func testASimulatedLossOfAnAssetTheBytesNeverNamedIsJudged() throws {
        let other = key(77)
        let result = try judge(simulating, lamports: 1_000, simulation: .simulated(decreases: [.token(mint: other): 1], slot: 9))
        XCTAssertTrue(result.codes.contains("asset_not_allowed"), "\(result.codes)")
        let usdcLoss = try judge(simulating, lamports: 1_000, simulation: .simulated(decreases: [.token(mint: usdc): 100_000_001], slot: 9))
        XCTAssertTrue(usdcLoss.codes.contains("per_transaction_limit_exceeded"), "\(usdcLoss.codes)")
    }

    func testNoSimulationDenies() throws {
        let cases: [(SimulationReport?, String)] = [
            (nil, "simulation_unavailable"), (.unavailable("down"), "simulation_unavailable"),
            (.failed("InsufficientFunds"), "simulation_failed"), (.disagreement("a vs b"), "rpc_disagreement"),
        ]
        for (report, code) in cases {
            let result = try judge(simulating, lamports: 1_000, simulation: report)
            XCTAssertEqual(result.decision, .deny, code)
            XCTAssertEqual(result.codes, [code], "\(report.map { "\($0)" } ?? "nil")")
        }
    }

    func testWithoutSimulateTheReportIsIgnored() throws {
        let result = try judge(basePolicy(), lamports: 1_000, simulation: .simulated(decreases: [.sol: 10 * lamportsPerSOL], slot: 9))
        XCTAssertEqual(result.decision, .allow)
    }

    func testSimulateReadsAndWritesBackAsJSON() throws {
        let json = #"{"format": 1, "assets": [{"asset": "SOL", "per_transaction": "1"}], "simulate": true}"#
        let policy = try PolicyJSON.parse(Data(json.utf8))
        XCTAssertTrue(policy.simulate)
        XCTAssertEqual(PolicyText.jsonValue(policy)["simulate"], .bool(true))
        XCTAssertNil(PolicyText.jsonValue(try PolicyJSON.parse(Data(#"{"format": 1}"#.utf8)))["simulate"])
        XCTAssertThrowsError(try PolicyJSON.parse(Data(#"{"format": 1, "simulate": "yes"}"#.utf8)))
    }
}
