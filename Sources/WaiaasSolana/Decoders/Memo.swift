/// SPL Memo (v1 and v2): the data is UTF-8 text (the program refuses
/// anything else); the accounts, if any, must sign.
public struct MemoInstruction: Sendable, Equatable {
    public var program: PublicKey
    public var text: String
    public var signers: [PublicKey]

    static func decode(_ input: InstructionInput) throws(SolanaDecodeError) -> MemoInstruction {
        guard let text = String(validating: input.data, as: UTF8.self) else {
            throw SolanaDecodeError(.invalidUTF8, offset: 0, "memo is not valid UTF-8")
        }
        return MemoInstruction(program: input.programId, text: text, signers: input.accounts)
    }
}
