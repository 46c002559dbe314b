extension EffectsSummary {
    /// Walks the decoded instructions once and collects what concerns `signer`.
    struct Builder {
        let signer: PublicKey
        var outflows: [Outflow] = []
        var destinations: [PublicKey] = []
        private var destinationSet = Set<PublicKey>()
        var programs: [PublicKey] = []
        private var programSet = Set<PublicKey>()
        var authorityChanges: [AuthorityChange] = []
        var creations: [AccountCreation] = []
        var opaque: [InstructionPosition] = []
        var invalid: [InstructionProblem] = []
        var requestedLimit: UInt32?
        var unitPrice: UInt64?
        var nonBudgetInstructions = 0

        init(signer: PublicKey) { self.signer = signer }

        mutating func add(_ ix: DecodedInstruction, at index: Int) {
            let position = InstructionPosition(index: index, inner: nil)
            if programSet.insert(ix.programId).inserted { programs.append(ix.programId) }
            if case .computeBudget = ix {} else { nonBudgetInstructions += 1 }
            switch ix {
            case .system(let s): system(s, position)
            case .token(let t, let program):
                if t.kind == .batch {
                    for (j, inner) in t.inner.enumerated() {
                        token(inner, program: program, InstructionPosition(index: index, inner: j))
                    }
                } else {
                    token(t, program: program, position)
                }
            case .associatedToken(let a):
                if let payer = a.payer, payer == signer, a.kind != .recoverNested {
                    creations.append(AccountCreation(kind: "ata.\(a.kind.rawValue)", payer: payer, account: a.associatedAccount,
                                                     owner: a.wallet, mint: a.mint, lamports: nil, position: position))
                }
            case .computeBudget(let c):
                switch c {
                // Duplicates make the runtime fail the transaction; the
                // larger value is the safe bound for a fee estimate either way.
                case .setComputeUnitLimit(let units): requestedLimit = max(requestedLimit ?? 0, units)
                case .setComputeUnitPrice(let price): unitPrice = max(unitPrice ?? 0, price)
                default: break
                }
            case .memo:
                break
            case .other(let id, _, let accounts, _):
                if accounts.contains(signer) { opaque.append(position) }
                _ = id
            case .invalid(let id, let error):
                invalid.append(InstructionProblem(position: position, programId: id, code: error.code, detail: error.detail))
            case .unresolved:
                break
            }
        }

        private mutating func outflow(_ asset: Asset, _ amount: UInt64?, from source: PublicKey, to destination: PublicKey?, _ kind: String, _ position: InstructionPosition) {
            outflows.append(Outflow(asset: asset, amount: amount, source: source, destination: destination, kind: kind, position: position))
            if let destination, destinationSet.insert(destination).inserted { destinations.append(destination) }
        }

        private mutating func system(_ s: SystemInstruction, _ position: InstructionPosition) {
            let kind = "system.\(s.kind.rawValue)"
            switch s.kind {
            case .transfer:
                if let from = s.from, from == signer { outflow(.sol, s.lamports, from: from, to: s.to, kind, position) }
            case .transferWithSeed:
                // The source is derived from the base, which is what signs.
                if let base = s.base, let from = s.from, base == signer || from == signer {
                    outflow(.sol, s.lamports, from: from, to: s.to, kind, position)
                }
            case .createAccount, .createAccountWithSeed, .createAccountAllowPrefund:
                if let from = s.from, from == signer {
                    outflow(.sol, s.lamports, from: from, to: s.to, kind, position)
                    if let account = s.account {
                        creations.append(AccountCreation(kind: kind, payer: from, account: account, owner: s.owner, mint: nil, lamports: s.lamports, position: position))
                    }
                }
                if s.account == signer, let owner = s.owner, owner != ProgramIds.system {
                    authorityChanges.append(AuthorityChange(kind: kind, account: signer, newAuthority: owner, position: position))
                }
            case .withdrawNonceAccount:
                if let authority = s.authority, authority == signer, let from = s.from {
                    outflow(.sol, s.lamports, from: from, to: s.to, kind, position)
                }
            case .assign, .assignWithSeed, .allocate, .allocateWithSeed:
                if let account = s.account, account == signer || s.base == signer {
                    authorityChanges.append(AuthorityChange(kind: kind, account: account, newAuthority: s.owner, position: position))
                }
            case .authorizeNonceAccount:
                if let authority = s.authority, authority == signer, let nonce = s.nonceAccount {
                    authorityChanges.append(AuthorityChange(kind: kind, account: nonce, newAuthority: s.newAuthority, position: position))
                }
            case .initializeNonceAccount, .advanceNonceAccount, .upgradeNonceAccount:
                break
            }
        }

        /// Whether the signer authorizes a token instruction: as the owner or
        /// delegate itself, or as one of a multisig authority's signers.
        private func signs(_ t: TokenInstruction) -> Bool {
            t.authority == signer || t.signers.contains(signer)
        }

        private mutating func token(_ t: TokenInstruction, program: PublicKey, _ position: InstructionPosition) {
            let kind = "token.\(t.kind.rawValue)"
            guard let source = t.source ?? t.mint else { return }
            switch t.kind {
            case .transfer:
                if signs(t) { outflow(.unknownMint(program: program), t.amount, from: source, to: t.destination, kind, position) }
            case .transferChecked, .transferCheckedWithFee:
                if signs(t), let mint = t.mint { outflow(.token(mint: mint), t.amount, from: source, to: t.destination, kind, position) }
            case .burn, .burnChecked:
                if signs(t), let mint = t.mint { outflow(.token(mint: mint), t.amount, from: source, to: nil, kind, position) }
            case .unwrapLamports:
                // Lamports leave a wrapped-SOL account: an outflow of wrapped SOL (nil amount = all of it).
                if signs(t) { outflow(.token(mint: ProgramIds.nativeMint), t.amount, from: source, to: t.destination, kind, position) }
            case .withdrawExcessLamports:
                if signs(t) { outflow(.sol, nil, from: source, to: t.destination, kind, position) }
            case .approve, .approveChecked:
                if signs(t) {
                    authorityChanges.append(AuthorityChange(kind: kind, account: source, newAuthority: t.delegate, amount: t.amount, mint: t.mint, position: position))
                }
            case .setAuthority:
                if signs(t) {
                    authorityChanges.append(AuthorityChange(kind: kind, account: source, newAuthority: t.newAuthority, authorityType: t.authorityType, position: position))
                }
            case .closeAccount:
                // The account's lamports (rent, and the balance of wrapped SOL) go to the destination.
                if signs(t) {
                    authorityChanges.append(AuthorityChange(kind: kind, account: source, newAuthority: t.destination, position: position))
                    if let destination = t.destination, destination != signer {
                        outflow(.sol, nil, from: source, to: destination, kind, position)
                    }
                }
            case .initializeAccount, .initializeAccount2, .initializeAccount3:
                break
            case .extension:
                if t.signers.contains(signer) { opaque.append(position) }
            case .revoke, .mintTo, .mintToChecked, .freezeAccount, .thawAccount, .syncNative, .initializeMint, .initializeMint2,
                 .initializeMultisig, .initializeMultisig2, .getAccountDataSize, .initializeImmutableOwner, .amountToUiAmount,
                 .uiAmountToAmount, .initializeMintCloseAuthority, .batch:
                break
            }
        }
    }
}
