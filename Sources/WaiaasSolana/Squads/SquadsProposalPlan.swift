/// Everything Propose puts on chain for one vault transaction: the PDAs at
/// the multisig's next index, the message the vault will run, and the two
/// instructions (vault_transaction_create, proposal_create) with the agent
/// as creator and rent payer. Pure: the daemon reads the multisig, makes
/// the plan, and judges its cost.
public struct SquadsProposalPlan: Sendable, Equatable {
    public let multisig: PublicKey
    public let vault: PublicKey
    /// The multisig's `transaction_index + 1` when it was read.
    public let index: UInt64
    public let transaction: PublicKey
    public let proposal: PublicKey
    public let vaultMessage: SquadsTransactionMessage
    /// vault_transaction_create, then proposal_create.
    public let instructions: [TransactionInstruction]
    /// Every program the vault's transaction calls, in first-use order.
    public let innerPrograms: [PublicKey]
    /// The sizes the program allocates for the two accounts (their rent is the agent's).
    public let vaultTransactionSize: Int
    public let proposalSize: Int

    /// - Parameters:
    ///   - inner: the message the vault should run; its fee payer must be the
    ///     vault, and its only other signers the transaction's ephemeral signers.
    public init(
        multisig: PublicKey, account: SquadsMultisig, creator: PublicKey, vaultIndex: UInt8, inner: Message,
        ephemeralSigners: UInt8, memo: String?, program: PublicKey = Squads.programId
    ) throws(SolanaDecodeError) {
        guard inner.addressTableLookups.isEmpty else {
            throw SolanaDecodeError(.lookupsUnsupported, "the vault's transaction loads accounts from lookup tables, which Propose does not support yet")
        }
        guard let vault = Squads.vault(multisig: multisig, index: vaultIndex, program: program)?.address,
              account.transactionIndex < .max,
              let transaction = Squads.transaction(multisig: multisig, index: account.transactionIndex + 1, program: program)?.address,
              let proposal = Squads.proposal(multisig: multisig, index: account.transactionIndex + 1, program: program)?.address else {
            throw SolanaDecodeError(.internal, "no program address for the multisig's next transaction")
        }
        let keys = inner.accountKeys
        guard keys.first == vault else {
            throw SolanaDecodeError(.vaultNotFeePayer, offset: nil, "the vault's transaction must have vault \(vaultIndex) (\(vault.base58)) as its fee payer")
        }
        var signers: Set<PublicKey> = [vault]
        for i in 0..<ephemeralSigners {
            if let ephemeral = Squads.ephemeralSigner(transaction: transaction, index: i, program: program)?.address { signers.insert(ephemeral) }
        }
        let header = inner.header
        for key in keys.prefix(Int(header.numRequiredSignatures)) where !signers.contains(key) {
            throw SolanaDecodeError(.foreignSigner, offset: nil, "the vault's transaction needs \(key.base58) to sign; only the vault and its ephemeral signers can")
        }
        let required = Int(header.numRequiredSignatures)
        let message = SquadsTransactionMessage(
            numSigners: header.numRequiredSignatures, numWritableSigners: header.numRequiredSignatures - header.numReadonlySignedAccounts,
            numWritableNonSigners: UInt8(clamping: keys.count - required - Int(header.numReadonlyUnsignedAccounts)), accountKeys: keys,
            instructions: inner.instructions.map { .init(programIdIndex: $0.programIdIndex, accountIndexes: $0.accounts, data: $0.data) })
        try message.validate(at: 0)
        let create = SquadsInstruction.vaultTransactionCreate(.init(
            multisig: multisig, transaction: transaction, creator: creator, rentPayer: creator, vaultIndex: vaultIndex,
            ephemeralSigners: ephemeralSigners, message: message, memo: memo))
        let propose = SquadsInstruction.proposalCreate(.init(
            multisig: multisig, proposal: proposal, creator: creator, rentPayer: creator, transactionIndex: account.transactionIndex + 1))
        guard let createInstruction = create.instruction(program: program), let proposeInstruction = propose.instruction(program: program),
              let stored = message.encoded(.stored) else {
            throw SolanaDecodeError(.oversize, offset: nil, "the vault's transaction does not fit Squads' compact message (at most 255 keys and instructions, 65,535 data bytes each)")
        }
        var programs: [PublicKey] = []
        for instruction in inner.instructions where Int(instruction.programIdIndex) < keys.count {
            let id = keys[Int(instruction.programIdIndex)]
            if !programs.contains(id) { programs.append(id) }
        }
        self.multisig = multisig
        self.vault = vault
        self.index = account.transactionIndex + 1
        self.transaction = transaction
        self.proposal = proposal
        self.vaultMessage = message
        self.instructions = [createInstruction, proposeInstruction]
        self.innerPrograms = programs
        // VaultTransaction: discriminator, multisig, creator, index, bump,
        // vault index, vault bump, the ephemeral bumps, the stored message.
        self.vaultTransactionSize = 8 + 32 + 32 + 8 + 1 + 1 + 1 + (4 + Int(ephemeralSigners)) + stored.count
        // Proposal: discriminator, multisig, index, status (tag and time),
        // bump, and room for every member in each of three vote lists.
        self.proposalSize = 8 + 32 + 8 + 9 + 1 + 3 * (4 + 32 * account.members.count)
    }
}

extension SquadsVaultTransaction {
    /// The accounts vault_transaction_execute needs after its own four, as
    /// the program checks them: every key of the stored message in order,
    /// writable as the message says, a signer where the message needs one,
    /// except the vault and the ephemeral signers (the program signs for
    /// them). Messages that load accounts from lookup tables are refused
    /// (`lookupsUnsupported`), and so is one that needs any other signer
    /// (`foreignSigner`): the executing member included, whose signature on
    /// the outer transaction would otherwise reach the vault's instructions
    /// and could move the member's own funds, outside its policy.
    public func executeAccounts(transactionAddress: PublicKey, program: PublicKey = Squads.programId) throws(SolanaDecodeError) -> [TransactionInstruction.Account] {
        guard message.lookups.isEmpty else {
            throw SolanaDecodeError(.lookupsUnsupported, "the vault transaction loads accounts from lookup tables, which this daemon does not execute yet")
        }
        var signedByProgram: Set<PublicKey> = []
        if let vault = Squads.vault(multisig: multisig, index: vaultIndex, program: program)?.address { signedByProgram.insert(vault) }
        for i in 0..<ephemeralSignerBumps.count {
            if let key = Squads.ephemeralSigner(transaction: transactionAddress, index: UInt8(clamping: i), program: program)?.address {
                signedByProgram.insert(key)
            }
        }
        return try message.accountKeys.enumerated().map { (i, key) throws(SolanaDecodeError) in
            if message.isSigner(i) && !signedByProgram.contains(key) {
                throw SolanaDecodeError(.foreignSigner, "the vault transaction needs \(key.base58) to sign; only the vault and its ephemeral signers may")
            }
            return TransactionInstruction.Account(key, signer: false, writable: message.isWritable(i))
        }
    }
}
