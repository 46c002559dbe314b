import Foundation
import XCTest
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// The policy's `propose` section: read from JSON and written back, its
/// defaults, what cannot be put in force, and the evaluation of one
/// proposal (its cost as SOL, its rate, the programs the vault may call).
final class ProposeRulesTests: XCTestCase {
    private func compile(_ json: String) throws -> CompiledPolicy {
        try CompiledPolicy(try PolicyJSON.parse(Data(json.utf8)))
    }

    private let sol = #"{"asset": "SOL", "per_transaction": "0.01", "windows": [{"period": "24h", "limit": "0.015"}]}"#
    private let now: UInt64 = 1_800_000_000_000
    private let jupiter = PublicKey(base58: "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4")!

    func testTheSectionReadsAndWritesBack() throws {
        let json = #"{"format": 1, "assets": [\#(sol)], "propose": {"rate_limit": {"period": "2h", "max_proposals": 3}, "programs": {"include_defaults": false, "allow": ["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"]}, "max_sol": "0.004"}}"#
        let policy = try PolicyJSON.parse(Data(json.utf8))
        XCTAssertEqual(policy.propose?.rate, ProposalRate(seconds: 7_200, maxProposals: 3))
        XCTAssertEqual(policy.propose?.maxLamports?.value, 4_000_000)
        XCTAssertEqual(try PolicyJSON.parse(Data(PolicyText.json(policy).utf8)), policy, "what is written reads back the same")
        let rules = try CompiledPolicy(policy).propose
        XCTAssertEqual(rules.allowedPrograms, [jupiter])
        XCTAssertTrue(PolicyText.explain(policy).contains("Proposals to the owners' multisig: at most 3 in any 2 h"), PolicyText.explain(policy))
    }

    func testWithoutTheSectionTheDefaultsApply() throws {
        let rules = try compile(#"{"format": 1, "assets": [\#(sol)]}"#).propose
        XCTAssertEqual(rules.rate, ProposalRate(seconds: 3_600, maxProposals: 10))
        XCTAssertEqual(rules.maxLamports, 50_000_000)
        XCTAssertEqual(rules.allowedPrograms, Set(CompiledPolicy.defaultPrograms))
    }

    func testWhatCannotBePutInForceIsRefused() {
        for (section, expected) in [
            (#"{"programs": {"unlisted": "approval"}}"#, "unlisted must be deny"),
            (#"{"rate_limit": {"period": "1h", "max_proposals": 0}}"#, "max_proposals 0"),
            (#"{"rate_limit": {"period": "3651d", "max_proposals": 1}}"#, "longer than a policy period"),
            (#"{"colour": "red"}"#, "unknown key"),
        ] {
            XCTAssertThrowsError(try compile(#"{"format": 1, "propose": \#(section)}"#), section) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(section): \(error)")
            }
        }
    }

    func testOneProposalIsJudgedOnItsCostRateAndPrograms() throws {
        let policy = try compile(#"{"format": 1, "assets": [\#(sol)], "propose": {"rate_limit": {"period": "1h", "max_proposals": 2}, "max_sol": "0.006"}}"#)
        var book = SpendingBook(horizonSeconds: policy.longestWindowSeconds)
        let cheap = ProposalSubject(innerPrograms: [ProgramIds.system], rentLamports: 4_000_000, feeLamports: 5_000)
        let allowed = PolicyEngine.evaluateProposal(policy: policy, subject: cheap, book: book, nowMilliseconds: now)
        XCTAssertEqual(allowed.decision, .allow)
        XCTAssertEqual(allowed.reasons.map(\.code), [.proposed])
        XCTAssertEqual(allowed.outflows, [.sol: 4_005_000], "the cost counts as SOL the agent spends")

        func codes(_ subject: ProposalSubject) -> [String] {
            PolicyEngine.evaluateProposal(policy: policy, subject: subject, book: book, nowMilliseconds: now).reasons.map(\.code.rawValue)
        }
        XCTAssertEqual(codes(ProposalSubject(innerPrograms: [jupiter], rentLamports: 1, feeLamports: 5_000)), ["propose_program_not_allowed"])
        XCTAssertEqual(codes(ProposalSubject(innerPrograms: [], rentLamports: 6_000_000, feeLamports: 5_000)), ["propose_cost_exceeded"])
        XCTAssertEqual(codes(ProposalSubject(innerPrograms: [], rentLamports: 20_000_001, feeLamports: 0)),
                       ["propose_cost_exceeded", "per_transaction_limit_exceeded", "window_24h_exceeded"])
        book.record(timeMilliseconds: now - 1_000, outflows: [.sol: 4_005_000], proposal: true)
        book.record(timeMilliseconds: now - 500, outflows: [.sol: 4_005_000], proposal: true)
        XCTAssertEqual(codes(cheap), ["propose_rate_1h_exceeded"])
        // An hour later the rate frees, but the day's SOL window still holds both.
        let later = PolicyEngine.evaluateProposal(policy: policy, subject: cheap, book: book, nowMilliseconds: now + 3_600_000)
        XCTAssertEqual(later.decision, .allow)
        book.record(timeMilliseconds: now + 3_600_000, outflows: [.sol: 4_005_000], proposal: true)
        XCTAssertEqual(PolicyEngine.evaluateProposal(policy: policy, subject: cheap, book: book, nowMilliseconds: now + 7_300_000)
            .reasons.map(\.code.rawValue), ["window_24h_exceeded"])
        // Signs are not proposals: they count as signatures, not against the proposal rate.
        var signs = SpendingBook(horizonSeconds: policy.longestWindowSeconds)
        for i: UInt64 in 0..<5 { signs.record(timeMilliseconds: now - 100 + i, outflows: [:]) }
        XCTAssertEqual(PolicyEngine.evaluateProposal(policy: policy, subject: cheap, book: signs, nowMilliseconds: now).decision, .allow)
    }

    func testNoPolicyMeansNoProposal() {
        let evaluation = PolicyEngine.evaluateProposal(
            policy: nil, subject: ProposalSubject(innerPrograms: [], rentLamports: 1, feeLamports: 1), book: SpendingBook(horizonSeconds: 60), nowMilliseconds: now)
        XCTAssertEqual(evaluation.decision, .deny)
        XCTAssertEqual(evaluation.reasons.map(\.code), [.noPolicy])
    }
}
