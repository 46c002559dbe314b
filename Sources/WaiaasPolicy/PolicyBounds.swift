import WaiaasProto

/// How much one policy may name. A policy arrives in a SetPolicy request,
/// and the daemon checks its owners' signatures before it compiles it; the
/// bounds still matter because compiling is not free (every destination is
/// expanded with its associated token account for every mint, two program
/// derived address searches per pair) and because a signed policy is
/// compiled again at every start. Generous for any real wallet; docs/POLICY.md
/// lists them.
public enum PolicyBounds {
    public static let assets = 64
    public static let windowsPerAsset = 8
    public static let programs = 256
    /// Destination keys, allow and deny lists together.
    public static let destinations = 1_024
    /// Destination keys times the mints the policy names: the associated
    /// token accounts compilation derives (twice: SPL Token and Token-2022).
    public static let destinationMintPairs = 4_096
    public static let rateLimits = 16
    public static let activeHours = 32
    public static let offchainPrefixes = 64
    public static let offchainDomains = 64
    public static let allowedInstructions = 64
    /// The longest window or rate-limit period: ten years, so that every
    /// time computed from one (in milliseconds, against the clock) fits.
    public static let longestPeriodSeconds: UInt64 = 3_650 * 86_400

    /// One problem per bound the policy exceeds.
    static func problems(_ policy: Policy) -> [String] {
        var problems: [String] = []
        func check(_ count: Int, _ bound: Int, _ what: String) {
            if count > bound { problems.append("\(what): \(count) named, at most \(bound)") }
        }
        check(policy.assets.count, Self.assets, "assets")
        for rule in policy.assets {
            check(rule.windows.count, Self.windowsPerAsset, "windows of one asset")
        }
        check(policy.programs?.allowed.count ?? 0, Self.programs, "programs.allow")
        let destinationCount = (policy.destinations?.allow.count ?? 0) + (policy.destinations?.deny.count ?? 0)
        check(destinationCount, Self.destinations, "destinations (allow and deny)")
        let mintCount = policy.assets.filter { !$0.mint.isEmpty }.count
        check(destinationCount * mintCount, Self.destinationMintPairs, "destinations times mints")
        check(policy.rateLimits.count, Self.rateLimits, "rate_limits")
        check(policy.activeHours.count, Self.activeHours, "active_hours")
        check(policy.offchain?.allowedPrefixes.count ?? 0, Self.offchainPrefixes, "offchain.prefixes")
        check(policy.offchain?.allowedDomains.count ?? 0, Self.offchainDomains, "offchain.domains")
        check(policy.control?.allowInstructions.count ?? 0, Self.allowedInstructions, "control.allow_instructions")
        check(policy.propose?.programs?.allowed.count ?? 0, Self.programs, "propose.programs.allow")
        let periods = policy.assets.flatMap { $0.windows.map(\.seconds) } + policy.rateLimits.map(\.seconds)
        if let longest = periods.max(), longest > longestPeriodSeconds {
            problems.append("a window or rate-limit period of \(longest) seconds, at most \(longestPeriodSeconds) (ten years)")
        }
        return problems
    }
}
