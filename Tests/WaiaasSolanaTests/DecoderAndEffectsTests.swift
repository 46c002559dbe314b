import XCTest
@testable import WaiaasSolana

final class DecoderAndEffectsTests: XCTestCase {
    let agent = Fixtures.key(1)
    let other = Fixtures.key(2)
    let mint = Fixtures.key(3)
    let source = Fixtures.key(4)
    let dest = Fixtures.key(5)

    func token(_ data: [UInt8], _ accounts: [PublicKey], program: PublicKey = ProgramIds.token) -> DecodedInstruction {
        InstructionDecoder.decode(InstructionInput(programId: program, accounts: accounts, data: data))
    }

    func transferChecked(_ amount: UInt64) -> [UInt8] {
        var d: [UInt8] = [12]
        d.appendU64LE(amount)
        d.append(6)
        return d
    }

    func testBatchInnerTransfersAreDecoded() {
        let inner = transferChecked(500)
        var data: [UInt8] = [255, 4, UInt8(inner.count)] + inner
        var plain: [UInt8] = [3]
        plain.appendU64LE(7)
        data += [3, UInt8(plain.count)] + plain
        let ix = token(data, [source, mint, dest, agent, source, dest, agent])
        guard case .token(let t, _) = ix else { return XCTFail("\(ix)") }
        XCTAssertEqual(t.kind, .batch)
        XCTAssertEqual(t.inner.map(\.kind), [.transferChecked, .transfer])
        XCTAssertEqual(t.inner[0].amount, 500)
        XCTAssertEqual(t.inner[0].destination, dest)

        var b = EffectsSummary.Builder(signer: agent)
        b.add(ix, at: 0)
        XCTAssertEqual(EffectsSummary.totals(of: b.outflows).map(\.asset), [.token(mint: mint), .unknownMint(program: ProgramIds.token)])
        XCTAssertEqual(b.outflows.map(\.position), [InstructionPosition(index: 0, inner: 0), InstructionPosition(index: 0, inner: 1)])
    }

    func testMalformedBatchesAreRefused() {
        let inner = transferChecked(1)
        let cases: [([UInt8], [PublicKey], SolanaDecodeError.Code)] = [
            ([255], [], .emptyBatch),
            ([255, 0, 1, 255], [], .nestedBatch),
            ([255, 4, 0], [source, mint, dest, agent], .invalidBatch),
            ([255, 4, UInt8(inner.count)] + inner, [source, mint, dest], .notEnoughAccounts),
            ([255, 4, UInt8(inner.count)] + inner, [source, mint, dest, agent, other], .invalidBatch),
            ([255, 4, UInt8(inner.count + 1)] + inner, [source, mint, dest, agent], .truncated),
            ([255, 4, UInt8(inner.count)] + inner + [0], [source, mint, dest, agent], .truncated),
        ]
        for (data, accounts, code) in cases {
            guard case .invalid(_, let error) = token(data, accounts) else { return XCTFail("\(data) decoded") }
            XCTAssertEqual(error.code, code, "\(data): \(error)")
        }
    }

    func testTransferCheckedWithFee() {
        var d: [UInt8] = [26, 1]
        d.appendU64LE(1_000)
        d.append(2)
        d.appendU64LE(10)
        let ix = token(d, [source, mint, dest, agent], program: ProgramIds.token2022)
        guard case .token(let t, let program) = ix else { return XCTFail("\(ix)") }
        XCTAssertEqual(program, ProgramIds.token2022)
        XCTAssertEqual(t.kind, .transferCheckedWithFee)
        XCTAssertEqual(t.amount, 1_000)
        XCTAssertEqual(t.fee, 10)
        XCTAssertEqual(t.decimals, 2)
        // Not a thing for the original token program.
        guard case .invalid = token(d, [source, mint, dest, agent]) else { return XCTFail() }
    }

    func testStrictLengthsAndUnknownTags() {
        var d = transferChecked(1)
        d.append(0)
        guard case .invalid(_, let e1) = token(d, [source, mint, dest, agent]) else { return XCTFail() }
        XCTAssertEqual(e1.code, .trailingBytes)
        guard case .invalid(_, let e2) = token(transferChecked(1), [source, mint, dest]) else { return XCTFail() }
        XCTAssertEqual(e2.code, .notEnoughAccounts)
        guard case .invalid(_, let e3) = token([99], [source]) else { return XCTFail() }
        XCTAssertEqual(e3.code, .unknownInstruction)
        let sys = InstructionDecoder.decode(InstructionInput(programId: ProgramIds.system, accounts: [agent, other], data: [2, 0, 0, 0, 1]))
        guard case .invalid(_, let e4) = sys else { return XCTFail() }
        XCTAssertEqual(e4.code, .truncated)
    }

    func testAuthorityChangesAndDelegations() {
        var approve: [UInt8] = [4]
        approve.appendU64LE(99)
        var b = EffectsSummary.Builder(signer: agent)
        b.add(token(approve, [source, other, agent]), at: 0)
        b.add(token([6, 2, 1] + other.bytes, [source, agent]), at: 1)
        b.add(token([9], [source, other, agent]), at: 2)
        b.add(InstructionDecoder.decode(InstructionInput(programId: ProgramIds.system, accounts: [agent], data: [1, 0, 0, 0] + other.bytes)), at: 3)
        XCTAssertEqual(b.authorityChanges.map(\.instruction), ["spl-token.approve", "spl-token.setAuthority", "spl-token.closeAccount", "system.assign"])
        XCTAssertEqual(b.authorityChanges.map(\.kind), [.tokenApprove, .setAuthority, .closeAccount, .assign])
        XCTAssertEqual(b.authorityChanges[0].amount, 99)
        XCTAssertEqual(b.outflows.map(\.kind), ["token.closeAccount"])
        XCTAssertNil(b.outflows[0].amount)
    }

    func testEffectsOfTypicalTransfer() throws {
        let tx = try SolanaTransaction.decode(Fixtures.transaction(Fixtures.transferMessage()))
        let e = EffectsSummary.compute(transaction: tx, resolved: try tx.message.resolve())
        XCTAssertEqual(e.signer, Fixtures.payer)
        XCTAssertTrue(e.signerIsFeePayer)
        XCTAssertEqual(e.totals, [AssetTotal(asset: .sol, amount: 1_000_000, unbounded: false)])
        XCTAssertEqual(e.destinations, [Fixtures.recipient])
        XCTAssertEqual(e.programs, [ProgramIds.computeBudget, ProgramIds.system])
        // No limit requested: 200k for the transfer and 3k for the ComputeBudget
        // instruction itself (SIMD-0170), at 1000 µL/CU = 203 lamports.
        XCTAssertEqual(e.computeUnitLimit, 203_000)
        XCTAssertEqual(e.priorityFeeLamports, 203)
        XCTAssertEqual(e.maxFeeLamports, 5_203)
        XCTAssertNil(e.durableNonce)
        XCTAssertTrue(e.isFullyDecoded)

        let other = EffectsSummary.compute(transaction: tx, resolved: try tx.message.resolve(), signer: Fixtures.recipient)
        XCTAssertTrue(other.outflows.isEmpty)
        XCTAssertFalse(other.signerMustSign)

        let v1 = try SolanaTransaction.decode(Fixtures.transaction(Fixtures.transferMessage(version: .v1)))
        let e1 = EffectsSummary.compute(transaction: v1, resolved: try v1.message.resolve())
        XCTAssertEqual(e1.priorityFeeLamports, 77, "v1 ignores ComputeBudget instructions")
        XCTAssertEqual(e1.computeUnitLimit, 300_000)
    }

    func testPriorityFeeSaturates() {
        XCTAssertEqual(EffectsSummary.priorityFee(limit: 1_400_000, microLamportsPerUnit: .max), .max)
        XCTAssertEqual(EffectsSummary.priorityFee(limit: 3, microLamportsPerUnit: 1), 1)
        XCTAssertEqual(EffectsSummary.priorityFee(limit: 1_000_000, microLamportsPerUnit: 2), 2)
    }

    func testDurableNonceDetection() throws {
        var m = Fixtures.transferMessage()
        m.accountKeys.append(Fixtures.key(60))
        m.accountKeys.append(ProgramIds.sysvarRecentBlockhashes)
        m.header.numReadonlyUnsignedAccounts = 0
        m.instructions.insert(CompiledInstruction(programIdIndex: 2, accounts: [4, 5, 0], data: [4, 0, 0, 0]), at: 0)
        let e = EffectsSummary.compute(message: m, resolved: try m.resolve())
        XCTAssertEqual(e.durableNonce, DurableNonceUse(nonceAccount: Fixtures.key(60), authority: Fixtures.payer))
    }
}
