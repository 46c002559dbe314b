/// The Squads instructions the daemon builds, and decodes when they appear
/// in a transaction given to Sign. Accounts are in the program's order;
/// instruction data is the 8-byte Anchor discriminator then borsh arguments.
public enum SquadsInstruction: Sendable, Equatable {
    /// Stores `message` for the vault to run, at the multisig's next index.
    case vaultTransactionCreate(VaultTransactionCreate)
    case proposalCreate(ProposalCreate)
    /// proposal_approve, proposal_reject or proposal_cancel.
    case proposalVote(ProposalVote)
    case vaultTransactionExecute(VaultTransactionExecute)
    /// Moves funds out of a vault within an on-chain spending limit.
    case spendingLimitUse(SpendingLimitUse)
    /// An instruction of the program's interface this decoder does not
    /// model (config changes, batches, buffers, closes): named, never signed
    /// without a rule that allows it.
    case unmodelled(name: String)

    public struct VaultTransactionCreate: Sendable, Equatable {
        public var multisig: PublicKey
        public var transaction: PublicKey
        public var creator: PublicKey
        public var rentPayer: PublicKey
        public var vaultIndex: UInt8
        public var ephemeralSigners: UInt8
        public var message: SquadsTransactionMessage
        public var memo: String?

        public init(multisig: PublicKey, transaction: PublicKey, creator: PublicKey, rentPayer: PublicKey,
                    vaultIndex: UInt8, ephemeralSigners: UInt8 = 0, message: SquadsTransactionMessage, memo: String? = nil) {
            self.multisig = multisig
            self.transaction = transaction
            self.creator = creator
            self.rentPayer = rentPayer
            self.vaultIndex = vaultIndex
            self.ephemeralSigners = ephemeralSigners
            self.message = message
            self.memo = memo
        }
    }

    public struct ProposalCreate: Sendable, Equatable {
        public var multisig: PublicKey
        public var proposal: PublicKey
        public var creator: PublicKey
        public var rentPayer: PublicKey
        public var transactionIndex: UInt64
        public var draft: Bool

        public init(multisig: PublicKey, proposal: PublicKey, creator: PublicKey, rentPayer: PublicKey, transactionIndex: UInt64, draft: Bool = false) {
            self.multisig = multisig
            self.proposal = proposal
            self.creator = creator
            self.rentPayer = rentPayer
            self.transactionIndex = transactionIndex
            self.draft = draft
        }
    }

    public struct ProposalVote: Sendable, Equatable {
        public enum Vote: String, Sendable, Equatable, CaseIterable {
            case approve = "proposal_approve", reject = "proposal_reject", cancel = "proposal_cancel"
        }

        public var vote: Vote
        public var multisig: PublicKey
        public var member: PublicKey
        public var proposal: PublicKey
        public var memo: String?

        public init(_ vote: Vote, multisig: PublicKey, member: PublicKey, proposal: PublicKey, memo: String? = nil) {
            self.vote = vote
            self.multisig = multisig
            self.member = member
            self.proposal = proposal
            self.memo = memo
        }
    }

    public struct VaultTransactionExecute: Sendable, Equatable {
        public var multisig: PublicKey
        public var proposal: PublicKey
        public var transaction: PublicKey
        public var member: PublicKey
        /// The inner message's tables, keys and looked-up accounts, as the program wants them.
        public var remaining: [TransactionInstruction.Account]

        public init(multisig: PublicKey, proposal: PublicKey, transaction: PublicKey, member: PublicKey, remaining: [TransactionInstruction.Account] = []) {
            self.multisig = multisig
            self.proposal = proposal
            self.transaction = transaction
            self.member = member
            self.remaining = remaining
        }
    }

    public struct SpendingLimitUse: Sendable, Equatable {
        public var multisig: PublicKey
        public var member: PublicKey
        public var spendingLimit: PublicKey
        public var vault: PublicKey
        /// The wallet that receives: for a token, the owner of `destinationTokenAccount`.
        public var destination: PublicKey
        /// Nil for SOL; then the token accounts and program are absent too.
        public var mint: PublicKey?
        public var vaultTokenAccount: PublicKey?
        public var destinationTokenAccount: PublicKey?
        public var tokenProgram: PublicKey?
        public var amount: UInt64
        public var decimals: UInt8
        public var memo: String?

        public init(multisig: PublicKey, member: PublicKey, spendingLimit: PublicKey, vault: PublicKey, destination: PublicKey,
                    mint: PublicKey? = nil, vaultTokenAccount: PublicKey? = nil, destinationTokenAccount: PublicKey? = nil,
                    tokenProgram: PublicKey? = nil, amount: UInt64, decimals: UInt8, memo: String? = nil) {
            self.multisig = multisig
            self.member = member
            self.spendingLimit = spendingLimit
            self.vault = vault
            self.destination = destination
            self.mint = mint
            self.vaultTokenAccount = vaultTokenAccount
            self.destinationTokenAccount = destinationTokenAccount
            self.tokenProgram = tokenProgram
            self.amount = amount
            self.decimals = decimals
            self.memo = memo
        }
    }
}

// MARK: Discriminators

extension SquadsInstruction {
    static let vaultTransactionCreateTag = Squads.discriminator("global:vault_transaction_create")
    static let proposalCreateTag = Squads.discriminator("global:proposal_create")
    static let vaultTransactionExecuteTag = Squads.discriminator("global:vault_transaction_execute")
    static let spendingLimitUseTag = Squads.discriminator("global:spending_limit_use")
    static let voteTags: [ProposalVote.Vote: [UInt8]] = Dictionary(uniqueKeysWithValues: ProposalVote.Vote.allCases.map {
        ($0, Squads.discriminator("global:\($0.rawValue)"))
    })

    /// The rest of the program's interface (IDL 2.1.0), by discriminator.
    static let unmodelledNames: [[UInt8]: String] = Dictionary(uniqueKeysWithValues: [
        "program_config_init", "program_config_set_authority", "program_config_set_multisig_creation_fee",
        "program_config_set_treasury", "multisig_create", "multisig_create_v2", "multisig_add_member",
        "multisig_remove_member", "multisig_set_time_lock", "multisig_change_threshold", "multisig_set_config_authority",
        "multisig_set_rent_collector", "multisig_add_spending_limit", "multisig_remove_spending_limit",
        "config_transaction_create", "config_transaction_execute", "transaction_buffer_create", "transaction_buffer_close",
        "transaction_buffer_extend", "vault_transaction_create_from_buffer", "batch_create", "batch_add_transaction",
        "batch_execute_transaction", "proposal_activate", "proposal_cancel_v2", "config_transaction_accounts_close",
        "vault_transaction_accounts_close", "vault_batch_transaction_account_close", "batch_accounts_close",
    ].map { (Squads.discriminator("global:\($0)"), $0) })
}

// MARK: Building

extension SquadsInstruction {
    /// The instruction as a transaction carries it, under `program`. Nil
    /// when a vault transaction's message does not fit the compact encoding.
    public func instruction(program: PublicKey = Squads.programId) -> TransactionInstruction? {
        typealias A = TransactionInstruction.Account
        switch self {
        case .vaultTransactionCreate(let c):
            guard let message = c.message.encodedCompact() else { return nil }
            var data = Self.vaultTransactionCreateTag + [c.vaultIndex, c.ephemeralSigners]
            data.appendBorshBytes(message)
            data.appendBorshOptionalString(c.memo)
            return TransactionInstruction(program: program, accounts: [
                A(c.multisig, writable: true), A(c.transaction, writable: true), A(c.creator, signer: true),
                A(c.rentPayer, signer: true, writable: true), A(ProgramIds.system),
            ], data: data)
        case .proposalCreate(let c):
            var data = Self.proposalCreateTag
            data.appendU64LE(c.transactionIndex)
            data.append(c.draft ? 1 : 0)
            return TransactionInstruction(program: program, accounts: [
                A(c.multisig), A(c.proposal, writable: true), A(c.creator, signer: true),
                A(c.rentPayer, signer: true, writable: true), A(ProgramIds.system),
            ], data: data)
        case .proposalVote(let v):
            var data = Self.voteTags[v.vote]!
            data.appendBorshOptionalString(v.memo)
            return TransactionInstruction(program: program, accounts: [
                A(v.multisig), A(v.member, signer: true, writable: true), A(v.proposal, writable: true),
            ], data: data)
        case .vaultTransactionExecute(let e):
            return TransactionInstruction(program: program, accounts: [
                A(e.multisig), A(e.proposal, writable: true), A(e.transaction), A(e.member, signer: true),
            ] + e.remaining, data: Self.vaultTransactionExecuteTag)
        case .spendingLimitUse(let u):
            var data = Self.spendingLimitUseTag
            data.appendU64LE(u.amount)
            data.append(u.decimals)
            data.appendBorshOptionalString(u.memo)
            // Absent optional accounts are passed as the program id (Anchor's convention).
            let none = program
            var accounts = [A(u.multisig), A(u.member, signer: true), A(u.spendingLimit, writable: true),
                            A(u.vault, writable: true), A(u.destination, writable: true)]
            if let mint = u.mint {
                accounts += [A(none), A(mint), A(u.vaultTokenAccount ?? none, writable: u.vaultTokenAccount != nil),
                             A(u.destinationTokenAccount ?? none, writable: u.destinationTokenAccount != nil), A(u.tokenProgram ?? none)]
            } else {
                accounts += [A(ProgramIds.system), A(none), A(none), A(none), A(none)]
            }
            return TransactionInstruction(program: program, accounts: accounts, data: data)
        case .unmodelled:
            return nil
        }
    }
}

// MARK: Decoding

extension SquadsInstruction {
    /// Decodes an instruction for the Squads program (`input.programId`),
    /// strictly: the accounts the layout needs, arguments with nothing after
    /// them, a message the program would accept.
    public static func decode(_ input: InstructionInput) throws(SolanaDecodeError) -> SquadsInstruction {
        let data = input.data
        guard data.count >= 8 else {
            throw SolanaDecodeError.truncated(at: data.count, needed: 8 - data.count, "the Squads instruction discriminator")
        }
        let tag = Array(data.prefix(8))
        var r = ByteReader(data)
        _ = try r.readBytes(8, "discriminator")
        let a = input.accounts
        func need(_ count: Int, _ name: String) throws(SolanaDecodeError) {
            guard a.count >= count else {
                throw SolanaDecodeError(.notEnoughAccounts, offset: nil, "\(name) takes \(count) accounts, not \(a.count)")
            }
        }
        let result: SquadsInstruction
        switch tag {
        case vaultTransactionCreateTag:
            try need(5, "vault_transaction_create")
            let vaultIndex = try r.readU8("vault_index")
            let ephemeral = try r.readU8("ephemeral_signers")
            let start = r.position
            let bytes = try r.readBorshBytes("transaction_message")
            let message = try SquadsTransactionMessage(compact: bytes, base: start + 4)
            let memo = try r.readBorshOptionalString("memo")
            result = .vaultTransactionCreate(VaultTransactionCreate(
                multisig: a[0], transaction: a[1], creator: a[2], rentPayer: a[3], vaultIndex: vaultIndex,
                ephemeralSigners: ephemeral, message: message, memo: memo))
        case proposalCreateTag:
            try need(5, "proposal_create")
            let index = try r.readU64LE("transaction_index")
            let draft = try r.readBool("draft")
            result = .proposalCreate(ProposalCreate(multisig: a[0], proposal: a[1], creator: a[2], rentPayer: a[3], transactionIndex: index, draft: draft))
        case vaultTransactionExecuteTag:
            try need(4, "vault_transaction_execute")
            result = .vaultTransactionExecute(VaultTransactionExecute(
                multisig: a[0], proposal: a[1], transaction: a[2], member: a[3], remaining: a.dropFirst(4).map { .init($0) }))
        case spendingLimitUseTag:
            try need(5, "spending_limit_use")
            let amount = try r.readU64LE("amount")
            let decimals = try r.readU8("decimals")
            let memo = try r.readBorshOptionalString("memo")
            func optional(_ index: Int) -> PublicKey? { index < a.count && a[index] != input.programId ? a[index] : nil }
            result = .spendingLimitUse(SpendingLimitUse(
                multisig: a[0], member: a[1], spendingLimit: a[2], vault: a[3], destination: a[4], mint: optional(6),
                vaultTokenAccount: optional(7), destinationTokenAccount: optional(8), tokenProgram: optional(9),
                amount: amount, decimals: decimals, memo: memo))
        default:
            if let vote = voteTags.first(where: { $0.value == tag })?.key {
                try need(3, vote.rawValue)
                let memo = try r.readBorshOptionalString("memo")
                result = .proposalVote(ProposalVote(vote, multisig: a[0], member: a[1], proposal: a[2], memo: memo))
            } else if let name = unmodelledNames[tag] {
                return .unmodelled(name: name)
            } else {
                throw SolanaDecodeError(.unknownInstruction, offset: 0, "Squads discriminator \(Hex.encode(tag)) is not in the program's interface")
            }
        }
        try r.expectEnd("the Squads instruction")
        return result
    }
}
