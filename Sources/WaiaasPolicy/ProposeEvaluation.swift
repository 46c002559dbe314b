import WaiaasSolana

/// What Propose asks the policy about: the programs the vault's transaction
/// calls, and the lamports the agent pays to put it before the owners.
public struct ProposalSubject: Sendable, Equatable {
    /// Every program the vault's transaction calls, in first-use order.
    public var innerPrograms: [PublicKey]
    /// Rent of the VaultTransaction and Proposal accounts the agent creates.
    public var rentLamports: UInt64
    /// The outer transaction's fee (the agent pays it).
    public var feeLamports: UInt64

    public init(innerPrograms: [PublicKey], rentLamports: UInt64, feeLamports: UInt64) {
        self.innerPrograms = innerPrograms
        self.rentLamports = rentLamports
        self.feeLamports = feeLamports
    }

    /// What the agent's SOL balance loses, saturating.
    public var costLamports: UInt64 {
        let (sum, overflow) = rentLamports.addingReportingOverflow(feeLamports)
        return overflow ? .max : sum
    }
}

extension PolicyEngine {
    /// The policy on running an approved proposal: the owners approved what
    /// the vault does, so what is judged is the agent's own spend, the fee,
    /// as SOL it sends (limits and windows) and the signature (`rate_limits`).
    public static func evaluateExecution(policy: CompiledPolicy?, feeLamports: UInt64, book: SpendingBook, nowMilliseconds now: UInt64) -> PolicyEvaluation {
        evaluateBuilt(policy: policy, costLamports: feeLamports, feeLamports: feeLamports, book: book, now: now, rules: { _, _ in }) { policy in
            PolicyReason(.allow, .executed, "runs a proposal the owners approved; the agent pays the fee of \(policy.text(feeLamports, of: .sol))")
        }
    }

    /// The policy on one proposal. A proposal asks the owners instead of
    /// signing the vault's transaction, so its amounts are theirs to judge;
    /// what is judged here is what the agent's own signature spends and how
    /// often it asks. The cost counts as SOL the agent sends (per-transaction
    /// limit and windows), the proposal as a signature (`rate_limits`), and
    /// the `propose` rules apply. Pure, like `evaluate`.
    public static func evaluateProposal(
        policy: CompiledPolicy?, subject: ProposalSubject, book: SpendingBook, nowMilliseconds now: UInt64
    ) -> PolicyEvaluation {
        evaluateBuilt(policy: policy, costLamports: subject.costLamports, feeLamports: subject.feeLamports, book: book, now: now, rules: { policy, reasons in
            let rules = policy.propose
            for program in subject.innerPrograms where !rules.allowedPrograms.contains(program) {
                let name = ProgramIds.names[program].map { "\($0) (\(program.base58))" } ?? program.base58
                reasons.append(PolicyReason(.deny, .proposeProgramNotAllowed, "the vault's transaction calls \(name), which propose.programs does not list"))
            }
            if subject.costLamports > rules.maxLamports {
                reasons.append(PolicyReason(.deny, .proposeCostExceeded,
                    "the proposal costs the agent \(policy.text(subject.costLamports, of: .sol)) (rent \(subject.rentLamports) + fee \(subject.feeLamports) lamports); propose.max_sol is \(policy.text(rules.maxLamports, of: .sol))"))
            }
            let made = book.proposalCount(inLast: rules.rate.seconds, now: now)
            if made + 1 > UInt64(rules.rate.maxProposals) {
                reasons.append(PolicyReason(.deny, .proposeRateExceeded(seconds: rules.rate.seconds),
                    "\(made) proposals in the last \(AmountText.spokenDuration(rules.rate.seconds)); propose.rate_limit allows \(rules.rate.maxProposals)"))
            }
        }) { policy in
            PolicyReason(.allow, .proposed, "a proposal for the owners, costing the agent \(policy.text(subject.costLamports, of: .sol)) in rent and fees")
        }
    }

    /// What Propose and ExecuteProposal share: no policy denies; validity and
    /// active hours apply; `rules` adds the call's own reasons; the cost
    /// counts as SOL the agent sends and the call as a signature; an approval
    /// threshold does not apply (the owners are already the approval).
    private static func evaluateBuilt(
        policy: CompiledPolicy?, costLamports: UInt64, feeLamports: UInt64, book: SpendingBook, now: UInt64,
        rules: (CompiledPolicy, inout [PolicyReason]) -> Void, allowed: (CompiledPolicy) -> PolicyReason
    ) -> PolicyEvaluation {
        guard let policy else {
            let reason = PolicyReason(.deny, .noPolicy, "no policy is in force: the owner has not set one, and the default is to deny")
            return PolicyEvaluation(decision: .deny, reasons: [reason], outflows: [:], maxFeeLamports: 0)
        }
        var reasons: [PolicyReason] = []
        checkValidity(policy, now: now, into: &reasons)
        checkHours(policy, now: now, into: &reasons)
        rules(policy, &reasons)
        let outflows: [AssetKey: UInt64] = costLamports > 0 ? [.sol: costLamports] : [:]
        TransactionRules.checkLimits(policy, outflows, book: book, now: now, into: &reasons)
        checkRate(policy, book: book, now: now, into: &reasons)
        reasons.removeAll { $0.effect == .approval }
        if reasons.contains(where: { $0.effect == .deny }) {
            return PolicyEvaluation(decision: .deny, reasons: reasons, outflows: outflows, maxFeeLamports: feeLamports)
        }
        reasons.append(allowed(policy))
        return PolicyEvaluation(decision: .allow, reasons: reasons, outflows: outflows, maxFeeLamports: feeLamports)
    }
}
