import WaiaasProto
import WaiaasSolana

/// The policy's `propose` section, compiled (docs/POLICY.md, "propose").
/// Propose puts a transaction before the owners instead of signing it, so
/// what the agent's own signature spends is only the rent and fee of the
/// proposal; these rules bound how often it may ask, what it may ask the
/// vault to call, and that spend.
public struct ProposeRules: Sendable, Equatable {
    public static let defaultRate = ProposalRate(seconds: 3_600, maxProposals: 10)
    public static let defaultMaxLamports: UInt64 = 50_000_000

    /// At most `rate.maxProposals` proposals in any `rate.seconds`.
    public var rate: ProposalRate
    /// The programs the vault's transaction may call.
    public var allowedPrograms: Set<PublicKey>
    /// Lamports the agent may pay for one proposal (rent of its two accounts and the fee).
    public var maxLamports: UInt64

    /// The rules of `rule`, or the defaults where it says nothing; `problems`
    /// collects what cannot be put in force.
    init(_ rule: ProposeRule?, problems: inout [String]) {
        rate = rule?.rate ?? Self.defaultRate
        if rate.seconds == 0 || rate.seconds > PolicyBounds.longestPeriodSeconds {
            problems.append("propose.rate_limit: a period of \(rate.seconds) seconds (1 to \(PolicyBounds.longestPeriodSeconds))")
        }
        if rate.maxProposals == 0 { problems.append("propose.rate_limit: max_proposals 0 would refuse every proposal; leave propose out instead of allowing none") }
        let programs = rule?.programs ?? ProgramRule(includeDefaults: true)
        if programs.unlisted == .approval {
            problems.append("propose.programs: unlisted must be deny (a proposal is already the owners' approval)")
        }
        var allowed: Set<PublicKey> = programs.includeDefaults ? Set(CompiledPolicy.defaultPrograms) : []
        for id in programs.allowed {
            guard let key = PublicKey(bytes: id) else {
                problems.append("propose.programs: a program id must be 32 bytes, got \(id.count)")
                continue
            }
            allowed.insert(key)
        }
        allowedPrograms = allowed
        maxLamports = rule?.maxLamports?.value ?? Self.defaultMaxLamports
    }
}
