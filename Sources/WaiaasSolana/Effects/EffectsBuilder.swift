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
        var unmodelled: [UnmodelledInstruction] = []
        var invalid: [InstructionProblem] = []
        var requestedLimit: UInt32?
        var unitPrice: UInt64?
        /// The deprecated RequestUnits: its additional fee is paid on top.
        var requestUnitsFee: UInt64?

        init(signer: PublicKey) { self.signer = signer }

        mutating func add(_ ix: DecodedInstruction, at index: Int) {
            let position = InstructionPosition(index: index, inner: nil)
            if programSet.insert(ix.programId).inserted { programs.append(ix.programId) }
            switch ix {
            case .system(let s): system(s, position)
            case .token(let t, let program):
                let programName = ProgramIds.names[program] ?? program.base58
                if t.kind == .batch {
                    for (j, inner) in t.inner.enumerated() {
                        token(inner, program: program, name: "\(programName).\(inner.operationName)", InstructionPosition(index: index, inner: j))
                    }
                } else {
                    token(t, program: program, name: "\(programName).\(t.operationName)", position)
                }
            case .associatedToken(let a): associatedToken(a, position)
            case .computeBudget(let c):
                switch c {
                // Duplicates make the runtime fail the transaction; the
                // larger value is the safe bound for a fee estimate either way.
                case .setComputeUnitLimit(let units): requestedLimit = max(requestedLimit ?? 0, units)
                case .setComputeUnitPrice(let price): unitPrice = max(unitPrice ?? 0, price)
                case .requestUnits(let units, let fee):
                    requestedLimit = max(requestedLimit ?? 0, units)
                    requestUnitsFee = max(requestUnitsFee ?? 0, UInt64(fee))
                case .requestHeapFrame, .setLoadedAccountsDataSizeLimit: break
                }
            case .memo:
                break
            case .squads(let q): squads(q, position)
            case .other(_, _, let accounts, _):
                if accounts.contains(signer) { opaque.append(position) }
            case .invalid(let id, let error):
                invalid.append(InstructionProblem(position: position, programId: id, code: error.code, detail: error.message))
            case .unresolved:
                break
            }
        }

        private mutating func squads(_ q: SquadsInstruction, _ position: InstructionPosition) {
            let name = DecodedInstruction.squads(q).policyName
            switch q {
            case .spendingLimitUse(let u):
                guard u.member == signer else { return }
                let asset: Asset = u.mint.map { .token(mint: $0) } ?? .sol
                outflow(asset, u.amount, from: u.vaultTokenAccount ?? u.vault, to: u.destinationTokenAccount ?? u.destination, name, position)
            case .unmodelled:
                // Its accounts are not decoded: a named signer is all there is to go on, so any use is refused.
                unmodelled.append(UnmodelledInstruction(instruction: name, position: position))
            default:
                if q.accounts.contains(signer) { unmodelled.append(UnmodelledInstruction(instruction: name, position: position)) }
            }
        }

        private mutating func outflow(_ asset: Asset, _ amount: UInt64?, from source: PublicKey, to destination: PublicKey?, _ kind: String, _ position: InstructionPosition) {
            outflows.append(Outflow(asset: asset, amount: amount, source: source, destination: destination, kind: kind, position: position))
            if let destination, destinationSet.insert(destination).inserted { destinations.append(destination) }
        }

        private mutating func control(_ kind: ControlKind, _ instruction: String, account: PublicKey, to newAuthority: PublicKey?,
                                      authorityType: UInt8? = nil, amount: UInt64? = nil, mint: PublicKey? = nil, _ position: InstructionPosition) {
            authorityChanges.append(AuthorityChange(kind: kind, instruction: instruction, account: account, newAuthority: newAuthority,
                                                    authorityType: authorityType, amount: amount, mint: mint, position: position))
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
                    control(.assign, kind, account: signer, to: owner, position)
                }
            case .withdrawNonceAccount:
                if let authority = s.authority, authority == signer, let from = s.from {
                    outflow(.sol, s.lamports, from: from, to: s.to, kind, position)
                }
            case .assign, .assignWithSeed:
                if let account = s.account, account == signer || s.base == signer {
                    control(.assign, kind, account: account, to: s.owner, position)
                }
            case .allocate, .allocateWithSeed:
                if let account = s.account, account == signer || s.base == signer {
                    control(.allocate, kind, account: account, to: s.owner, position)
                }
            case .authorizeNonceAccount:
                if let authority = s.authority, authority == signer, let nonce = s.nonceAccount {
                    control(.nonceAuthority, kind, account: nonce, to: s.newAuthority, position)
                }
            case .initializeNonceAccount, .advanceNonceAccount, .upgradeNonceAccount:
                break
            }
        }

        /// The payer funds the new token account's rent-exempt minimum (an
        /// upper bound for Token-2022, whose size depends on the mint's
        /// extensions); the destination rules see the account's owner.
        private mutating func associatedToken(_ a: AssociatedTokenInstruction, _ position: InstructionPosition) {
            guard a.kind != .recoverNested, let payer = a.payer, payer == signer else { return }
            let rent = a.tokenProgram == ProgramIds.token ? Rent.splTokenAccount : Rent.token2022AccountBound
            let kind = "ata.\(a.kind.rawValue)"
            outflow(.sol, rent, from: payer, to: a.wallet, kind, position)
            creations.append(AccountCreation(kind: kind, payer: payer, account: a.associatedAccount, owner: a.wallet, mint: a.mint,
                                             lamports: rent, position: position))
        }

        /// Whether the signer authorizes a token instruction: as the owner or
        /// delegate itself, or as one of a multisig authority's signers.
        private func signs(_ t: TokenInstruction) -> Bool {
            t.authority == signer || t.signers.contains(signer)
        }

        private mutating func token(_ t: TokenInstruction, program: PublicKey, name: String, _ position: InstructionPosition) {
            let kind = "token.\(t.kind.rawValue)"
            guard let source = t.source ?? t.mint ?? t.signers.first else { return }
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
            case .reallocate:
                // The added rent depends on the account's current size, which
                // the transaction does not show: an amount it does not determine.
                if let payer = t.payer, payer == signer { outflow(.sol, nil, from: payer, to: t.source, kind, position) }
            case .approve, .approveChecked:
                if signs(t) { control(.tokenApprove, name, account: source, to: t.delegate, amount: t.amount, mint: t.mint, position) }
            case .setAuthority:
                if signs(t) { control(.setAuthority, name, account: source, to: t.newAuthority, authorityType: t.authorityType, position) }
            case .closeAccount:
                // The account's lamports (rent, and the balance of wrapped SOL) go to the destination.
                if signs(t) {
                    control(.closeAccount, name, account: source, to: t.destination, position)
                    if let destination = t.destination, destination != signer {
                        outflow(.sol, nil, from: source, to: destination, kind, position)
                    }
                }
            case .extension:
                guard t.signers.contains(signer) else { return }
                switch t.classification {
                case .harmless, .counted: break
                case .control: control(Self.extensionControl(t), name, account: t.signers[0], to: nil, position)
                case .unmodelled: unmodelled.append(UnmodelledInstruction(instruction: name, position: position))
                }
            case .initializeAccount, .initializeAccount2, .initializeAccount3, .revoke, .mintTo, .mintToChecked, .freezeAccount,
                 .thawAccount, .syncNative, .initializeMint, .initializeMint2, .initializeMultisig, .initializeMultisig2,
                 .getAccountDataSize, .initializeImmutableOwner, .amountToUiAmount, .uiAmountToAmount, .initializeMintCloseAuthority, .batch:
                break
            }
        }

        /// Which control a Token-2022 extension instruction of class `.control` hands over.
        static func extensionControl(_ t: TokenInstruction) -> ControlKind {
            switch t.tag {
            case 34: .cpiGuardDisable
            case 30: .memoTransferDisable
            default: .confidentialTransfer
            }
        }
    }
}

/// Rent-exempt minimums: (data bytes + 128 bytes of account overhead) ×
/// 3,480 lamports per byte-year × 2 years, the cluster's default rent.
public enum Rent {
    public static let lamportsPerByte: UInt64 = 3_480 * 2
    public static let accountOverhead: UInt64 = 128

    public static func exemptMinimum(dataBytes: UInt64) -> UInt64 {
        (dataBytes + accountOverhead) * lamportsPerByte
    }

    /// An SPL Token account is 165 bytes: 2,039,280 lamports.
    public static let splTokenAccount = exemptMinimum(dataBytes: 165)
    /// A Token-2022 account is 165 bytes, an account-type byte, and each
    /// extension the mint requires with its 4-byte header; with every one
    /// that exists today (ImmutableOwner, TransferFeeAmount, NonTransferable,
    /// TransferHook, ConfidentialTransferFeeAmount, Pausable) it stays under
    /// 270 bytes. 512 bytes is the bound counted: 4,454,400 lamports.
    public static let token2022AccountBound = exemptMinimum(dataBytes: 512)
}
