import WaiaasProto
import XCTest
@testable import WaiaasPolicy
import WaiaasSolana

/// The rules that close the ways around the policy the review found: each
/// transaction here was signed before the fix.
final class BypassRulesTests: XCTestCase {
    let table = key(90)
    let attacker = key(91)

    func token2022(_ data: [UInt8], _ accounts: [PublicKey], signer: PublicKey = agent) -> Instruction {
        Instruction(program: ProgramIds.token2022, accounts: accounts.map { .init(key: $0, signer: $0 == signer, writable: $0 != signer) }, data: data)
    }

    func allowing(_ names: [String]) -> CompiledPolicy {
        basePolicy { $0.control = ControlRule(allowInstructions: names) }
    }

    /// v0: a transfer of 0.9 SOL whose destination comes from a table the
    /// caller describes as holding the allowed merchant.
    func testLoadedDestinationIsRefusedWhateverTheCallerClaims() throws {
        let policy = basePolicy { $0.destinations = DestinationRule(allow: [alice.bytes]) }
        let message = Message(
            version: .v0, header: MessageHeader(numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 1),
            accountKeys: [agent, ProgramIds.system], recentBlockhash: key(200),
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [0, 2], data: le32(2) + le64(900_000_000))],
            addressTableLookups: [AddressTableLookup(accountKey: table, writableIndexes: [0], readonlyIndexes: [])])
        let decoded = try Message.decode(message.encoded())
        let effects = EffectsSummary.compute(message: decoded, resolved: try decoded.resolve(lookupTables: [table: [alice]]), signer: agent)
        let result = PolicyEngine.evaluate(policy: policy, subject: .transaction(effects), agent: agent, book: SpendingBook(horizonSeconds: 86_400), nowMilliseconds: noon)
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("lookup_table_unverified"), "\(result.codes)")
    }

    func testComputeBudgetOnlyTransactionPaysItsFee() throws {
        // 2 × 3,000 units at 200,000 lamports a unit: 1.2 SOL of priority fee.
        let result = try evaluate(basePolicy(), [Build.unitPrice(200_000_000_000), Instruction(program: ProgramIds.computeBudget, accounts: [], data: [1] + le32(65_536))])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"), "\(result.codes)")
        XCTAssertEqual(result.outflows[.sol], 1_200_005_000)
    }

    func testAssociatedAccountRentCountsAgainstTheWindowAndTheDestinations() throws {
        func create(_ owner: PublicKey) -> Instruction {
            Instruction(program: ProgramIds.associatedToken, accounts: [
                .init(key: agent, signer: true, writable: true), .init(key: key(UInt8(100) &+ owner.bytes[0]), signer: false, writable: true),
                .init(key: owner, signer: false, writable: false), .init(key: usdc, signer: false, writable: false),
                .init(key: ProgramIds.system, signer: false, writable: false), .init(key: ProgramIds.token, signer: false, writable: false),
            ], data: [1])
        }
        let twelve = (0..<12).map { create(key(UInt8(120 + $0))) }
        let result = try evaluate(basePolicy(), twelve)
        XCTAssertEqual(result.outflows[.sol], 12 * 2_039_280 + 5_000)
        XCTAssertEqual(result.decision, .allow)
        let listed = try evaluate(basePolicy { $0.destinations = DestinationRule(allow: [alice.bytes]) }, [create(attacker)])
        XCTAssertTrue(listed.codes.contains("destination_not_allowed"), "\(listed.codes)")
        XCTAssertEqual(try evaluate(basePolicy { $0.destinations = DestinationRule(allow: [alice.bytes]) }, [create(alice)]).decision, .allow)
    }

    func testControlTransfersAreRefusedUnlessNamed() throws {
        let account = key(70)
        let cases: [([UInt8], [PublicKey], String, String)] = [
            ([27, 5] + le64(40) + [6], [account, usdc, agent], "control_confidential_transfer", "spl-token-2022.confidentialTransfer.deposit"),
            ([27, 7], [account, usdc, account, agent], "control_confidential_transfer", "spl-token-2022.confidentialTransfer.transfer"),
            ([34, 1], [account, agent], "control_cpi_guard_disable", "spl-token-2022.cpiGuard.disable"),
            ([30, 1], [account, agent], "control_memo_transfer_disable", "spl-token-2022.memoTransfer.disable"),
            ([44, 1], [usdc, agent], "instruction_not_classified", "spl-token-2022.pausable.pause"),
        ]
        for (data, accounts, code, name) in cases {
            let refused = try evaluate(basePolicy(), [token2022(data, accounts)])
            XCTAssertEqual(refused.decision, .deny, name)
            XCTAssertEqual(refused.codes, [code], name)
            XCTAssertEqual(try evaluate(allowing([name]), [token2022(data, accounts)]).decision, .allow, name)
        }
        // Harmless: adding a protection.
        XCTAssertEqual(try evaluate(basePolicy(), [token2022([34, 0], [account, agent])]).decision, .allow)
        XCTAssertEqual(try evaluate(basePolicy(), [token2022([30, 0], [account, agent])]).decision, .allow)
    }

    func testReallocatePaidByTheAgentIsUnbounded() throws {
        let result = try evaluate(basePolicy(), [token2022([29, 8, 0], [key(70), agent, ProgramIds.system, agent], signer: agent)])
        XCTAssertTrue(result.codes.contains("unbounded_outflow"), "\(result.codes)")
    }

    func testUnknownInstructionNamesAreRefusedWithThePolicy() {
        var policy = basePolicy().policy
        policy.control = ControlRule(allowInstructions: ["spl-token-2022.pausable.pause", "spl-token-2022.cpiGuard.enable", "nonsense"])
        XCTAssertThrowsError(try CompiledPolicy(policy)) { error in
            let problems = (error as? PolicyError)?.problems ?? []
            XCTAssertEqual(problems.count, 2, "\(problems)")
            XCTAssertTrue(problems.allSatisfy { $0.contains("allow_instructions") })
        }
    }
}
