import XCTest
import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

final class PolicyEngineTests: XCTestCase {
    // MARK: default deny and amounts

    func testNoPolicyDeniesEverything() throws {
        let result = try evaluate(nil, [Build.transfer(from: agent, to: alice, lamports: 1)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.codes, ["no_policy"])
    }

    func testTransferWithinLimitsIsAllowedAndCountsTheFee() throws {
        let result = try evaluate(basePolicy(), [Build.transfer(from: agent, to: alice, lamports: 100_000_000)])
        XCTAssertEqual(result.decision, .allow, "\(result.reasons)")
        XCTAssertEqual(result.outflows[.sol], 100_000_000 + 5_000)
        XCTAssertEqual(result.codes, ["within_policy"])
    }

    func testPerTransactionLimit() throws {
        let result = try evaluate(basePolicy(), [Build.transfer(from: agent, to: alice, lamports: lamportsPerSOL + 1)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"))
        let reason = result.reasons.first { $0.code.rawValue == "per_transaction_limit_exceeded" }!
        XCTAssertEqual(reason.message, "1.000005001 SOL in one transaction; the limit is 1 SOL")
    }

    func testFeesPushATransactionOverTheLimit() throws {
        // Exactly the limit in lamports, plus the 5000-lamport fee the agent pays.
        let result = try evaluate(basePolicy(), [Build.transfer(from: agent, to: alice, lamports: lamportsPerSOL)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"))
        // The same transfer with someone else paying the fee fits.
        let feePaidByOther = try evaluate(basePolicy(), [Build.transfer(from: agent, to: alice, lamports: lamportsPerSOL)], payer: bob)
        XCTAssertEqual(feePaidByOther.decision, .allow, "\(feePaidByOther.reasons)")
        XCTAssertEqual(feePaidByOther.outflows[.sol], lamportsPerSOL)
    }

    func testPriorityFeeCountsAtTheUnitLimit() throws {
        // 1,000,000 units at 1,000,000 micro-lamports each = 1,000,000 lamports of priority fee.
        let result = try evaluate(basePolicy(), [Build.unitLimit(1_000_000), Build.unitPrice(1_000_000), Build.transfer(from: agent, to: alice, lamports: lamportsPerSOL - 500_000)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.maxFeeLamports, 5_000 + 1_000_000)
    }

    func testEveryInstructionCountsNotJustTheFirst() throws {
        let result = try evaluate(basePolicy(), [
            Build.transfer(from: agent, to: alice, lamports: 600_000_000),
            Build.transfer(from: agent, to: bob, lamports: 600_000_000),
        ])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.outflows[.sol], 1_200_005_000)
    }

    func testATransferHiddenAfterAMemoIsCounted() throws {
        let memo = Instruction(program: ProgramIds.memo, accounts: [], data: Array("hello".utf8))
        let result = try evaluate(basePolicy(), [memo, memo, Build.transfer(from: agent, to: alice, lamports: 2 * lamportsPerSOL)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"))
    }

    func testSOLLeavingThroughCreateAccountIsCounted() throws {
        let result = try evaluate(basePolicy { $0.control = ControlRule(allowAssign: true) }, [Build.createAccount(from: agent, new: key(9), lamports: 3 * lamportsPerSOL, owner: ProgramIds.token)])
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.outflows[.sol], 3 * lamportsPerSOL + 10_000)  // two signers pay two base fees
        XCTAssertTrue(result.codes.contains("per_transaction_limit_exceeded"))
    }

    func testTokenTransferInsideABatchIsCounted() throws {
        let inner = Build.transferChecked(source: agentUSDC, mint: usdc, destination: key(50), owner: agent, amount: 150_000_000, decimals: 6)
        let result = try evaluate(basePolicy(), [Build.batch([inner])], payer: bob)
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.outflows[.mint(usdc)], 150_000_000)
        XCTAssertTrue(result.reasons.contains { $0.message == "150 USDC in one transaction; the limit is 100 USDC" }, "\(result.reasons)")
    }

    func testTwoTransfersInOneBatchAddUp() throws {
        let a = Build.transferChecked(source: agentUSDC, mint: usdc, destination: key(50), owner: agent, amount: 60_000_000, decimals: 6)
        let b = Build.transferChecked(source: agentUSDC, mint: usdc, destination: key(51), owner: agent, amount: 60_000_000, decimals: 6)
        let result = try evaluate(basePolicy(), [Build.batch([a, b])], payer: bob)
        XCTAssertEqual(result.outflows[.mint(usdc)], 120_000_000)
        XCTAssertEqual(result.decision, .deny)
    }

    func testPlainTokenTransferWithUnknownMintIsDenied() throws {
        let result = try evaluate(basePolicy(), [Build.plainTokenTransfer(source: agentUSDC, destination: key(50), owner: agent, amount: 1)], payer: bob)
        XCTAssertEqual(result.decision, .deny)
        XCTAssertTrue(result.codes.contains("unknown_mint"))
    }

    func testAnAssetWithoutARuleMayNotLeave() throws {
        let other = key(77)
        let result = try evaluate(basePolicy(), [Build.transferChecked(source: key(78), mint: other, destination: key(50), owner: agent, amount: 1, decimals: 0)], payer: bob)
        XCTAssertEqual(result.decision, .deny)
        XCTAssertEqual(result.codes, ["asset_not_allowed"])
    }

    // MARK: windows

    func testWindowFillsUpAndFreesAtItsEdge() throws {
        let policy = basePolicy()
        var book = SpendingBook(horizonSeconds: 86_400)
        // 1.5 SOL spent 30 minutes ago: the 1 h window (2 SOL) has 0.5 left.
        book.record(timeMilliseconds: noon - 1_800_000, outflows: [.sol: 1_500_000_000])
        let over = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 600_000_000)], book: book)
        XCTAssertEqual(over.decision, .deny)
        XCTAssertEqual(over.codes, ["window_1h_exceeded"])
        XCTAssertEqual(over.reasons[0].message, "0.600005 SOL would bring the 1 h total to 2.100005 SOL, limit 2 SOL")
        let fits = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 400_000_000)], book: book)
        XCTAssertEqual(fits.decision, .allow)
        // Exactly one hour after the spend, it no longer counts for the 1 h window.
        let later = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 600_000_000)], book: book, now: noon + 1_800_000)
        XCTAssertEqual(later.decision, .allow, "\(later.reasons)")
        // One millisecond earlier it still does.
        let justBefore = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 600_000_000)], book: book, now: noon + 1_799_999)
        XCTAssertEqual(justBefore.decision, .deny)
    }

    func testMultipleWindowsEachApply() throws {
        let policy = basePolicy()
        var book = SpendingBook(horizonSeconds: 86_400)
        for hour in 2...5 {  // 4 × 1 SOL in earlier hours: 24 h total 4 SOL
            book.record(timeMilliseconds: noon - UInt64(hour) * 3_600_000, outflows: [.sol: lamportsPerSOL])
        }
        let result = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 999_995_000)], book: book)
        XCTAssertEqual(result.decision, .allow, "\(result.reasons)")  // exactly reaches 5 SOL
        let over = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 999_995_001)], book: book)
        XCTAssertTrue(over.codes.contains("window_24h_exceeded"), "\(over.codes)")
        XCTAssertFalse(over.codes.contains("window_1h_exceeded"), "the spends are older than an hour")
        // Within the hour, the 1 h window binds first: 1.5 SOL 10 minutes ago.
        book.record(timeMilliseconds: noon - 600_000, outflows: [.sol: 1_500_000_000])
        let hourly = try evaluate(basePolicy { $0.assets[0].windows[0].amount = 50 * lamportsPerSOL }, [Build.transfer(from: agent, to: alice, lamports: 600_000_000)], book: book)
        XCTAssertEqual(hourly.codes, ["window_1h_exceeded"])
    }

    // MARK: control transfer

    func testControlTransferInstructionsAreDeniedUnlessNamed() throws {
        let cases: [(Instruction, String, (inout ControlRule) -> Void)] = [
            (Build.assign(agent, owner: key(90)), "control_assign", { $0.allowAssign = true }),
            (Build.allocate(agent, space: 10), "control_allocate", { $0.allowAllocate = true }),
            (Build.approve(source: agentUSDC, delegate: bob, owner: agent, amount: 5), "control_token_approve", { $0.allowTokenApprove = true }),
            (Build.setAuthority(account: agentUSDC, owner: agent, newAuthority: bob), "control_set_authority", { $0.allowSetAuthority = true }),
            (Build.closeAccount(account: agentUSDC, destination: bob, owner: agent), "control_close_to_foreign", { $0.allowCloseToForeign = true }),
            (Build.authorizeNonce(nonce: key(60), authority: agent, newAuthority: bob), "control_nonce_authority", { $0.allowNonceAuthorityChange = true }),
        ]
        for (instruction, code, allow) in cases {
            let denied = try evaluate(basePolicy(), [instruction])
            XCTAssertEqual(denied.decision, .deny, code)
            XCTAssertTrue(denied.codes.contains(code), "\(code): \(denied.codes)")
            var control = ControlRule()
            allow(&control)
            let named = try evaluate(basePolicy { $0.control = control }, [instruction])
            XCTAssertFalse(named.codes.contains(code), "\(code) should be allowed when named: \(named.codes)")
        }
    }

    func testClosingAnAccountToTheAgentItselfIsFine() throws {
        let result = try evaluate(basePolicy(), [Build.closeAccount(account: agentUSDC, destination: agent, owner: agent)])
        XCTAssertEqual(result.decision, .allow, "\(result.reasons)")
    }

    func testDurableNonceIsDeniedUnlessAllowed() throws {
        let instructions = [Build.advanceNonce(nonce: key(60), authority: agent), Build.transfer(from: agent, to: alice, lamports: 10)]
        XCTAssertTrue(try evaluate(basePolicy(), instructions).codes.contains("durable_nonce_not_allowed"))
        XCTAssertEqual(try evaluate(basePolicy { $0.allowDurableNonce = true }, instructions).decision, .allow)
    }

    // MARK: programs

    func testProgramsOutsideTheAllowListAreDeniedOrSentToApproval() throws {
        let dex = key(99)
        let denied = try evaluate(basePolicy(), [Build.opaque(dex, signer: agent)])
        XCTAssertEqual(denied.decision, .deny)
        XCTAssertEqual(denied.codes, ["program_not_allowed"])
        let approval = try evaluate(basePolicy { $0.programs = ProgramRule(includeDefaults: true, unlisted: .approval) }, [Build.opaque(dex, signer: agent)])
        XCTAssertEqual(approval.decision, .approvalRequired)
        let allowed = try evaluate(basePolicy { $0.programs = ProgramRule(allowed: [dex.bytes], includeDefaults: true) }, [Build.opaque(dex, signer: agent)])
        XCTAssertEqual(allowed.decision, .allow, "\(allowed.reasons)")
    }

    func testWithoutDefaultsEvenTheSystemProgramIsDenied() throws {
        let result = try evaluate(basePolicy { $0.programs = ProgramRule(allowed: [key(99).bytes]) }, [Build.transfer(from: agent, to: alice, lamports: 1)])
        XCTAssertTrue(result.codes.contains("program_not_allowed"))
    }

    func testAgentThatIsNotASignerGetsNothing() throws {
        let result = try evaluate(basePolicy(), [Build.transfer(from: bob, to: alice, lamports: 1)], payer: bob)
        XCTAssertTrue(result.codes.contains("agent_not_signer"))
    }

    // MARK: approval, destinations, fees, rate, validity

    func testApprovalThresholdAnswersApprovalRequired() throws {
        let policy = basePolicy { $0.assets[0].approvalThreshold = Amount(value: 500_000_000) }
        let result = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 700_000_000)])
        XCTAssertEqual(result.decision, .approvalRequired)
        XCTAssertEqual(result.codes, ["approval_required"])
        // A denial still wins over approval.
        let both = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 3 * lamportsPerSOL)])
        XCTAssertEqual(both.decision, .deny)
    }

    func testDestinationListsIncludingAssociatedTokenAccounts() throws {
        let merchant = key(70)
        let merchantATA = ProgramAddress.associatedTokenAddress(wallet: merchant, mint: usdc)!
        let policy = basePolicy { $0.destinations = DestinationRule(allow: [merchant.bytes], deny: [bob.bytes]) }
        XCTAssertEqual(try evaluate(policy, [Build.transfer(from: agent, to: merchant, lamports: 10)]).decision, .allow)
        XCTAssertEqual(try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 10)]).codes, ["destination_not_allowed"])
        XCTAssertTrue(try evaluate(policy, [Build.transfer(from: agent, to: bob, lamports: 10)]).codes.contains("destination_denied"))
        let toATA = try evaluate(policy, [Build.transferChecked(source: agentUSDC, mint: usdc, destination: merchantATA, owner: agent, amount: 5, decimals: 6)])
        XCTAssertEqual(toATA.decision, .allow, "\(toATA.reasons)")
        let token2022ATA = ProgramAddress.associatedTokenAddress(wallet: merchant, mint: usdc, tokenProgram: ProgramIds.token2022)!
        XCTAssertEqual(try evaluate(policy, [Build.transferChecked(source: agentUSDC, mint: usdc, destination: token2022ATA, owner: agent, amount: 5, decimals: 6, program: ProgramIds.token2022)]).decision, .allow)
    }

    func testFeeCap() throws {
        let policy = basePolicy { $0.maxFeeLamports = Amount(value: 100_000) }
        let result = try evaluate(policy, [Build.unitLimit(200_000), Build.unitPrice(1_000_000), Build.transfer(from: agent, to: alice, lamports: 1)])
        XCTAssertEqual(result.codes, ["fee_cap_exceeded"])
        XCTAssertEqual(try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 1)]).decision, .allow)
    }

    func testRateLimit() throws {
        let policy = basePolicy { $0.rateLimits = [RateLimit(seconds: 60, maxSignatures: 2)] }
        var book = SpendingBook(horizonSeconds: 86_400)
        book.record(timeMilliseconds: noon - 10_000, outflows: [:])
        XCTAssertEqual(try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 1)], book: book).decision, .allow)
        book.record(timeMilliseconds: noon - 5_000, outflows: [:])
        let result = try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 1)], book: book)
        XCTAssertEqual(result.codes, ["rate_limit_1m_exceeded"])
    }

    func testValidityPeriod() throws {
        let seconds = noon / 1000
        let early = basePolicy { $0.validity = Validity(notBefore: seconds + 60) }
        XCTAssertEqual(try evaluate(early, [Build.transfer(from: agent, to: alice, lamports: 1)]).codes, ["policy_not_yet_valid"])
        let expired = basePolicy { $0.validity = Validity(notAfter: seconds) }
        XCTAssertEqual(try evaluate(expired, [Build.transfer(from: agent, to: alice, lamports: 1)]).codes, ["policy_expired"])
        let inside = basePolicy { $0.validity = Validity(notBefore: seconds - 1, notAfter: seconds + 1) }
        XCTAssertEqual(try evaluate(inside, [Build.transfer(from: agent, to: alice, lamports: 1)]).decision, .allow)
    }
}
