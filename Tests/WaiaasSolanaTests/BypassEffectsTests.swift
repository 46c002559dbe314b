import XCTest
@testable import WaiaasSolana

/// The effects the policy-bypass review showed were missed: accounts loaded
/// from lookup tables, the fee of a transaction with no unit limit and of
/// precompile signatures, rent the signer pays, and Token-2022 extension
/// instructions that name the signer.
final class BypassEffectsTests: XCTestCase {
    let agent = Fixtures.key(1)
    let merchant = Fixtures.key(2)
    let table = Fixtures.key(30)
    let opaqueProgram = Fixtures.key(31)
    let mint = Fixtures.key(32)

    func header(signers: UInt8 = 1, readonlyUnsigned: UInt8) -> MessageHeader {
        MessageHeader(numRequiredSignatures: signers, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: readonlyUnsigned)
    }

    func effects(_ message: Message, tables: [PublicKey: [PublicKey]] = [:]) throws -> EffectsSummary {
        let decoded = try Message.decode(message.encoded())
        return EffectsSummary.compute(message: decoded, resolved: try decoded.resolve(lookupTables: tables), signer: agent)
    }

    // MARK: lookup tables

    /// A System transfer whose destination is loaded from a table: whatever
    /// the caller says the table holds, the instruction is flagged.
    func testDecodedInstructionNamingALoadedAccountIsFlagged() throws {
        let message = Message(
            version: .v0, header: header(readonlyUnsigned: 1), accountKeys: [agent, ProgramIds.system], recentBlockhash: Fixtures.blockhash,
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [0, 2], data: Fixtures.systemTransfer(lamports: 900_000_000))],
            addressTableLookups: [AddressTableLookup(accountKey: table, writableIndexes: [0], readonlyIndexes: [])])
        for tables in [[:], [table: [merchant]]] {
            let e = try effects(message, tables: tables)
            XCTAssertEqual(e.instructionsUsingLoadedAccounts, [0], "tables supplied: \(!tables.isEmpty)")
            XCTAssertFalse(e.isFullyDecoded)
        }
        // The supplied contents still explain: the claimed destination is shown.
        XCTAssertEqual(try effects(message, tables: [table: [merchant]]).destinations, [merchant])
    }

    /// An opaque program's loaded account does not decide anything.
    func testOpaqueCallMayNameALoadedAccount() throws {
        let message = Message(
            version: .v0, header: header(readonlyUnsigned: 1), accountKeys: [agent, opaqueProgram], recentBlockhash: Fixtures.blockhash,
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [0, 2], data: [1, 2, 3])],
            addressTableLookups: [AddressTableLookup(accountKey: table, writableIndexes: [0], readonlyIndexes: [])])
        let e = try effects(message)
        XCTAssertEqual(e.instructionsUsingLoadedAccounts, [])
        XCTAssertEqual(e.unresolvedInstructions, [0], "still reported as unresolved, for the explanation")
    }

    // MARK: fees

    func testComputeBudgetOnlyTransactionCountsItsOwnInstructions() throws {
        var price: [UInt8] = [3]
        price.appendU64LE(1_000_000_000)  // 1,000 lamports per unit
        var heap: [UInt8] = [1]
        heap.appendU32LE(64 * 1024)
        let message = Message(
            version: .legacy, header: header(readonlyUnsigned: 1), accountKeys: [agent, ProgramIds.computeBudget], recentBlockhash: Fixtures.blockhash,
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [], data: price), CompiledInstruction(programIdIndex: 1, accounts: [], data: heap)])
        let e = try effects(message)
        XCTAssertEqual(e.computeUnitLimit, 6_000)
        XCTAssertEqual(e.priorityFeeLamports, 6_000_000)
        XCTAssertEqual(e.maxFeeLamports, 6_005_000)
    }

    func testDefaultLimitIsCappedAndOpaqueCallsCountFull() {
        XCTAssertEqual(EffectsSummary.defaultComputeUnitLimit(programs: [ProgramIds.system, opaqueProgram]), 400_000)
        XCTAssertEqual(EffectsSummary.defaultComputeUnitLimit(programs: [PublicKey](repeating: opaqueProgram, count: 9)), 1_400_000)
        XCTAssertEqual(EffectsSummary.defaultComputeUnitLimit(programs: [ProgramIds.computeBudget, ProgramIds.computeBudget, ProgramIds.system]), 206_000)
    }

    func testPrecompileSignaturesArePaidFor() throws {
        let message = Message(
            version: .legacy, header: header(readonlyUnsigned: 2), accountKeys: [agent, ProgramIds.ed25519, ProgramIds.secp256k1],
            recentBlockhash: Fixtures.blockhash,
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [], data: [3, 0]), CompiledInstruction(programIdIndex: 2, accounts: [], data: [2])])
        let e = try effects(message)
        XCTAssertEqual(e.precompileSignatures, 5)
        XCTAssertEqual(e.baseFeeLamports, 30_000)
        XCTAssertEqual(e.maxFeeLamports, 30_000, "no unit price, no priority fee")
    }

    // MARK: rent

    func ataCreate(tokenProgram: PublicKey, idempotent: Bool, wallet: PublicKey) -> DecodedInstruction {
        InstructionDecoder.decode(InstructionInput(programId: ProgramIds.associatedToken,
                                                   accounts: [agent, Fixtures.key(50), wallet, mint, ProgramIds.system, tokenProgram],
                                                   data: idempotent ? [1] : []))
    }

    func testAssociatedAccountRentIsAnOutflowToItsOwner() {
        var b = EffectsSummary.Builder(signer: agent)
        b.add(ataCreate(tokenProgram: ProgramIds.token, idempotent: true, wallet: merchant), at: 0)
        b.add(ataCreate(tokenProgram: ProgramIds.token2022, idempotent: false, wallet: merchant), at: 1)
        XCTAssertEqual(b.outflows.map(\.amount), [2_039_280, 4_454_400])
        XCTAssertEqual(b.outflows.map(\.destination), [merchant, merchant])
        XCTAssertEqual(b.outflows.map(\.asset), [.sol, .sol])
        XCTAssertEqual(b.creations.map(\.lamports), [2_039_280, 4_454_400])
        XCTAssertEqual(Rent.exemptMinimum(dataBytes: 0), 890_880, "the rent-exempt minimum of an empty account on every cluster today")

        var paidByOther = EffectsSummary.Builder(signer: Fixtures.key(60))
        paidByOther.add(ataCreate(tokenProgram: ProgramIds.token, idempotent: true, wallet: merchant), at: 0)
        XCTAssertEqual(paidByOther.outflows, [], "someone else's rent is not the signer's outflow")
    }

    // MARK: Token-2022 extensions

    func token2022(_ data: [UInt8], _ accounts: [PublicKey]) -> DecodedInstruction {
        InstructionDecoder.decode(InstructionInput(programId: ProgramIds.token2022, accounts: accounts, data: data))
    }

    func testExtensionInstructionsNamingTheSignerAreControlledOrUnmodelled() {
        let account = Fixtures.key(70)
        var b = EffectsSummary.Builder(signer: agent)
        b.add(token2022([27, 5] + [UInt8](repeating: 0, count: 9), [account, mint, agent]), at: 0)   // ConfidentialTransfer Deposit
        b.add(token2022([34, 1], [account, agent]), at: 1)                                            // CpiGuard Disable
        b.add(token2022([30, 1], [account, agent]), at: 2)                                            // MemoTransfer Disable
        b.add(token2022([44, 1], [mint, agent]), at: 3)                                               // Pausable Pause
        b.add(token2022([34, 0], [account, agent]), at: 4)                                            // CpiGuard Enable: harmless
        b.add(token2022([29, 8, 0], [account, agent, ProgramIds.system, agent]), at: 5)               // Reallocate paid by the agent
        XCTAssertEqual(b.authorityChanges.map(\.kind), [.confidentialTransfer, .cpiGuardDisable, .memoTransferDisable])
        XCTAssertEqual(b.authorityChanges.map(\.instruction), [
            "spl-token-2022.confidentialTransfer.deposit", "spl-token-2022.cpiGuard.disable", "spl-token-2022.memoTransfer.disable",
        ])
        XCTAssertEqual(b.unmodelled, [UnmodelledInstruction(instruction: "spl-token-2022.pausable.pause", position: InstructionPosition(index: 3, inner: nil))])
        XCTAssertEqual(b.outflows.count, 1)
        XCTAssertEqual(b.outflows[0].asset, .sol)
        XCTAssertNil(b.outflows[0].amount, "the added rent depends on the account's size: unbounded")

        var bystander = EffectsSummary.Builder(signer: Fixtures.key(61))
        bystander.add(token2022([44, 1], [mint, agent]), at: 0)
        XCTAssertEqual(bystander.unmodelled, [], "an instruction that does not name the signer cannot use its signature")
    }
}
