/// How the policy treats one kind of instruction. Every tag a decoder
/// accepts has exactly one class (a test walks all of them), so there is no
/// "decoded, unknown, allowed" path: what is not modelled is refused where it
/// names the signer, unless the owner's policy names the instruction.
public enum InstructionClass: String, Sendable, Equatable, CaseIterable {
    /// Moves value, and the effects count it: an outflow, a fee, or rent the signer pays.
    case counted
    /// Moves nothing of the signer's and hands nothing over (initialisations,
    /// read-only queries, adding a protection, memos).
    case harmless
    /// Hands control of the signer's funds to someone else, moves value where
    /// the policy cannot follow it, or removes a protection: refused unless
    /// the policy allows it.
    case control
    /// Decoded, but its effect on the signer is not modelled.
    case unmodelled
}

extension DecodedInstruction {
    /// The class of this instruction; nil for calls to programs the daemon
    /// does not decode (the program allow-list governs those) and for
    /// instructions that could not be decoded or resolved.
    public var classification: InstructionClass? {
        switch self {
        case .system(let s): s.kind.classification
        case .token(let t, _): t.classification
        case .associatedToken(let a): a.kind == .recoverNested ? .harmless : .counted
        case .computeBudget(let c):
            switch c {
            case .requestUnits, .setComputeUnitLimit, .setComputeUnitPrice: .counted
            case .requestHeapFrame, .setLoadedAccountsDataSizeLimit: .harmless
            }
        case .memo: .harmless
        case .squads(let q): q.classification
        case .other, .invalid, .unresolved: nil
        }
    }

    /// A stable name for reasons and for the policy's `allow_instructions`:
    /// `program.instruction`, e.g. `system.transfer`, `spl-token-2022.cpiGuard.disable`.
    public var policyName: String {
        let program = ProgramIds.names[programId] ?? programId.base58
        switch self {
        case .system(let s): return "\(program).\(s.kind.rawValue)"
        case .token(let t, _): return "\(program).\(t.operationName)"
        case .associatedToken(let a): return "\(program).\(a.kind.rawValue)"
        case .computeBudget(let c):
            switch c {
            case .requestUnits: return "\(program).requestUnits"
            case .requestHeapFrame: return "\(program).requestHeapFrame"
            case .setComputeUnitLimit: return "\(program).setComputeUnitLimit"
            case .setComputeUnitPrice: return "\(program).setComputeUnitPrice"
            case .setLoadedAccountsDataSizeLimit: return "\(program).setLoadedAccountsDataSizeLimit"
            }
        case .memo: return "\(program).memo"
        case .squads(let q): return "\(program).\(q.name)"
        case .other, .invalid, .unresolved: return program
        }
    }
}

extension SystemInstruction.Kind {
    public var classification: InstructionClass {
        switch self {
        case .createAccount, .createAccountWithSeed, .createAccountAllowPrefund, .transfer, .transferWithSeed, .withdrawNonceAccount:
            .counted
        case .assign, .assignWithSeed, .allocate, .allocateWithSeed, .authorizeNonceAccount:
            .control
        // A nonce account's own upkeep; the durable-nonce rule judges its use.
        case .advanceNonceAccount, .initializeNonceAccount, .upgradeNonceAccount:
            .harmless
        }
    }
}

extension TokenInstruction {
    public var classification: InstructionClass {
        switch kind {
        case .transfer, .transferChecked, .transferCheckedWithFee, .burn, .burnChecked, .withdrawExcessLamports, .unwrapLamports,
             .reallocate, .batch:
            .counted
        case .approve, .approveChecked, .setAuthority, .closeAccount:
            .control
        // Initialisations of new accounts (their rent is counted where they
        // are created), queries, and authority uses that take nothing from
        // the signer's accounts: minting adds supply, freezing and thawing
        // change someone's account state, revoking removes a delegate.
        case .initializeMint, .initializeMint2, .initializeAccount, .initializeAccount2, .initializeAccount3, .initializeMultisig,
             .initializeMultisig2, .initializeImmutableOwner, .initializeMintCloseAuthority, .getAccountDataSize, .amountToUiAmount,
             .uiAmountToAmount, .syncNative, .revoke, .mintTo, .mintToChecked, .freezeAccount, .thawAccount:
            .harmless
        case .extension:
            TokenExtensions.classification(tag: tag, operation: subtag)
        }
    }

    /// The instruction's name within its program: the kind, or for an
    /// extension instruction `family.operation`.
    public var operationName: String {
        kind == .extension ? TokenExtensions.name(tag: tag, operation: subtag) : kind.rawValue
    }
}

extension SquadsInstruction {
    /// A spending-limit use moves funds out of the vault on the agent's
    /// signature, so it is counted against the agent's policy like a transfer
    /// of its own (docs/POLICY.md, "Squads"): the owner's on-chain limit is
    /// a second bound, never a way around the first. Creating, voting on and
    /// executing proposals are the Propose path's to build; given to Sign,
    /// they are refused unless the policy names them.
    public var classification: InstructionClass {
        switch self {
        case .spendingLimitUse: .counted
        case .vaultTransactionCreate, .proposalCreate, .proposalVote, .vaultTransactionExecute, .unmodelled: .unmodelled
        }
    }

    /// The instruction's name in the program's interface, e.g. `proposal_approve`.
    public var name: String {
        switch self {
        case .vaultTransactionCreate: "vault_transaction_create"
        case .proposalCreate: "proposal_create"
        case .proposalVote(let v): v.vote.rawValue
        case .vaultTransactionExecute: "vault_transaction_execute"
        case .spendingLimitUse: "spending_limit_use"
        case .unmodelled(let name): name
        }
    }

    /// Every account the instruction names, in order.
    var accounts: [PublicKey] {
        switch self {
        case .vaultTransactionCreate(let c): [c.multisig, c.transaction, c.creator, c.rentPayer]
        case .proposalCreate(let c): [c.multisig, c.proposal, c.creator, c.rentPayer]
        case .proposalVote(let v): [v.multisig, v.member, v.proposal]
        case .vaultTransactionExecute(let e): [e.multisig, e.proposal, e.transaction, e.member] + e.remaining.map(\.key)
        case .spendingLimitUse(let u):
            [u.multisig, u.member, u.spendingLimit, u.vault, u.destination] + [u.mint, u.vaultTokenAccount, u.destinationTokenAccount, u.tokenProgram].compactMap { $0 }
        case .unmodelled: []
        }
    }
}
