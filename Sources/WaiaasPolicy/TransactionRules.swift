import WaiaasSolana

/// The rules that judge a transaction's effects.
enum TransactionRules {
    static func check(
        _ policy: CompiledPolicy, _ effects: EffectsSummary, agent: PublicKey, book: SpendingBook, now: UInt64,
        reasons: inout [PolicyReason], outflows: inout [AssetKey: UInt64]
    ) {
        if !effects.signerMustSign {
            reasons.append(PolicyReason(.deny, .agentNotSigner, "the agent \(agent.base58) is not a required signer of this transaction"))
        }
        for problem in effects.lookupTableProblems {
            reasons.append(PolicyReason(.deny, lookupCode(problem.kind), "lookup table \(problem.table.base58): \(problem.detail)"))
        }
        if !effects.instructionsUsingLoadedAccounts.isEmpty, effects.lookupTableProblems.isEmpty {
            let list = effects.instructionsUsingLoadedAccounts.map(String.init).joined(separator: ", ")
            reasons.append(PolicyReason(.deny, .lookupTableUnverified,
                "instruction(s) \(list) name accounts loaded from an address lookup table; the daemon has no verified copy of the table (no RPC endpoint is configured), and what a caller says a table holds is not evidence, so their destination, mint, owner or authority cannot be known"))
        }
        for problem in effects.invalidInstructions {
            reasons.append(PolicyReason(.deny, .undecodableInstruction,
                "instruction \(problem.position) for \(problem.programId.base58) could not be decoded (\(problem.code)): \(problem.detail)"))
        }
        checkPrograms(policy, effects, into: &reasons)
        checkControl(policy, effects, agent: agent, into: &reasons)
        if effects.durableNonce != nil, !policy.policy.allowDurableNonce {
            reasons.append(PolicyReason(.deny, .durableNonceNotAllowed, "the transaction uses a durable nonce (valid until used), which the policy does not allow"))
        }
        checkDestinations(policy, effects, into: &reasons)
        let simulated = checkSimulation(policy, effects, into: &reasons)
        checkAmounts(policy, effects, simulated: simulated, book: book, now: now, reasons: &reasons, outflows: &outflows)
    }

    static func lookupCode(_ kind: LookupTableProblem.Kind) -> ReasonCode {
        switch kind {
        case .notFound: .lookupTableNotFound
        case .deactivated: .lookupTableDeactivated
        case .indexOutOfRange: .lookupTableIndexOutOfRange
        case .mismatch: .lookupTableMismatch
        case .disagreement: .rpcDisagreement
        case .unavailable: .rpcUnavailable
        }
    }

    static func checkPrograms(_ policy: CompiledPolicy, _ effects: EffectsSummary, into reasons: inout [PolicyReason]) {
        for program in effects.programs where !policy.allowedPrograms.contains(program) {
            let name = ProgramIds.names[program].map { " (\($0))" } ?? ""
            if policy.unlistedProgramsNeedApproval {
                reasons.append(PolicyReason(.approval, .programNeedsApproval, "program \(program.base58)\(name) is not on the allow-list; the owner must approve"))
            } else {
                reasons.append(PolicyReason(.deny, .programNotAllowed, "program \(program.base58)\(name) is not on the policy's allow-list"))
            }
        }
    }

    /// Instructions that hand control of the agent's funds to someone else,
    /// and instructions whose effect is not modelled.
    static func checkControl(_ policy: CompiledPolicy, _ effects: EffectsSummary, agent: PublicKey, into reasons: inout [PolicyReason]) {
        let control = policy.control
        for change in effects.authorityChanges {
            let target = change.newAuthority?.base58 ?? "nobody"
            let at = "instruction \(change.position) (\(change.instruction))"
            let code = ReasonCode.control(change.kind)
            let sentence: String
            switch change.kind {
            case .assign:
                if control.allowAssign { continue }
                sentence = "\(at) assigns account \(change.account.base58) to program \(target)"
            case .allocate:
                if control.allowAllocate { continue }
                sentence = "\(at) allocates data in the agent's account \(change.account.base58)"
            case .nonceAuthority:
                if control.allowNonceAuthorityChange { continue }
                sentence = "\(at) makes \(target) the authority of nonce account \(change.account.base58)"
            case .tokenApprove:
                if control.allowTokenApprove { continue }
                let amount = change.amount.map { " for \($0) base units" } ?? ""
                sentence = "\(at) lets \(target) spend from token account \(change.account.base58)\(amount)"
            case .setAuthority:
                if control.allowSetAuthority { continue }
                sentence = "\(at) gives authority over \(change.account.base58) to \(target)"
            case .closeAccount:
                if change.newAuthority == agent || control.allowCloseToForeign { continue }
                sentence = "\(at) closes token account \(change.account.base58) and sends its lamports to \(target)"
            case .confidentialTransfer:
                if policy.allowedInstructions.contains(change.instruction) { continue }
                sentence = "\(at) uses a confidential balance, whose amounts no later check can see; allow it by name in control.allow_instructions"
            case .cpiGuardDisable:
                if policy.allowedInstructions.contains(change.instruction) { continue }
                sentence = "\(at) disables the CPI guard of \(change.account.base58), a protection of the agent's token account"
            case .memoTransferDisable:
                if policy.allowedInstructions.contains(change.instruction) { continue }
                sentence = "\(at) disables required memos on \(change.account.base58), a protection of the agent's token account"
            }
            reasons.append(PolicyReason(.deny, code, sentence))
        }
        for use in effects.unmodelledInstructions where !policy.allowedInstructions.contains(use.instruction) {
            reasons.append(PolicyReason(.deny, .instructionNotClassified,
                "instruction \(use.position) (\(use.instruction)) names the agent, and the daemon does not model what it does; the policy must name it in control.allow_instructions"))
        }
        // effects.opaqueCallsWithSigner needs no rule of its own: a call can
        // only reach an undecoded program on the allow-list, which the owner
        // trusts with the agent's signature.
    }

    static func checkDestinations(_ policy: CompiledPolicy, _ effects: EffectsSummary, into reasons: inout [PolicyReason]) {
        for outflow in effects.outflows {
            guard let destination = outflow.destination else { continue }
            if policy.destinationDeny.contains(destination) {
                reasons.append(PolicyReason(.deny, .destinationDenied, "instruction \(outflow.position) sends to \(destination.base58), which the policy denies"))
            } else if policy.destinationAllowListActive, !policy.destinationAllow.contains(destination) {
                reasons.append(PolicyReason(.deny, .destinationNotAllowed, "instruction \(outflow.position) sends to \(destination.base58), which is not on the policy's allow-list"))
            }
        }
    }

    /// With `"simulate": true`, the simulated decreases to count beside the
    /// static outflows; a simulation that did not run or failed denies.
    static func checkSimulation(_ policy: CompiledPolicy, _ effects: EffectsSummary, into reasons: inout [PolicyReason]) -> [Asset: UInt64] {
        guard policy.policy.simulate else { return [:] }
        switch effects.simulation {
        case nil:
            reasons.append(PolicyReason(.deny, .simulationUnavailable, "the policy requires simulation and the daemon has no RPC endpoint to simulate with"))
        case .unavailable(let why):
            reasons.append(PolicyReason(.deny, .simulationUnavailable, "the policy requires simulation, which could not be run: \(why)"))
        case .disagreement(let why):
            reasons.append(PolicyReason(.deny, .rpcDisagreement, "the RPC endpoints simulated the transaction differently: \(why)"))
        case .failed(let why):
            reasons.append(PolicyReason(.deny, .simulationFailed, "the transaction fails in simulation: \(why)"))
        case .simulated(let decreases, _):
            return decreases
        }
        return [:]
    }

    static func checkAmounts(
        _ policy: CompiledPolicy, _ effects: EffectsSummary, simulated: [Asset: UInt64] = [:], book: SpendingBook, now: UInt64,
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
                reasons.append(PolicyReason(.deny, .unknownMint, "a plain token Transfer through \(program.base58) names no mint, so its asset cannot be judged (use TransferChecked)"))
            case .sol:
                if total.unbounded {
                    reasons.append(PolicyReason(.deny, .unboundedOutflow, "an instruction sends an amount of SOL the transaction alone does not determine"))
                }
                add(.sol, total.amount)
            case .token(let mint):
                if total.unbounded {
                    reasons.append(PolicyReason(.deny, .unboundedOutflow, "an instruction sends an amount of \(policy.text(0, of: .mint(mint)).split(separator: " ").last ?? "") the transaction alone does not determine"))
                }
                add(.mint(mint), total.amount)
            }
        }
        if effects.signerIsFeePayer {
            add(.sol, effects.maxFeeLamports)
            if let cap = policy.maxFeeLamports, effects.maxFeeLamports > cap {
                reasons.append(PolicyReason(.deny, .feeCapExceeded,
                    "the fee can reach \(policy.text(effects.maxFeeLamports, of: .sol)) (base \(effects.baseFeeLamports) + priority \(effects.priorityFeeLamports) lamports); the cap is \(policy.text(cap, of: .sol))"))
            }
        }
        // Whichever is worse counts: what the bytes say leaves, or what the
        // simulation shows the agent's accounts lose.
        for (asset, decrease) in simulated {
            let key: AssetKey
            switch asset {
            case .sol: key = .sol
            case .token(let mint): key = .mint(mint)
            case .unknownMint: continue
            }
            totals[key] = max(totals[key] ?? 0, decrease)
        }
        outflows = totals.filter { $0.value > 0 }
        checkLimits(policy, outflows, book: book, now: now, into: &reasons)
    }

    /// Each asset's rule against what leaves: allowed at all, the
    /// per-transaction limit, every window, the approval threshold.
    static func checkLimits(_ policy: CompiledPolicy, _ outflows: [AssetKey: UInt64], book: SpendingBook, now: UInt64, into reasons: inout [PolicyReason]) {
        for (asset, amount) in outflows.sorted(by: { $0.key < $1.key }) {
            guard let limits = policy.limits(for: asset) else {
                reasons.append(PolicyReason(.deny, .assetNotAllowed, "the transaction sends \(policy.text(amount, of: asset)), an asset the policy does not allow"))
                continue
            }
            if let perTransaction = limits.perTransaction, amount > perTransaction {
                reasons.append(PolicyReason(.deny, .perTransactionLimitExceeded,
                    "\(limits.text(amount)) in one transaction; the limit is \(limits.text(perTransaction))"))
            }
            for window in limits.windows {
                let spent = book.spent(asset, inLast: window.seconds, now: now)
                let (after, overflow) = spent.addingReportingOverflow(amount)
                if overflow || after > window.amount {
                    reasons.append(PolicyReason(.deny, .windowExceeded(seconds: window.seconds),
                        "\(limits.text(amount)) would bring the \(AmountText.spokenDuration(window.seconds)) total to \(overflow ? "more than \(limits.text(.max))" : limits.text(after)), limit \(limits.text(window.amount))"))
                }
            }
            if let threshold = limits.approvalThreshold, amount > threshold {
                reasons.append(PolicyReason(.approval, .approvalRequired,
                    "\(limits.text(amount)) is above the approval threshold of \(limits.text(threshold)); the owner must approve a proposal"))
            }
        }
    }
}
