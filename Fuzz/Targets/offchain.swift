// Fuzz target `offchain`: the off-chain message parser (OffchainMessage.parse
// in Sources/WaiaasPolicy), then PolicyEngine's judgement of what parses,
// against a policy that allows off-chain messages with prefixes and domains.
//
// Checked: nothing traps; a parsed message re-encodes to exactly the input,
// its text is its bytes, and it names at least one signer.
import WaiaasPolicy
import WaiaasSolana

private let outsider = PublicKey(bytes: [UInt8](repeating: 0xA1, count: 32))!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let message = try? OffchainMessage.parse(bytes) else { return 0 }
    fuzzCheck(message.encoded() == bytes, "a parsed off-chain message does not re-encode to its input")
    fuzzCheck(!message.signers.isEmpty, "parsed with no signer")
    fuzzCheck(Array(message.text.utf8) == message.message, "the text is not the message bytes")
    for agent in [message.signers[0], outsider] {
        let evaluation = PolicyEngine.evaluate(
            policy: fixturePolicy, subject: .offchainMessage(message), agent: agent, book: fixtureBook,
            nowMilliseconds: fixtureNowMilliseconds)
        for reason in evaluation.reasons { _ = reason.code }
    }
    return 0
}
