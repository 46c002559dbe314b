/// A config transaction that adds a spending limit: the one config change
/// the daemon proposes (docs/SQUADS.md, "Spending limits"). In the
/// multisigs `waiaas squads create` makes, only the agent may initiate, so
/// the agent proposes the limit and the owners vote on it and execute it.
public struct SquadsSpendingLimitGrant: Sendable, Equatable {
    /// Seeds the SpendingLimit PDA; need not sign.
    public var createKey: PublicKey
    public var vaultIndex: UInt8
    /// `PublicKey.zero` for SOL.
    public var mint: PublicKey
    public var amount: UInt64
    public var period: SquadsSpendingLimit.Period
    public var members: [PublicKey]
    /// Empty: any destination.
    public var destinations: [PublicKey]

    public init(createKey: PublicKey, vaultIndex: UInt8, mint: PublicKey, amount: UInt64, period: SquadsSpendingLimit.Period,
                members: [PublicKey], destinations: [PublicKey]) {
        self.createKey = createKey
        self.vaultIndex = vaultIndex
        self.mint = mint
        self.amount = amount
        self.period = period
        self.members = members
        self.destinations = destinations
    }

    /// The borsh of `ConfigAction::AddSpendingLimit` (variant 4).
    var encodedAction: [UInt8] {
        var out: [UInt8] = [4] + createKey.bytes + [vaultIndex] + mint.bytes
        out.appendU64LE(amount)
        out.append(period.rawValue)
        out.appendU32LE(UInt32(members.count))
        for member in members { out += member.bytes }
        out.appendU32LE(UInt32(destinations.count))
        for destination in destinations { out += destination.bytes }
        return out
    }
}

extension Squads {
    /// config_transaction_create with one AddSpendingLimit action, at
    /// `transaction` (the multisig's next index); `creator` needs Initiate
    /// and `rentPayer` pays the ConfigTransaction account.
    public static func configTransactionCreate(
        multisig: PublicKey, transaction: PublicKey, creator: PublicKey, rentPayer: PublicKey, grant: SquadsSpendingLimitGrant,
        memo: String?, program: PublicKey = programId
    ) -> TransactionInstruction {
        var data = discriminator("global:config_transaction_create")
        data.appendU32LE(1)
        data += grant.encodedAction
        data.appendBorshOptionalString(memo)
        typealias A = TransactionInstruction.Account
        return TransactionInstruction(program: program, accounts: [
            A(multisig, writable: true), A(transaction, writable: true), A(creator, signer: true),
            A(rentPayer, signer: true, writable: true), A(ProgramIds.system),
        ], data: data)
    }

    /// The size the program allocates for the ConfigTransaction: the
    /// discriminator, multisig, creator, index, bump and the actions.
    public static func configTransactionSize(_ grant: SquadsSpendingLimitGrant) -> Int {
        8 + 32 + 32 + 8 + 1 + 4 + grant.encodedAction.count
    }
}
