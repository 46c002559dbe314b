// proto3 enums are open: a value this build does not name still round-trips,
// so they are structs over the raw value rather than Swift enums.

/// What the policy decided about a request.
public struct Decision: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = Decision(rawValue: 0)
    public static let allow = Decision(rawValue: 1)
    public static let deny = Decision(rawValue: 2)
    public static let approvalRequired = Decision(rawValue: 3)

    /// The lower-case name the CLI prints: `allow`, `deny`, `approval_required`.
    public var description: String {
        switch self {
        case .allow: "allow"
        case .deny: "deny"
        case .approvalRequired: "approval_required"
        case .unspecified: "unspecified"
        default: "decision_\(rawValue)"
        }
    }
}

/// Where the daemon runs, as an attestation report states it.
public struct Platform: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = Platform(rawValue: 0)
    public static let software = Platform(rawValue: 1)
    public static let nitro = Platform(rawValue: 2)

    public var description: String {
        switch self {
        case .software: "software"
        case .nitro: "nitro"
        case .unspecified: "unspecified"
        default: "platform_\(rawValue)"
        }
    }
}

/// What a call to a program outside the allow-list gets.
public struct UnlistedProgramAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let deny = UnlistedProgramAction(rawValue: 0)
    public static let approval = UnlistedProgramAction(rawValue: 1)

    /// Policies refuse enum values this build does not name (fail closed).
    public var isKnown: Bool { self == .deny || self == .approval }
    public var description: String { self == .approval ? "approval" : self == .deny ? "deny" : "unknown_\(rawValue)" }
}
