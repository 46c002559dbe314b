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
