import WaiaasSolana

/// The rules that judge a transaction's effects.
enum TransactionRules {
    static func check(
        _ policy: CompiledPolicy, _ effects: EffectsSummary, agent: PublicKey, book: SpendingBook, now: UInt64,
        reasons: inout [PolicyReason], outflows: inout [AssetKey: UInt64]
    ) {
        if !effects.signerMustSign {
            reasons.append(PolicyReason(.deny, "agent_not_signer", "the agent \(agent.base58) is not a required signer of this transaction"))
        }
        if !effects.unresolvedLookups.isEmpty || !effects.unresolvedInstructions.isEmpty {
            reasons.append(PolicyReason(.deny, "unresolved_lookup_table",
                "accounts loaded from \(effects.unresolvedLookups.count) address lookup table(s) could not be resolved, so the transaction cannot be judged"))
        }
        for problem in effects.invalidInstructions {
            reasons.append(PolicyReason(.deny, "undecodable_instruction",
                "instruction \(problem.position) for \(problem.programId.base58) could not be decoded (\(problem.code)): \(problem.detail)"))
        }
        checkPrograms(policy, effects, into: &reasons)
        checkControl(policy, effects, agent: agent, into: &reasons)
        if effects.durableNonce != nil, !policy.policy.allowDurableNonce {
            reasons.append(PolicyReason(.deny, "durable_nonce_not_allowed", "the transaction uses a durable nonce (valid until used), which the policy does not allow"))
        }
        checkDestinations(policy, effects, into: &reasons)
        checkAmounts(policy, effects, book: book, now: now, reasons: &reasons, outflows: &outflows)
    }

    static func checkPrograms(_ policy: CompiledPolicy, _ effects: EffectsSummary, into reasons: inout [PolicyReason]) {
        for program in effects.programs where !policy.allowedPrograms.contains(program) {
            let name = ProgramIds.names[program].map { " (\($0))" } ?? ""
            if policy.unlistedProgramsNeedApproval {
                reasons.append(PolicyReason(.approval, "program_needs_approval", "program \(program.base58)\(name) is not on the allow-list; the owner must approve"))
            } else {
                reasons.append(PolicyReason(.deny, "program_not_allowed", "program \(program.base58)\(name) is not on the policy's allow-list"))
            }
        }
    }

    /// Instructions that hand control of the agent's funds to someone else.
    static func checkControl(_ policy: CompiledPolicy, _ effects: EffectsSummary, agent: PublicKey, into reasons: inout [PolicyReason]) {
        let control = policy.control
        for change in effects.authorityChanges {
            let target = change.newAuthority?.base58 ?? "nobody"
            let at = "instruction \(change.position)"
            switch change.kind {
            case "system.assign", "system.assignWithSeed", "system.createAccount", "system.createAccountWithSeed", "system.createAccountAllowPrefund":
                if !control.allowAssign {
                    reasons.append(PolicyReason(.deny, "control_assign", "\(at) assigns account \(change.account.base58) to program \(target)"))
                }
            case "system.allocate", "system.allocateWithSeed":
                if !control.allowAllocate {
                    reasons.append(PolicyReason(.deny, "control_allocate", "\(at) allocates data in the agent's account \(change.account.base58)"))
                }
            case "system.authorizeNonceAccount":
                if !control.allowNonceAuthorityChange {
                    reasons.append(PolicyReason(.deny, "control_nonce_authority", "\(at) makes \(target) the authority of nonce account \(change.account.base58)"))
                }
            case "token.approve", "token.approveChecked":
                if !control.allowTokenApprove {
                    let amount = change.amount.map { " for \($0) base units" } ?? ""
                    reasons.append(PolicyReason(.deny, "control_token_approve", "\(at) lets \(target) spend from token account \(change.account.base58)\(amount)"))
                }
            case "token.setAuthority":
                if !control.allowSetAuthority {
                    reasons.append(PolicyReason(.deny, "control_set_authority", "\(at) gives authority over \(change.account.base58) to \(target)"))
                }
            case "token.closeAccount":
                if change.newAuthority != agent, !control.allowCloseToForeign {
                    reasons.append(PolicyReason(.deny, "control_close_to_foreign", "\(at) closes token account \(change.account.base58) and sends its lamports to \(target)"))
                }
            default:
                reasons.append(PolicyReason(.deny, "control_unknown", "\(at) changes control of \(change.account.base58) (\(change.kind))"))
            }
        }
        // effects.opaqueCallsWithSigner needs no rule of its own: a call can
        // only reach an undecoded program on the allow-list, which the owner
        // trusts with the agent's signature.
    }

    static func checkDestinations(_ policy: CompiledPolicy, _ effects: EffectsSummary, into reasons: inout [PolicyReason]) {
        for outflow in effects.outflows {
            guard let destination = outflow.destination else { continue }
            if policy.destinationDeny.contains(destination) {
                reasons.append(PolicyReason(.deny, "destination_denied", "instruction \(outflow.position) sends to \(destination.base58), which the policy denies"))
            } else if policy.destinationAllowListActive, !policy.destinationAllow.contains(destination) {
                reasons.append(PolicyReason(.deny, "destination_not_allowed", "instruction \(outflow.position) sends to \(destination.base58), which is not on the policy's allow-list"))
            }
        }
    }

    static func checkAmounts(
        _ policy: CompiledPolicy, _ effects: EffectsSummary, book: SpendingBook, now: UInt64,
        reasons: inout [PolicyReason], outflows: inout [AssetKey: UInt64]
    ) {
        var totals: [AssetKey: UInt64] = [:]
        func add(_ asset: AssetKey, _ amount: UInt64) {
            let (sum, overflow) = (totals[asset] ?? 0).addingReportingOverflow(amount)
            totals[asset] = overflow ? .max : sum
        }
        for total in effects.totals {
            switch total.asset {
            case .unknownMint(let program):
                reasons.append(PolicyReason(.deny, "unknown_mint", "a plain token Transfer through \(program.base58) names no mint, so its asset cannot be judged (use TransferChecked)"))
            case .sol:
                if total.unbounded {
                    reasons.append(PolicyReason(.deny, "unbounded_outflow", "an instruction sends an amount of SOL the transaction alone does not determine"))
                }
                add(.sol, total.amount)
            case .token(let mint):
                if total.unbounded {
                    reasons.append(PolicyReason(.deny, "unbounded_outflow", "an instruction sends an amount of \(policy.text(0, of: .mint(mint)).split(separator: " ").last ?? "") the transaction alone does not determine"))
                }
                add(.mint(mint), total.amount)
            }
        }
        if effects.signerIsFeePayer {
            add(.sol, effects.maxFeeLamports)
            if let cap = policy.maxFeeLamports, effects.maxFeeLamports > cap {
                reasons.append(PolicyReason(.deny, "fee_cap_exceeded",
                    "the fee can reach \(policy.text(effects.maxFeeLamports, of: .sol)) (base \(effects.baseFeeLamports) + priority \(effects.priorityFeeLamports) lamports); the cap is \(policy.text(cap, of: .sol))"))
            }
        }
        outflows = totals.filter { $0.value > 0 }
        for (asset, amount) in outflows.sorted(by: { $0.key < $1.key }) {
            guard let limits = policy.limits(for: asset) else {
                reasons.append(PolicyReason(.deny, "asset_not_allowed", "the transaction sends \(policy.text(amount, of: asset)), an asset the policy does not allow"))
                continue
            }
            if let perTransaction = limits.perTransaction, amount > perTransaction {
                reasons.append(PolicyReason(.deny, "per_transaction_limit_exceeded",
                    "\(limits.text(amount)) in one transaction; the limit is \(limits.text(perTransaction))"))
            }
            for window in limits.windows {
                let spent = book.spent(asset, inLast: window.seconds, now: now)
                let (after, overflow) = spent.addingReportingOverflow(amount)
                if overflow || after > window.amount {
                    reasons.append(PolicyReason(.deny, "window_\(AmountText.duration(window.seconds))_exceeded",
                        "\(limits.text(amount)) would bring the \(AmountText.spokenDuration(window.seconds)) total to \(overflow ? "more than \(limits.text(.max))" : limits.text(after)), limit \(limits.text(window.amount))"))
                }
            }
            if let threshold = limits.approvalThreshold, amount > threshold {
                reasons.append(PolicyReason(.approval, "approval_required",
                    "\(limits.text(amount)) is above the approval threshold of \(limits.text(threshold)); the owner must approve a proposal"))
            }
        }
    }
}
