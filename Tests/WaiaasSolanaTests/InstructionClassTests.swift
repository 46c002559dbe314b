import XCTest
@testable import WaiaasSolana

/// Every instruction tag of every program the daemon decodes has a class,
/// and the class is the one this table expects. The decoders are probed with
/// every tag (and every Token-2022 sub-instruction byte) and data lengths up
/// to 100 bytes: a tag that decodes but is missing here, or listed here but
/// never decodes, fails, so a decoder change cannot add an unclassified path.
final class InstructionClassTests: XCTestCase {
    typealias Class = InstructionClass

    static let system: [UInt32: Class] = [
        0: .counted, 1: .control, 2: .counted, 3: .counted, 4: .harmless, 5: .counted, 6: .harmless, 7: .control,
        8: .control, 9: .control, 10: .control, 11: .counted, 12: .harmless, 13: .counted,
    ]

    /// Tags both SPL Token and Token-2022 accept (38 and 45 are p-token additions both decode).
    static let token: [UInt8: Class] = [
        0: .harmless, 1: .harmless, 2: .harmless, 3: .counted, 4: .control, 5: .harmless, 6: .control, 7: .harmless,
        8: .counted, 9: .control, 10: .harmless, 11: .harmless, 12: .counted, 13: .control, 14: .harmless, 15: .counted,
        16: .harmless, 17: .harmless, 18: .harmless, 19: .harmless, 20: .harmless, 21: .harmless, 22: .harmless,
        23: .harmless, 24: .harmless, 25: .harmless, 38: .counted, 45: .counted,
    ]

    /// Token-2022 extension instructions by (tag, sub-instruction); nil for tags without one.
    static let token2022: [String: Class] = {
        var table: [String: Class] = [:]
        func set(_ tag: UInt8, _ ops: ClosedRange<Int>?, _ classes: [Int: Class], otherwise: Class) {
            guard let ops else { table["\(tag)"] = classes[0] ?? otherwise; return }
            for op in ops { table["\(tag).\(op)"] = classes[op] ?? otherwise }
        }
        set(26, 0...5, [0: .harmless, 1: .counted, 4: .harmless], otherwise: .unmodelled)
        set(27, 0...14, [:], otherwise: .control)
        set(28, 0...1, [0: .harmless], otherwise: .unmodelled)
        set(29, nil, [0: .counted], otherwise: .counted)
        set(30, 0...1, [0: .harmless, 1: .control], otherwise: .unmodelled)
        set(31, nil, [:], otherwise: .unmodelled)
        set(32, nil, [0: .harmless], otherwise: .harmless)
        set(33, 0...1, [0: .harmless], otherwise: .unmodelled)
        set(34, 0...1, [0: .harmless, 1: .control], otherwise: .unmodelled)
        set(35, nil, [0: .harmless], otherwise: .harmless)
        set(36, 0...1, [0: .harmless], otherwise: .unmodelled)
        set(37, 0...5, [:], otherwise: .control)
        for tag: UInt8 in [39, 40, 41, 43] { set(tag, 0...1, [0: .harmless], otherwise: .unmodelled) }
        set(42, 0...5, [:], otherwise: .control)
        set(44, 0...2, [0: .harmless], otherwise: .unmodelled)
        set(46, nil, [:], otherwise: .unmodelled)
        return table
    }()

    let accounts = (1...12).map { PublicKey(bytes: [UInt8](repeating: $0, count: 31) + [$0 &+ 100])! }

    /// The first decoding of `prefix` padded with 0…100 zero bytes that is not `.invalid`.
    func firstDecoding(_ program: PublicKey, _ prefix: [UInt8]) -> DecodedInstruction? {
        for padding in 0...100 {
            let ix = InstructionDecoder.decode(InstructionInput(programId: program, accounts: accounts, data: prefix + [UInt8](repeating: 0, count: padding)))
            if case .invalid = ix { continue }
            return ix
        }
        return nil
    }

    func testEverySystemInstructionHasItsClass() {
        var decoded: Set<UInt32> = []
        for variant in UInt32(0)...40 {
            guard let ix = firstDecoding(ProgramIds.system, (0..<4).map { UInt8(truncatingIfNeeded: variant >> (8 * UInt32($0))) }) else { continue }
            decoded.insert(variant)
            XCTAssertEqual(ix.classification, Self.system[variant], "system variant \(variant) (\(ix.policyName))")
        }
        XCTAssertEqual(decoded, Set(Self.system.keys), "system variants that decode")
    }

    func testEveryTokenInstructionHasItsClass() {
        for program in [ProgramIds.token, ProgramIds.token2022] {
            var decoded: [String: Class] = [:]
            for tag in UInt8(0)...254 {
                guard Self.token[tag] != nil || program == ProgramIds.token2022 || firstDecoding(program, [tag]) != nil else { continue }
                let hasOperations = program == ProgramIds.token2022 && TokenExtensions.families[tag]?.operations != nil
                for operation in hasOperations ? Array(0...255) : [-1] {
                    let prefix = operation < 0 ? [tag] : [tag, UInt8(operation)]
                    guard let ix = firstDecoding(program, prefix) else { continue }
                    guard let classification = ix.classification else { XCTFail("\(prefix) decodes without a class: \(ix)"); continue }
                    decoded[operation < 0 ? "\(tag)" : "\(tag).\(operation)"] = classification
                }
            }
            var expected: [String: Class] = [:]
            for (tag, c) in Self.token { expected["\(tag)"] = c }
            if program == ProgramIds.token2022 {
                expected.merge(Self.token2022) { a, _ in a }
                // Operations the tables do not name still decode: unmodelled, never harmless.
                for (tag, family) in TokenExtensions.families where family.operations != nil {
                    for operation in family.operations!.count...255 {
                        expected["\(tag).\(operation)"] = family.controlAll ? .control : .unmodelled
                    }
                }
            }
            for (key, c) in expected.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(decoded[key], c, "\(ProgramIds.names[program]!) \(key)")
            }
            XCTAssertEqual(Set(decoded.keys).subtracting(expected.keys).sorted(), [], "\(ProgramIds.names[program]!) decodes tags the table does not class")
        }
    }

    func testBatchEntriesAreClassedOneByOne() {
        var transfer: [UInt8] = [12]
        transfer.appendU64LE(5)
        transfer.append(6)
        let data: [UInt8] = [255, 4, UInt8(transfer.count)] + transfer
        let ix = InstructionDecoder.decode(InstructionInput(programId: ProgramIds.token, accounts: Array(accounts[0..<4]), data: data))
        guard case .token(let batch, _) = ix else { return XCTFail("\(ix)") }
        XCTAssertEqual(ix.classification, .counted)
        XCTAssertEqual(batch.inner.map(\.classification), [.counted])
    }

    func testOtherProgramsHaveTheirClass() {
        XCTAssertEqual(firstDecoding(ProgramIds.associatedToken, [])?.classification, .counted)
        XCTAssertEqual(firstDecoding(ProgramIds.associatedToken, [1])?.classification, .counted)
        XCTAssertEqual(firstDecoding(ProgramIds.associatedToken, [2])?.classification, .harmless)
        XCTAssertNil(firstDecoding(ProgramIds.associatedToken, [3]))
        let budget: [UInt8: Class] = [0: .counted, 1: .harmless, 2: .counted, 3: .counted, 4: .harmless]
        for tag in UInt8(0)...255 {
            XCTAssertEqual(firstDecoding(ProgramIds.computeBudget, [tag])?.classification, budget[tag], "compute budget tag \(tag)")
        }
        XCTAssertEqual(firstDecoding(ProgramIds.memo, Array("hi".utf8))?.classification, .harmless)
        XCTAssertNil(firstDecoding(PublicKey(bytes: [UInt8](repeating: 77, count: 32))!, [1])?.classification, "opaque programs have no class")
    }

    /// Every discriminator in Squads v4's interface has a class: spending a
    /// limit is counted, everything else needs the policy's allowance.
    func testEverySquadsInstructionHasItsClass() {
        var expected: [String: Class] = ["spending_limit_use": .counted]
        for name in ["vault_transaction_create", "proposal_create", "proposal_approve", "proposal_reject", "proposal_cancel", "vault_transaction_execute"] {
            expected[name] = .unmodelled
        }
        for name in SquadsInstruction.unmodelledNames.values { expected[name] = .unmodelled }
        XCTAssertEqual(expected.count, 36, "the IDL's 36 instructions")
        for (name, cls) in expected {
            // A vault transaction needs a message; zero padding is an empty, truncated one.
            let prefix = name == "vault_transaction_create" ? Squads.discriminator("global:\(name)") + [0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0] : Squads.discriminator("global:\(name)")
            guard let ix = firstDecoding(Squads.programId, prefix) else { XCTFail("\(name) never decodes"); continue }
            XCTAssertEqual(ix.classification, cls, name)
            XCTAssertEqual(ix.policyName, "squads-v4.\(name)")
            if cls == .unmodelled { XCTAssertEqual(InstructionNames.allowable[ix.policyName], .unmodelled, "a policy may allow \(name)") }
        }
        XCTAssertNil(firstDecoding(Squads.programId, [1, 2, 3, 4, 5, 6, 7, 8]), "an unknown discriminator is invalid")
    }

    func testEveryNameAPolicyMayAllowIsUnmodelledOrControl() {
        let names = InstructionNames.allowable
        XCTAssertEqual(names["spl-token-2022.pausable.pause"], .unmodelled)
        XCTAssertEqual(names["spl-token-2022.cpiGuard.disable"], .control)
        XCTAssertEqual(names["spl-token-2022.confidentialTransfer.deposit"], .control)
        XCTAssertNil(names["spl-token-2022.cpiGuard.enable"], "harmless instructions need no allowance")
        XCTAssertTrue(names.values.allSatisfy { $0 == .unmodelled || $0 == .control })
    }
}
