// Fuzz target `solana`: the Solana transaction decoder (Sources/WaiaasSolana)
// and everything the Sign path does with what decodes. The input is a
// serialized transaction (legacy, v0 or v1); when it decodes, its message is
// resolved (as the daemon does, without table contents, and again with
// made-up contents for every table it names), its instructions decoded, the
// effects computed for the fee payer, another signer and an outsider, and
// each judged by PolicyEngine against a policy using every rule. The input is
// also decoded as a bare message (Propose takes one).
//
// Checked: nothing traps; a decoded transaction re-encodes to exactly the
// input and its message bytes decode to the same message; the resolved
// account list and the decoded instructions line up with the message.
import WaiaasPolicy
import WaiaasSolana

private let outsider = PublicKey(bytes: [UInt8](repeating: 0xA1, count: 32))!

/// Contents for every table a message names: distinct addresses, as many
/// as its largest index needs.
private func madeUpTables(_ message: Message) -> [PublicKey: [PublicKey]] {
    var tables: [PublicKey: [PublicKey]] = [:]
    for lookup in message.addressTableLookups {
        let count = Int((lookup.writableIndexes + lookup.readonlyIndexes).max() ?? 0) + 1
        let base = lookup.accountKey.bytes
        tables[lookup.accountKey] = (0 ..< count).map { index in
            var bytes = base
            bytes[0] ^= UInt8(index)
            bytes[31] ^= 0xA5
            return PublicKey(bytes: bytes)!
        }
    }
    return tables
}

private func judge(_ message: Message, _ resolved: ResolvedAccounts) {
    fuzzCheck(resolved.staticCount == message.accountKeys.count, "resolved static count \(resolved.staticCount) != \(message.accountKeys.count) keys")
    fuzzCheck(resolved.keys.count == message.totalAccountCount, "resolved \(resolved.keys.count) accounts, message has \(message.totalAccountCount)")
    let decoded = InstructionDecoder.decode(message: message, resolved: resolved)
    fuzzCheck(decoded.count == message.instructions.count, "\(decoded.count) decoded instructions for \(message.instructions.count)")
    for ix in decoded { _ = ix.programId }

    var signers: [PublicKey?] = [nil, outsider]
    if message.signerKeys.count > 1 { signers.append(message.signerKeys[1]) }
    for signer in signers {
        let effects = EffectsSummary.compute(message: message, resolved: resolved, signer: signer, instructions: decoded)
        fuzzCheck(effects.numSignatures == Int(message.header.numRequiredSignatures), "effects count \(effects.numSignatures) signatures")
        fuzzCheck(effects.maxFeeLamports >= effects.baseFeeLamports, "max fee \(effects.maxFeeLamports) below base fee \(effects.baseFeeLamports)")
        _ = effects.isFullyDecoded
        let evaluation = PolicyEngine.evaluate(
            policy: fixturePolicy, subject: .transaction(effects), agent: effects.signer, book: fixtureBook,
            nowMilliseconds: fixtureNowMilliseconds)
        for reason in evaluation.reasons { _ = reason.code }
    }
}

private func examine(_ message: Message) {
    if let resolved = try? message.resolve() { judge(message, resolved) }
    if !message.addressTableLookups.isEmpty, let resolved = try? message.resolve(lookupTables: madeUpTables(message)) {
        fuzzCheck(resolved.isComplete, "made-up tables hold every index, yet lookups are unresolved")
        judge(message, resolved)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    if let transaction = try? SolanaTransaction.decode(bytes) {
        fuzzCheck(transaction.encoded() == bytes, "a decoded transaction does not re-encode to its input")
        fuzzCheck(transaction.signatures.count == Int(transaction.message.header.numRequiredSignatures), "signature count")
        fuzzCheck(transaction.messageBytes == transaction.message.encoded(), "messageBytes differ from the message's encoding")
        let again = try? Message.decode(transaction.messageBytes)
        fuzzCheck(again == transaction.message, "the message bytes do not decode to the same message")
        examine(transaction.message)
    }
    if let message = try? Message.decode(bytes) {
        fuzzCheck(message.encoded() == bytes, "a decoded message does not re-encode to its input")
        examine(message)
    }
    return 0
}
