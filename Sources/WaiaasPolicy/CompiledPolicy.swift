import Foundation
import WaiaasProto
import WaiaasSolana

/// A validated policy, with everything precomputed that evaluation needs
/// (so evaluation stays a pure function of microseconds).
public struct CompiledPolicy: Sendable {
    public struct AssetLimits: Sendable {
        public var asset: AssetKey
        public var symbol: String
        public var decimals: UInt32
        public var perTransaction: UInt64?
        public var windows: [WindowLimit]
        public var approvalThreshold: UInt64?

        public func text(_ amount: UInt64) -> String { AmountText.format(amount, decimals: decimals, symbol: symbol) }
    }

    public struct HoursRule: Sendable {
        public var timeZone: TimeZone
        public var weekdays: Set<UInt32>
        public var startMinute: UInt32
        public var endMinute: UInt32
        public var source: ActiveHours
    }

    public let policy: Policy
    public let assets: [AssetKey: AssetLimits]
    public let allowedPrograms: Set<PublicKey>
    public let unlistedProgramsNeedApproval: Bool
    public let control: ControlRule
    /// `control.allow_instructions`: instruction names allowed although not modelled or handing over control.
    public let allowedInstructions: Set<String>
    public let offchain: OffchainRule
    public let maxFeeLamports: UInt64?
    public let rateLimits: [RateLimit]
    public let hours: [HoursRule]
    /// Destination lists, each expanded with the associated token accounts of
    /// its keys for every mint the policy names (SPL Token and Token-2022).
    public let destinationAllow: Set<PublicKey>
    public let destinationDeny: Set<PublicKey>
    public let destinationAllowListActive: Bool
    /// The longest window any rule looks back over, for pruning history.
    public let longestWindowSeconds: UInt64
    /// Propose's own rules (the defaults when the policy has no `propose` section).
    public let propose: ProposeRules
    /// The `x402` rule, when the policy has one.
    public let x402: X402Limits?

    /// The programs a policy allows with `include_defaults`.
    public static let defaultPrograms: [PublicKey] = [
        ProgramIds.system, ProgramIds.computeBudget, ProgramIds.token, ProgramIds.token2022,
        ProgramIds.associatedToken, ProgramIds.memo, ProgramIds.memoV1,
    ]

    public static let supportedFormat: UInt32 = 1

    /// Decodes `bytes` strictly (unknown fields and enum values refused) and validates.
    public static func decode(_ bytes: [UInt8]) throws(PolicyError) -> CompiledPolicy {
        let policy: Policy
        do {
            policy = try Policy(serializedBytes: bytes)
        } catch {
            throw PolicyError.invalidPolicy([error.description])
        }
        return try CompiledPolicy(policy)
    }

    public init(_ policy: Policy) throws(PolicyError) {
        // Past a bound nothing else is looked at: the rest of validation
        // (address derivations above all) costs in proportion to the lists.
        let exceeded = PolicyBounds.problems(policy)
        guard exceeded.isEmpty else { throw PolicyError.invalidPolicy(exceeded) }
        var problems: [String] = []
        if policy.format != Self.supportedFormat {
            problems.append("format \(policy.format) is not supported (this daemon reads format \(Self.supportedFormat))")
        }
        var assets: [AssetKey: AssetLimits] = [:]
        for rule in policy.assets {
            guard rule.mint.isEmpty || rule.mint.count == 32 else {
                problems.append("asset mint must be empty (SOL) or 32 bytes, got \(rule.mint.count)")
                continue
            }
            let key = AssetKey(bytes: rule.mint)
            if assets[key] != nil { problems.append("asset \(key) is listed twice") }
            if rule.decimals > 19 { problems.append("asset \(key): decimals \(rule.decimals) is more than 19") }
            // SOL is always shown as SOL with 9 decimals: anything else would
            // make reasons and `policy show` misstate the amounts.
            if key.isSOL, ![0, 9].contains(rule.decimals) || !["", "SOL"].contains(rule.symbol) {
                problems.append("asset SOL: symbol \"\(rule.symbol)\" and decimals \(rule.decimals); SOL is SOL with 9 decimals")
            }
            if rule.windows.contains(where: { $0.seconds == 0 }) {
                problems.append("asset \(key): a window of 0 seconds")
            }
            let symbol = rule.symbol.isEmpty ? (key.isSOL ? "SOL" : String(key.description.prefix(8))) : rule.symbol
            let decimals = key.isSOL && rule.decimals == 0 ? 9 : rule.decimals
            assets[key] = AssetLimits(
                asset: key, symbol: symbol, decimals: decimals, perTransaction: rule.perTransaction?.value,
                windows: rule.windows.sorted { $0.seconds < $1.seconds }, approvalThreshold: rule.approvalThreshold?.value)
        }

        var programs: Set<PublicKey> = []
        let programRule = policy.programs ?? ProgramRule(includeDefaults: true)
        if programRule.includeDefaults { programs.formUnion(Self.defaultPrograms) }
        for id in programRule.allowed {
            guard let key = PublicKey(bytes: id) else {
                problems.append("program id must be 32 bytes, got \(id.count)")
                continue
            }
            programs.insert(key)
        }

        var hours: [HoursRule] = []
        for rule in policy.activeHours {
            guard let zone = TimeZone(identifier: rule.timeZone) else {
                problems.append("active hours: unknown time zone \"\(rule.timeZone)\"")
                continue
            }
            if rule.startMinute >= 1440 || rule.endMinute > 1440 || rule.startMinute == rule.endMinute {
                problems.append("active hours: start \(rule.startMinute) and end \(rule.endMinute) must be distinct minutes of the day (0-1440)")
            }
            for day in rule.weekdays where !(1...7).contains(day) {
                problems.append("active hours: weekday \(day) is not 1 (Monday) to 7 (Sunday)")
            }
            hours.append(HoursRule(timeZone: zone, weekdays: Set(rule.weekdays), startMinute: rule.startMinute, endMinute: rule.endMinute, source: rule))
        }

        if policy.rateLimits.contains(where: { $0.seconds == 0 }) {
            problems.append("rate limit: a window of 0 seconds")
        }
        if let validity = policy.validity, validity.notAfter != 0, validity.notBefore > validity.notAfter {
            problems.append("validity: not_before is after not_after")
        }
        let offchain = policy.offchain ?? OffchainRule()
        for domain in offchain.allowedDomains where domain.count != 32 {
            problems.append("off-chain: an application domain must be 32 bytes, got \(domain.count)")
        }

        var allow: Set<PublicKey> = []
        var deny: Set<PublicKey> = []
        let destinationRule = policy.destinations ?? DestinationRule()
        let mints = assets.keys.compactMap(\.mint)
        for (list, target) in [(destinationRule.allow, 0), (destinationRule.deny, 1)] {
            for raw in list {
                guard let key = PublicKey(bytes: raw) else {
                    problems.append("destination must be 32 bytes, got \(raw.count)")
                    continue
                }
                var expanded: Set<PublicKey> = [key]
                for mint in mints {
                    for program in [ProgramIds.token, ProgramIds.token2022] {
                        if let ata = ProgramAddress.associatedTokenAddress(wallet: key, mint: mint, tokenProgram: program) {
                            expanded.insert(ata)
                        }
                    }
                }
                if target == 0 { allow.formUnion(expanded) } else { deny.formUnion(expanded) }
            }
        }

        let allowedInstructions = policy.control?.allowInstructions ?? []
        for name in allowedInstructions where InstructionNames.allowable[name] == nil {
            problems.append("control.allow_instructions: \"\(name)\" is not an instruction a policy can allow by name (docs/POLICY.md lists them)")
        }

        let propose = ProposeRules(policy.propose, problems: &problems)
        let x402 = X402Limits(policy.x402, assets: assets, problems: &problems)

        guard problems.isEmpty else { throw PolicyError.invalidPolicy(problems) }

        self.policy = policy
        self.assets = assets
        self.allowedPrograms = programs
        self.unlistedProgramsNeedApproval = programRule.unlisted == .approval
        self.control = policy.control ?? ControlRule()
        self.allowedInstructions = Set(allowedInstructions)
        self.offchain = offchain
        self.maxFeeLamports = policy.maxFeeLamports?.value
        self.rateLimits = policy.rateLimits
        self.hours = hours
        self.destinationAllow = allow
        self.destinationDeny = deny
        self.propose = propose
        self.x402 = x402
        self.destinationAllowListActive = !destinationRule.allow.isEmpty
        let windowMax = assets.values.flatMap { $0.windows.map(\.seconds) }.max() ?? 0
        self.longestWindowSeconds = max(windowMax, policy.rateLimits.map(\.seconds).max() ?? 0)
    }

    public func limits(for asset: AssetKey) -> AssetLimits? { assets[asset] }

    /// How an asset is shown when the policy does not name it.
    public func text(_ amount: UInt64, of asset: AssetKey) -> String {
        if let limits = assets[asset] { return limits.text(amount) }
        return asset.isSOL ? AmountText.format(amount, decimals: 9, symbol: "SOL") : "\(amount) base units of \(asset)"
    }
}
