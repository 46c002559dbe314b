import XCTest
@testable import WaiaasSolana

/// Deterministic keys and messages for the unit tests.
enum Fixtures {
    static func key(_ n: UInt8) -> PublicKey {
        PublicKey(bytes: [UInt8](repeating: n, count: 31) + [n &+ 1])!
    }

    static let payer = key(1)
    static let recipient = key(2)
    static let blockhash = key(9)
    static let zeroSignature = Signature(bytes: [UInt8](repeating: 0, count: 64))!

    static func systemTransfer(lamports: UInt64) -> [UInt8] {
        var d: [UInt8] = [2, 0, 0, 0]
        d.appendU64LE(lamports)
        return d
    }

    /// A typical 2-instruction transfer: compute-unit price + system transfer.
    static func transferMessage(version: MessageVersion = .legacy) -> Message {
        var price: [UInt8] = [3]
        price.appendU64LE(1_000)
        return Message(
            version: version,
            header: MessageHeader(numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 2),
            accountKeys: [payer, recipient, ProgramIds.system, ProgramIds.computeBudget],
            recentBlockhash: blockhash,
            instructions: [
                CompiledInstruction(programIdIndex: 3, accounts: [], data: price),
                CompiledInstruction(programIdIndex: 2, accounts: [0, 1], data: systemTransfer(lamports: 1_000_000)),
            ],
            config: version == .v1 ? TransactionConfig(priorityFeeLamports: 77, computeUnitLimit: 300_000) : nil)
    }

    /// A v0 message loading two accounts from a lookup table.
    static func v0WithLookup() -> Message {
        Message(
            version: .v0,
            header: MessageHeader(numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 1),
            accountKeys: [payer, ProgramIds.system],
            recentBlockhash: blockhash,
            instructions: [CompiledInstruction(programIdIndex: 1, accounts: [0, 2], data: systemTransfer(lamports: 5))],
            addressTableLookups: [AddressTableLookup(accountKey: key(40), writableIndexes: [3], readonlyIndexes: [0])])
    }

    static func transaction(_ message: Message) -> [UInt8] {
        let sigs = [Signature](repeating: zeroSignature, count: Int(message.header.numRequiredSignatures))
        // swiftlint:disable:next force_try
        return try! SolanaTransaction(signatures: sigs, message: message).encoded()
    }
}

func XCTAssertDecodeError(_ bytes: [UInt8], _ code: SolanaDecodeError.Code, file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try SolanaTransaction.decode(bytes)
        XCTFail("decoded, expected \(code)", file: file, line: line)
    } catch {
        XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
    }
}
