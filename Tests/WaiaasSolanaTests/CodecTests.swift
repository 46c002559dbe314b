import XCTest
@testable import WaiaasSolana

final class CodecTests: XCTestCase {
    let samples: [(String, [UInt8])] = [
        ("legacy", Fixtures.transaction(Fixtures.transferMessage(version: .legacy))),
        ("v0", Fixtures.transaction(Fixtures.transferMessage(version: .v0))),
        ("v0-lookup", Fixtures.transaction(Fixtures.v0WithLookup())),
        ("v1", Fixtures.transaction(Fixtures.transferMessage(version: .v1))),
    ]

    func testRoundTripAndMessageBytes() throws {
        for (name, bytes) in samples {
            let tx = try SolanaTransaction.decode(bytes)
            XCTAssertEqual(tx.encoded(), bytes, name)
            XCTAssertEqual(tx.messageBytes, tx.message.encoded(), name)
            XCTAssertEqual(try Message.decode(tx.messageBytes), tx.message, name)
            switch tx.version {
            case .legacy: XCTAssertEqual(Array(bytes[65...]), tx.messageBytes)
            case .v0:
                XCTAssertEqual(tx.messageBytes.first, 0x80)
                XCTAssertEqual(Array(bytes[65...]), tx.messageBytes)
            case .v1:
                XCTAssertEqual(tx.messageBytes.first, 0x81)
                XCTAssertEqual(Array(bytes[..<(bytes.count - 64)]), tx.messageBytes)
            }
        }
    }

    func testV1Config() throws {
        let tx = try SolanaTransaction.decode(samples[3].1)
        XCTAssertEqual(tx.message.config, TransactionConfig(priorityFeeLamports: 77, computeUnitLimit: 300_000))
    }

    /// Every proper prefix of a valid transaction is refused with a precise error, never a crash.
    func testTruncationAtEveryOffset() {
        for (name, bytes) in samples {
            for n in 0..<bytes.count {
                do {
                    _ = try SolanaTransaction.decode(Array(bytes[..<n]))
                    XCTFail("\(name): prefix of \(n) bytes decoded")
                } catch {
                    XCTAssertTrue([SolanaDecodeError.Code.truncated, .emptyInput, .signatureCountMismatch].contains(error.code), "\(name) \(n): \(error)")
                }
            }
        }
    }

    /// Every single-byte change either is refused or decodes to something
    /// that re-encodes to exactly the mutated bytes (no aliasing).
    func testEverySingleByteMutation() {
        for (name, bytes) in samples {
            for i in 0..<bytes.count {
                for value in [0, 1, 0x7F, 0x80, 0x81, 0xFF, Int(bytes[i] ^ 0x01)] {
                    var m = bytes
                    m[i] = UInt8(value)
                    if let tx = try? SolanaTransaction.decode(m) {
                        XCTAssertEqual(tx.encoded(), m, "\(name) byte \(i) = \(value)")
                        _ = try? tx.message.resolve(lookupTables: [:])
                    }
                }
            }
        }
    }

    func testRandomGarbageNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let n = Int.random(in: 0..<300, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty && Bool.random(using: &rng) { bytes[0] = [0x01, 0x81, 0x02][Int.random(in: 0..<3, using: &rng)] }
            if let tx = try? SolanaTransaction.decode(bytes) { XCTAssertEqual(tx.encoded(), bytes) }
            _ = try? Message.decode(bytes)
        }
    }

    func testNonCanonicalLength() {
        // Legacy: the account-key count 4 written as the alias 84 00.
        var bytes = samples[0].1
        let countOffset = 1 + 64 + 3
        XCTAssertEqual(bytes[countOffset], 4)
        bytes.replaceSubrange(countOffset...countOffset, with: [0x84, 0x00])
        XCTAssertDecodeError(bytes, .nonCanonicalCompactU16)
    }

    func testIndexesOutOfRange() {
        var m = Fixtures.transferMessage()
        m.instructions[1].accounts = [0, 4]
        XCTAssertDecodeError(Fixtures.transaction(m), .accountIndexOutOfRange)
        m = Fixtures.transferMessage()
        m.instructions[1].programIdIndex = 4
        XCTAssertDecodeError(Fixtures.transaction(m), .programIndexOutOfRange)
        m.instructions[1].programIdIndex = 0
        XCTAssertDecodeError(Fixtures.transaction(m), .programIndexZero)
        // v0: a program id may not come from a lookup table.
        var v0 = Fixtures.v0WithLookup()
        v0.instructions[0].programIdIndex = 2
        XCTAssertDecodeError(Fixtures.transaction(v0), .programIndexOutOfRange)
        v0 = Fixtures.v0WithLookup()
        v0.instructions[0].accounts = [0, 4]
        XCTAssertDecodeError(Fixtures.transaction(v0), .accountIndexOutOfRange)
        v0.instructions[0].accounts = [0, 3]
        XCTAssertNoThrow(try SolanaTransaction.decode(Fixtures.transaction(v0)))
        v0.addressTableLookups[0].writableIndexes = []
        v0.addressTableLookups[0].readonlyIndexes = []
        v0.instructions[0].accounts = [0]
        XCTAssertDecodeError(Fixtures.transaction(v0), .emptyLookup)
    }

    func testHeaderRules() {
        var m = Fixtures.transferMessage()
        m.header.numReadonlySignedAccounts = 1
        XCTAssertDecodeError(Fixtures.transaction(m), .noWritableFeePayer)
        m = Fixtures.transferMessage()
        m.header.numReadonlyUnsignedAccounts = 4
        XCTAssertDecodeError(Fixtures.transaction(m), .notEnoughAccounts)
        m = Fixtures.transferMessage()
        m.accountKeys[1] = m.accountKeys[0]
        XCTAssertDecodeError(Fixtures.transaction(m), .duplicateAccount)
    }

    func testSignatureCount() {
        var bytes = samples[0].1
        bytes[0] = 2
        bytes.insert(contentsOf: [UInt8](repeating: 0, count: 64), at: 1)
        XCTAssertDecodeError(bytes, .signatureCountMismatch)
        XCTAssertDecodeError([0x00] + Fixtures.transferMessage().encoded(), .signatureCountMismatch)
        XCTAssertThrowsError(try SolanaTransaction(signatures: [], message: Fixtures.transferMessage()))
    }

    func testTrailingBytesVersionsAndOversize() {
        XCTAssertDecodeError(samples[0].1 + [0], .trailingBytes)
        XCTAssertDecodeError(samples[3].1 + [0], .trailingBytes)
        XCTAssertDecodeError([], .emptyInput)
        XCTAssertDecodeError([0xFF] + samples[0].1, .offchainMessagePrefix)
        XCTAssertDecodeError([0x82] + samples[0].1, .unsupportedVersion)
        XCTAssertDecodeError([0x80, 0x01], .invalidTransactionPrefix)
        // A v1 message framed as legacy.
        XCTAssertDecodeError([0x01] + [UInt8](repeating: 0, count: 64) + Fixtures.transferMessage(version: .v1).encoded(), .versionMismatch)
        // v0 message with version byte 0x82 inside a legacy frame.
        var v = samples[1].1
        v[65] = 0x82
        XCTAssertDecodeError(v, .unsupportedVersion)
        v[65] = 0xFF
        XCTAssertDecodeError(v, .offchainMessagePrefix)

        var big = Fixtures.transferMessage()
        big.instructions.append(CompiledInstruction(programIdIndex: 2, accounts: [], data: [UInt8](repeating: 7, count: 1100)))
        XCTAssertDecodeError(Fixtures.transaction(big), .oversize)
        big.version = .v1
        big.config = TransactionConfig()
        XCTAssertNoThrow(try SolanaTransaction.decode(Fixtures.transaction(big)), "v1 allows 4096 bytes")
        big.instructions.append(CompiledInstruction(programIdIndex: 2, accounts: [], data: [UInt8](repeating: 7, count: 3000)))
        XCTAssertDecodeError(Fixtures.transaction(big), .oversize)
    }

    func testV1Rules() {
        var m = Fixtures.transferMessage(version: .v1)
        let good = m.encoded()
        // Mask with an unknown bit, and with half of the priority-fee pair.
        for mask: UInt8 in [0b10_0000, 0b01, 0b10] {
            var b = good
            b[4] = mask
            XCTAssertThrowsError(try Message.decode(b)) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidConfigMask) }
        }
        m.config?.heapSize = 1000
        XCTAssertThrowsError(try Message.decode(m.encoded())) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .invalidHeapSize) }
        m.config?.heapSize = 64 * 1024
        XCTAssertNoThrow(try Message.decode(m.encoded()))
        m.header.numRequiredSignatures = 13
        XCTAssertThrowsError(try Message.decode(m.encoded())) { XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .tooManySignatures) }
    }

    func testLookupResolution() throws {
        let m = Fixtures.v0WithLookup()
        let table = Fixtures.key(40)
        let contents = (50..<54).map { Fixtures.key(UInt8($0)) }
        let full = try m.resolve(lookupTables: [table: contents])
        XCTAssertTrue(full.isComplete)
        XCTAssertEqual(full.keys, [Fixtures.payer, ProgramIds.system, contents[3], contents[0]])
        XCTAssertTrue(m.isWritable(2))
        XCTAssertFalse(m.isWritable(3))

        let missing = try m.resolve(lookupTables: [:])
        XCTAssertEqual(missing.unresolved, [UnresolvedLookup(table: table, tableMissing: true, missingIndexes: [3, 0])])
        XCTAssertEqual(missing.keys[2], nil)
        let short = try m.resolve(lookupTables: [table: Array(contents[..<2])])
        XCTAssertEqual(short.unresolved, [UnresolvedLookup(table: table, tableMissing: false, missingIndexes: [3])])
        XCTAssertEqual(short.keys[3], contents[0])
        let instructions = InstructionDecoder.decode(message: m, resolved: short)
        XCTAssertEqual(instructions, [.unresolved(programId: ProgramIds.system)])

        XCTAssertThrowsError(try m.resolve(lookupTables: [table: [Fixtures.payer, contents[1], contents[2], contents[3]]])) {
            XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .duplicateAccount)
        }
    }

    func testBareMessages() throws {
        let m = Fixtures.transferMessage(version: .v0)
        XCTAssertEqual(try Message.decode(m.encoded()), m)
        XCTAssertThrowsError(try Message.decode(m.encoded() + [1]))
        XCTAssertThrowsError(try Message.decode([0xFF, 1, 2]))
    }
}
