/// Associated Token Account program: empty data or 0 = Create, 1 =
/// CreateIdempotent, 2 = RecoverNested. Accounts: payer, associated account,
/// wallet, mint, system program, token program.
public struct AssociatedTokenInstruction: Sendable, Equatable {
    public enum Kind: String, Sendable { case create, createIdempotent, recoverNested }

    public var kind: Kind
    /// Pays the rent of the new account (Create, CreateIdempotent).
    public var payer: PublicKey?
    public var associatedAccount: PublicKey
    /// The owner of the new account.
    public var wallet: PublicKey
    public var mint: PublicKey
    public var tokenProgram: PublicKey?

    static func decode(_ input: InstructionInput) throws(SolanaDecodeError) -> AssociatedTokenInstruction {
        let tag: UInt8
        switch input.data.count {
        case 0: tag = 0
        case 1: tag = input.data[0]
        default: throw SolanaDecodeError(.trailingBytes, offset: 1, "associated token instruction data is \(input.data.count) bytes")
        }
        let a = AccountList(keys: input.accounts, program: "associated-token", instruction: "tag \(tag)")
        switch tag {
        case 0, 1:
            try a.require(6)
            return AssociatedTokenInstruction(kind: tag == 0 ? .create : .createIdempotent, payer: a[0], associatedAccount: a[1],
                                              wallet: a[2], mint: a[3], tokenProgram: a[5])
        case 2:
            // nested ATA, nested mint, destination ATA, owner ATA, owner mint, wallet (signer), token program
            try a.require(7)
            return AssociatedTokenInstruction(kind: .recoverNested, payer: nil, associatedAccount: a[0], wallet: a[5], mint: a[1], tokenProgram: a[6])
        default:
            throw SolanaDecodeError(.unknownInstruction, offset: 0, "associated token instruction tag \(tag)")
        }
    }
}
