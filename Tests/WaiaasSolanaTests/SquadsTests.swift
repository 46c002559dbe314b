import Foundation
import XCTest
@testable import WaiaasSolana

/// Squads v4 against the program's published facts: the discriminators and
/// the worked example in the interface notes (every byte computed from the
/// IDL's layouts), and a real Multisig account (Fixtures/squads, README
/// there names the source). Tests/python/test_squads_idl.py checks the same
/// encodings with an encoder driven by the IDL itself.
final class SquadsTests: XCTestCase {
    private func key(_ text: String) -> PublicKey { PublicKey(base58: text)! }

    private var fixture: (address: PublicKey, owner: PublicKey, data: [UInt8]) {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/squads/multisig-account.json")
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let account = try XCTUnwrap(json["account"] as? [String: Any])
            let data = try XCTUnwrap((account["data"] as? [String])?.first.flatMap { Data(base64Encoded: $0) })
            return (key(json["pubkey"] as! String), key(account["owner"] as! String), [UInt8](data))
        }
    }

    func testDiscriminatorsAreTheProgramsOwn() {
        // Anchor's sha256("global:<name>")[..8] and sha256("account:<Name>")[..8], as the SDK's generated code has them.
        XCTAssertEqual(Hex.encode(SquadsInstruction.vaultTransactionCreateTag), "30fa4ea8d0e2dad3")
        XCTAssertEqual(Hex.encode(SquadsInstruction.proposalCreateTag), "dc3c49e01e6c4f9f")
        XCTAssertEqual(Hex.encode(SquadsInstruction.voteTags[.approve]!), "9025a488bcd82af8")
        XCTAssertEqual(Hex.encode(SquadsInstruction.voteTags[.reject]!), "f33e869ce66af687")
        XCTAssertEqual(Hex.encode(SquadsInstruction.voteTags[.cancel]!), "1b2a7fed26a354cb")
        XCTAssertEqual(Hex.encode(SquadsInstruction.vaultTransactionExecuteTag), "c208a15799a419ab")
        XCTAssertEqual(Hex.encode(SquadsInstruction.spendingLimitUseTag), "1039827fc1149b86")
        XCTAssertEqual(Hex.encode(SquadsMultisig.discriminator), "e07479ba44a14fec")
        XCTAssertEqual(Hex.encode(SquadsProposal.discriminator), "1a5ebdbb74883521")
        XCTAssertEqual(Hex.encode(SquadsVaultTransaction.discriminator), "a8faa264510ea2cf")
        XCTAssertEqual(Hex.encode(SquadsSpendingLimit.discriminator), "0ac91ba0dac3de98")
        // Every unmodelled name is one of the IDL's, with its own discriminator.
        XCTAssertEqual(SquadsInstruction.unmodelledNames.count, 29)
        XCTAssertEqual(SquadsInstruction.unmodelledNames[Hex.decode("32ddc75d28f58be9")!], "multisig_create_v2")
        XCTAssertEqual(SquadsInstruction.unmodelledNames[Hex.decode("9bec57e4894b5127")!], "config_transaction_create")
    }

    func testTheRealMultisigDecodesAndItsAddressDerives() throws {
        let (address, owner, data) = try fixture
        XCTAssertEqual(owner, Squads.testingProgramId)
        let multisig = try SquadsMultisig(accountData: data)
        XCTAssertEqual(multisig.createKey, key("EpQKb7hBBaPP4NNzZVxNttQtuXhmcqHCzmLij3eBZs5D"))
        XCTAssertEqual(multisig.configAuthority, PublicKey.zero)
        XCTAssertEqual(multisig.threshold, 2)
        XCTAssertEqual(multisig.timeLock, 0)
        XCTAssertEqual(multisig.transactionIndex, 0)
        XCTAssertEqual(multisig.staleTransactionIndex, 0)
        XCTAssertNil(multisig.rentCollector)
        XCTAssertEqual(multisig.bump, 255)
        XCTAssertEqual(multisig.members.map(\.permissions.rawValue), [7, 4, 2, 1])
        XCTAssertEqual(multisig.voters, 2)
        let derived = try XCTUnwrap(Squads.multisig(createKey: multisig.createKey, program: Squads.testingProgramId))
        XCTAssertEqual(derived.address, address)
        XCTAssertEqual(derived.bump, multisig.bump)
    }

    func testThePDAsOfTheWorkedExample() throws {
        let multisig = try fixture.address
        XCTAssertEqual(Squads.vault(multisig: multisig, index: 0)?.address, key("E8PUL1CcCvw7zHhjwt3jk3jhPXVEGpQeSjieDmJb6buR"))
        XCTAssertEqual(Squads.vault(multisig: multisig, index: 0)?.bump, 255)
        XCTAssertEqual(Squads.transaction(multisig: multisig, index: 1)?.address, key("DfwQPtfGRdUuz5DPKA1BWSaAR7d4CqjgWSk5maQTxhFR"))
        XCTAssertEqual(Squads.proposal(multisig: multisig, index: 1)?.address, key("6KXvb8JJWKgTaaf7m2Sm83XjskbNRmHVXoR6Ru8d84Xd"))
        XCTAssertEqual(Squads.vault(multisig: multisig, index: 0, program: Squads.testingProgramId)?.address,
                       key("6hb97CWqSAxgwKNeF3zHj9Nd4Wh3ZwtYQtEYcFMeFJRB"))
    }

    /// The notes' worked example: a 1,000,000-lamport transfer out of vault 0.
    func testTheWorkedExampleEncodesByteForByte() throws {
        let multisig = try fixture.address
        let vault = try XCTUnwrap(Squads.vault(multisig: multisig, index: 0)).address
        let destination = key("AnAXKdeBFqkuVRVK8m84YLN95FVHYB6mdg11QrWsw4xp")
        let message = try SquadsTransactionMessage.compile(
            vault: vault, instructions: [TransferInstructions.systemTransfer(from: vault, to: destination, lamports: 1_000_000)])
        let compact = try XCTUnwrap(message.encodedCompact())
        XCTAssertEqual(compact.count, 120)
        XCTAssertEqual(Hex.encode(compact),
                       "01010103" + Hex.encode(vault.bytes) + Hex.encode(destination.bytes) + Hex.encode(ProgramIds.system.bytes)
                       + "0102020001" + "0c00" + "02000000" + "40420f0000000000" + "00")
        XCTAssertEqual(try SquadsTransactionMessage(compact: compact), message)

        let agent = key("AnAXKdeBFqkuVRVK8m84YLN95FVHYB6mdg11QrWsw4xp")
        let transaction = try XCTUnwrap(Squads.transaction(multisig: multisig, index: 1)).address
        let create = SquadsInstruction.vaultTransactionCreate(.init(
            multisig: multisig, transaction: transaction, creator: agent, rentPayer: agent, vaultIndex: 0, message: message))
        XCTAssertEqual(Hex.encode(try XCTUnwrap(create.instruction()).data), "30fa4ea8d0e2dad3" + "00" + "00" + "78000000" + Hex.encode(compact) + "00")

        let proposal = try XCTUnwrap(Squads.proposal(multisig: multisig, index: 1)).address
        let propose = SquadsInstruction.proposalCreate(.init(multisig: multisig, proposal: proposal, creator: agent, rentPayer: agent, transactionIndex: 1))
        XCTAssertEqual(Hex.encode(try XCTUnwrap(propose.instruction()).data), "dc3c49e01e6c4f9f" + "0100000000000000" + "00")
        let approve = SquadsInstruction.proposalVote(.init(.approve, multisig: multisig, member: agent, proposal: proposal))
        XCTAssertEqual(Hex.encode(try XCTUnwrap(approve.instruction()).data), "9025a488bcd82af8" + "00")
        let execute = SquadsInstruction.vaultTransactionExecute(.init(multisig: multisig, proposal: proposal, transaction: transaction, member: agent))
        XCTAssertEqual(Hex.encode(try XCTUnwrap(execute.instruction()).data), "c208a15799a419ab")
        let limit = try XCTUnwrap(Squads.spendingLimit(multisig: multisig, createKey: agent)).address
        let use = SquadsInstruction.spendingLimitUse(.init(
            multisig: multisig, member: agent, spendingLimit: limit, vault: vault, destination: destination, amount: 1_000_000, decimals: 9))
        XCTAssertEqual(Hex.encode(try XCTUnwrap(use.instruction()).data), "1039827fc1149b86" + "40420f0000000000" + "09" + "00")
    }

    /// What is built decodes back to itself, accounts and roles included.
    func testEveryBuiltInstructionDecodesBackToItself() throws {
        let multisig = try fixture.address
        let (a, b, c) = (key("AnAXKdeBFqkuVRVK8m84YLN95FVHYB6mdg11QrWsw4xp"), key("E8PUL1CcCvw7zHhjwt3jk3jhPXVEGpQeSjieDmJb6buR"), key("6KXvb8JJWKgTaaf7m2Sm83XjskbNRmHVXoR6Ru8d84Xd"))
        let message = try SquadsTransactionMessage.compile(vault: b, instructions: [TransferInstructions.systemTransfer(from: b, to: a, lamports: 5)])
        let mint = key("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
        let cases: [SquadsInstruction] = [
            .vaultTransactionCreate(.init(multisig: multisig, transaction: c, creator: a, rentPayer: a, vaultIndex: 3, ephemeralSigners: 1, message: message, memo: "rent for March")),
            .proposalCreate(.init(multisig: multisig, proposal: c, creator: a, rentPayer: b, transactionIndex: 1 << 40, draft: true)),
            .proposalVote(.init(.approve, multisig: multisig, member: a, proposal: c, memo: "ok")),
            .proposalVote(.init(.reject, multisig: multisig, member: a, proposal: c)),
            .proposalVote(.init(.cancel, multisig: multisig, member: a, proposal: c)),
            .vaultTransactionExecute(.init(multisig: multisig, proposal: c, transaction: b, member: a, remaining: [.init(b, writable: true), .init(a)])),
            .spendingLimitUse(.init(multisig: multisig, member: a, spendingLimit: c, vault: b, destination: a, amount: 7, decimals: 9, memo: "€")),
            .spendingLimitUse(.init(multisig: multisig, member: a, spendingLimit: c, vault: b, destination: a, mint: mint, vaultTokenAccount: c,
                                    destinationTokenAccount: b, tokenProgram: ProgramIds.token, amount: 7, decimals: 6)),
        ]
        for original in cases {
            let built = try XCTUnwrap(original.instruction())
            let decoded = try SquadsInstruction.decode(InstructionInput(programId: Squads.programId, accounts: built.accounts.map(\.key), data: built.data))
            if case .vaultTransactionExecute(var e) = original, case .vaultTransactionExecute(let d) = decoded {
                // Roles are the outer message's to say; the decoder sees keys.
                e.remaining = e.remaining.map { .init($0.key) }
                XCTAssertEqual(d, e)
            } else {
                XCTAssertEqual(decoded, original)
            }
            // Through the generic decoder too: the same value, not an opaque call.
            XCTAssertEqual(InstructionDecoder.decode(InstructionInput(programId: Squads.programId, accounts: built.accounts.map(\.key), data: built.data)),
                           .squads(decoded))
            // Under any other program id it is nobody's Squads instruction.
            guard case .other = InstructionDecoder.decode(InstructionInput(programId: Squads.testingProgramId, accounts: built.accounts.map(\.key), data: built.data)) else {
                return XCTFail("decoded as Squads under the testing id")
            }
        }
    }

    func testMalformedInstructionsAreRefusedPrecisely() throws {
        let built = try XCTUnwrap(SquadsInstruction.proposalCreate(.init(
            multisig: .zero, proposal: .zero, creator: .zero, rentPayer: .zero, transactionIndex: 1)).instruction())
        func decode(_ data: [UInt8], accounts: Int = 5) throws -> SquadsInstruction {
            try SquadsInstruction.decode(InstructionInput(programId: Squads.programId, accounts: Array(repeating: .zero, count: accounts), data: data))
        }
        XCTAssertThrowsError(try decode(built.data + [0])) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .trailingBytes) }
        XCTAssertThrowsError(try decode(built.data, accounts: 4)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .notEnoughAccounts) }
        XCTAssertThrowsError(try decode(Array(built.data.dropLast()) + [2])) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidOption) }
        XCTAssertThrowsError(try decode([1, 2, 3, 4, 5, 6, 7, 8])) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .unknownInstruction) }
        for length in 0..<built.data.count {
            XCTAssertThrowsError(try decode(Array(built.data.prefix(length))), "\(length)") { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .truncated) }
        }
        XCTAssertEqual(try decode(Squads.discriminator("global:config_transaction_create") + [1, 2, 3]), .unmodelled(name: "config_transaction_create"))
        // A memo that is not UTF-8.
        let vote = Squads.discriminator("global:proposal_approve") + [1, 2, 0, 0, 0, 0xC3, 0x28]
        XCTAssertThrowsError(try decode(vote, accounts: 3)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidUTF8) }
    }

    /// The program's own checks on a message: indexes inside the keys and
    /// looked-up accounts, a header that fits.
    func testAMessageTheProgramWouldRefuseIsRefused() throws {
        let keys = [PublicKey.zero, key("E8PUL1CcCvw7zHhjwt3jk3jhPXVEGpQeSjieDmJb6buR")]
        func encoded(_ m: SquadsTransactionMessage) -> [UInt8] { m.encodedCompact()! }
        let outOfRange = SquadsTransactionMessage(numSigners: 1, numWritableSigners: 1, numWritableNonSigners: 0, accountKeys: keys,
                                                  instructions: [.init(programIdIndex: 1, accountIndexes: [2], data: [])])
        XCTAssertThrowsError(try SquadsTransactionMessage(compact: encoded(outOfRange))) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .accountIndexOutOfRange) }
        var viaTable = outOfRange
        viaTable.lookups = [.init(table: keys[1], writableIndexes: [0], readonlyIndexes: [])]
        XCTAssertNoThrow(try SquadsTransactionMessage(compact: encoded(viaTable)), "an index may name a looked-up account")
        let header = SquadsTransactionMessage(numSigners: 3, numWritableSigners: 1, numWritableNonSigners: 0, accountKeys: keys, instructions: [])
        XCTAssertThrowsError(try SquadsTransactionMessage(compact: encoded(header))) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .signatureCountMismatch) }
        // A count the bytes cannot back is refused before anything is reserved.
        XCTAssertThrowsError(try SquadsTransactionMessage(compact: [1, 1, 0, 255])) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .truncated) }
    }

    func testAccountsAreCheckedForTheirTypeAndShape() throws {
        let data = try fixture.data
        XCTAssertThrowsError(try SquadsProposal(accountData: data)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .wrongAccountType) }
        // Every truncation of the real account is refused, never trapped on.
        let used = 8 + 32 + 32 + 2 + 4 + 8 + 8 + 1 + 1 + 4 + 4 * 33
        XCTAssertGreaterThanOrEqual(data.count, used)
        for length in 0..<used {
            XCTAssertThrowsError(try SquadsMultisig(accountData: Array(data.prefix(length))), "\(length)")
        }
        var unknownBit = data
        unknownBit[used - 1] = 8  // the last member's permission mask
        XCTAssertThrowsError(try SquadsMultisig(accountData: unknownBit)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidOption) }
        var unsorted = data
        let firstMember = 8 + 32 + 32 + 2 + 4 + 8 + 8 + 1 + 1 + 4
        unsorted[firstMember] = 0xFF  // now greater than the second member's key
        XCTAssertThrowsError(try SquadsMultisig(accountData: unsorted)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .duplicateAccount) }
    }

    /// Proposal, VaultTransaction and SpendingLimit, written field by field
    /// as the program lays them out.
    func testTheOtherAccountsDecodeFromTheirLayouts() throws {
        let (m, a, b) = (try fixture.address, key("AnAXKdeBFqkuVRVK8m84YLN95FVHYB6mdg11QrWsw4xp"), key("E8PUL1CcCvw7zHhjwt3jk3jhPXVEGpQeSjieDmJb6buR"))
        func u32(_ v: UInt32) -> [UInt8] { var o: [UInt8] = []; o.appendU32LE(v); return o }
        func u64(_ v: UInt64) -> [UInt8] { var o: [UInt8] = []; o.appendU64LE(v); return o }
        let proposal = SquadsProposal.discriminator + m.bytes + u64(9) + [3] + u64(1_700_000_000) + [254]
            + u32(2) + a.bytes + b.bytes + u32(0) + u32(1) + a.bytes
        let decoded = try SquadsProposal(accountData: proposal + [0, 0, 0])  // room the program allocated
        XCTAssertEqual(decoded.transactionIndex, 9)
        XCTAssertEqual(decoded.status, .approved(at: 1_700_000_000))
        XCTAssertEqual(decoded.approved, [a, b])
        XCTAssertEqual(decoded.cancelled, [a])
        var executing = proposal
        executing.replaceSubrange(48..<57, with: [4])
        XCTAssertEqual(try SquadsProposal(accountData: executing).status, .executing)
        var badStatus = proposal
        badStatus[48] = 7
        XCTAssertThrowsError(try SquadsProposal(accountData: badStatus)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidOption) }

        let message = try SquadsTransactionMessage.compile(vault: b, instructions: [TransferInstructions.systemTransfer(from: b, to: a, lamports: 42)])
        let stored = try XCTUnwrap(message.encoded(.stored))
        let vaultTransaction = SquadsVaultTransaction.discriminator + m.bytes + a.bytes + u64(9) + [253, 0, 255] + u32(1) + [250] + stored
        let transaction = try SquadsVaultTransaction(accountData: vaultTransaction)
        XCTAssertEqual(transaction.creator, a)
        XCTAssertEqual(transaction.ephemeralSignerBumps, [250])
        XCTAssertEqual(transaction.message, message)

        let limit = SquadsSpendingLimit.discriminator + m.bytes + a.bytes + [0] + PublicKey.zero.bytes + u64(1_000_000_000) + [1]
            + u64(400_000_000) + u64(1_700_000_000) + [255] + u32(1) + a.bytes + u32(0)
        let spending = try SquadsSpendingLimit(accountData: limit)
        XCTAssertEqual(spending.period, .day)
        XCTAssertEqual(spending.period.seconds, 86_400)
        XCTAssertEqual(spending.remainingAmount, 400_000_000)
        XCTAssertEqual(spending.members, [a])
        XCTAssertEqual(spending.destinations, [])
    }
}
