// Swift values for the messages of Protos/waiaas/v1/policy.proto.
internal import CProtobufC
internal import CWaiaasProto

/// The owner's policy (Protos/waiaas/v1/policy.proto). Decoding refuses unknown fields at every level.
public struct Policy: CBackedMessage {
    public static let protoName = "waiaas.v1.Policy"
    public var format: UInt32
    public var name: String
    public var assets: [AssetRule]
    public var programs: ProgramRule?
    public var control: ControlRule?
    public var allowDurableNonce: Bool
    public var offchain: OffchainRule?
    public var maxFeeLamports: Amount?
    public var rateLimits: [RateLimit]
    public var validity: Validity?
    public var activeHours: [ActiveHours]
    public var destinations: DestinationRule?

    public init(format: UInt32 = 0, name: String = "", assets: [AssetRule] = [], programs: ProgramRule? = nil, control: ControlRule? = nil, allowDurableNonce: Bool = false, offchain: OffchainRule? = nil, maxFeeLamports: Amount? = nil, rateLimits: [RateLimit] = [], validity: Validity? = nil, activeHours: [ActiveHours] = [], destinations: DestinationRule? = nil) {
        self.format = format
        self.name = name
        self.assets = assets
        self.programs = programs
        self.control = control
        self.allowDurableNonce = allowDurableNonce
        self.offchain = offchain
        self.maxFeeLamports = maxFeeLamports
        self.rateLimits = rateLimits
        self.validity = validity
        self.activeHours = activeHours
        self.destinations = destinations
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Policy
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__policy__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__policy__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "Policy carries fields this daemon does not know") }
        format = c.pointee.format
        name = try copyString(c.pointee.name, field: "Policy.name")
        assets = try copyRepeated(c.pointee.n_assets, c.pointee.assets, as: AssetRule.self)
        programs = try copyOptional(c.pointee.programs, as: ProgramRule.self)
        control = try copyOptional(c.pointee.control, as: ControlRule.self)
        allowDurableNonce = c.pointee.allow_durable_nonce != 0
        offchain = try copyOptional(c.pointee.offchain, as: OffchainRule.self)
        maxFeeLamports = try copyOptional(c.pointee.max_fee_lamports, as: Amount.self)
        rateLimits = try copyRepeated(c.pointee.n_rate_limits, c.pointee.rate_limits, as: RateLimit.self)
        validity = try copyOptional(c.pointee.validity, as: Validity.self)
        activeHours = try copyRepeated(c.pointee.n_active_hours, c.pointee.active_hours, as: ActiveHours.self)
        destinations = try copyOptional(c.pointee.destinations, as: DestinationRule.self)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.format = format
        c.pointee.name = cString(name)
        (c.pointee.n_assets, c.pointee.assets) = cRepeated(assets)
        c.pointee.programs = cOptional(programs)
        c.pointee.control = cOptional(control)
        c.pointee.allow_durable_nonce = allowDurableNonce ? 1 : 0
        c.pointee.offchain = cOptional(offchain)
        c.pointee.max_fee_lamports = cOptional(maxFeeLamports)
        (c.pointee.n_rate_limits, c.pointee.rate_limits) = cRepeated(rateLimits)
        c.pointee.validity = cOptional(validity)
        (c.pointee.n_active_hours, c.pointee.active_hours) = cRepeated(activeHours)
        c.pointee.destinations = cOptional(destinations)
    }
}

/// A present amount; absent means no such limit.
public struct Amount: CBackedMessage {
    public static let protoName = "waiaas.v1.Amount"
    public var value: UInt64

    public init(value: UInt64 = 0) {
        self.value = value
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Amount
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__amount__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__amount__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "Amount carries fields this daemon does not know") }
        value = c.pointee.value
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.value = value
    }
}

/// Limits for one asset (SOL when `mint` is empty).
public struct AssetRule: CBackedMessage {
    public static let protoName = "waiaas.v1.AssetRule"
    public var mint: [UInt8]
    public var symbol: String
    public var decimals: UInt32
    public var perTransaction: Amount?
    public var windows: [WindowLimit]
    public var approvalThreshold: Amount?

    public init(mint: [UInt8] = [], symbol: String = "", decimals: UInt32 = 0, perTransaction: Amount? = nil, windows: [WindowLimit] = [], approvalThreshold: Amount? = nil) {
        self.mint = mint
        self.symbol = symbol
        self.decimals = decimals
        self.perTransaction = perTransaction
        self.windows = windows
        self.approvalThreshold = approvalThreshold
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__AssetRule
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__asset_rule__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__asset_rule__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "AssetRule carries fields this daemon does not know") }
        mint = copyBytes(c.pointee.mint)
        symbol = try copyString(c.pointee.symbol, field: "AssetRule.symbol")
        decimals = c.pointee.decimals
        perTransaction = try copyOptional(c.pointee.per_transaction, as: Amount.self)
        windows = try copyRepeated(c.pointee.n_windows, c.pointee.windows, as: WindowLimit.self)
        approvalThreshold = try copyOptional(c.pointee.approval_threshold, as: Amount.self)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.mint = cBytes(mint)
        c.pointee.symbol = cString(symbol)
        c.pointee.decimals = decimals
        c.pointee.per_transaction = cOptional(perTransaction)
        (c.pointee.n_windows, c.pointee.windows) = cRepeated(windows)
        c.pointee.approval_threshold = cOptional(approvalThreshold)
    }
}

/// At most `amount` in any `seconds`.
public struct WindowLimit: CBackedMessage {
    public static let protoName = "waiaas.v1.WindowLimit"
    public var seconds: UInt64
    public var amount: UInt64

    public init(seconds: UInt64 = 0, amount: UInt64 = 0) {
        self.seconds = seconds
        self.amount = amount
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__WindowLimit
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__window_limit__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__window_limit__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "WindowLimit carries fields this daemon does not know") }
        seconds = c.pointee.seconds
        amount = c.pointee.amount
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.seconds = seconds
        c.pointee.amount = amount
    }
}

/// The programs a transaction may call.
public struct ProgramRule: CBackedMessage {
    public static let protoName = "waiaas.v1.ProgramRule"
    public var allowed: [[UInt8]]
    public var includeDefaults: Bool
    public var unlisted: UnlistedProgramAction

    public init(allowed: [[UInt8]] = [], includeDefaults: Bool = false, unlisted: UnlistedProgramAction = .init(rawValue: 0)) {
        self.allowed = allowed
        self.includeDefaults = includeDefaults
        self.unlisted = unlisted
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__ProgramRule
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__program_rule__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__program_rule__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "ProgramRule carries fields this daemon does not know") }
        allowed = copyRepeatedBytes(c.pointee.n_allowed, c.pointee.allowed)
        includeDefaults = c.pointee.include_defaults != 0
        unlisted = UnlistedProgramAction(rawValue: Int32(c.pointee.unlisted.rawValue))
        guard unlisted.isKnown else { throw ProtoError(.unknownFields, "ProgramRule.unlisted has value \(unlisted.rawValue), unknown to this daemon") }
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        (c.pointee.n_allowed, c.pointee.allowed) = cRepeatedBytes(allowed)
        c.pointee.include_defaults = includeDefaults ? 1 : 0
        c.pointee.unlisted = .init(rawValue: .init(truncatingIfNeeded: unlisted.rawValue))
    }
}

/// Control-transfer instructions the agent may sign.
public struct ControlRule: CBackedMessage {
    public static let protoName = "waiaas.v1.ControlRule"
    public var allowAssign: Bool
    public var allowAllocate: Bool
    public var allowTokenApprove: Bool
    public var allowSetAuthority: Bool
    public var allowCloseToForeign: Bool
    public var allowNonceAuthorityChange: Bool

    public init(allowAssign: Bool = false, allowAllocate: Bool = false, allowTokenApprove: Bool = false, allowSetAuthority: Bool = false, allowCloseToForeign: Bool = false, allowNonceAuthorityChange: Bool = false) {
        self.allowAssign = allowAssign
        self.allowAllocate = allowAllocate
        self.allowTokenApprove = allowTokenApprove
        self.allowSetAuthority = allowSetAuthority
        self.allowCloseToForeign = allowCloseToForeign
        self.allowNonceAuthorityChange = allowNonceAuthorityChange
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__ControlRule
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__control_rule__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__control_rule__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "ControlRule carries fields this daemon does not know") }
        allowAssign = c.pointee.allow_assign != 0
        allowAllocate = c.pointee.allow_allocate != 0
        allowTokenApprove = c.pointee.allow_token_approve != 0
        allowSetAuthority = c.pointee.allow_set_authority != 0
        allowCloseToForeign = c.pointee.allow_close_to_foreign != 0
        allowNonceAuthorityChange = c.pointee.allow_nonce_authority_change != 0
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.allow_assign = allowAssign ? 1 : 0
        c.pointee.allow_allocate = allowAllocate ? 1 : 0
        c.pointee.allow_token_approve = allowTokenApprove ? 1 : 0
        c.pointee.allow_set_authority = allowSetAuthority ? 1 : 0
        c.pointee.allow_close_to_foreign = allowCloseToForeign ? 1 : 0
        c.pointee.allow_nonce_authority_change = allowNonceAuthorityChange ? 1 : 0
    }
}

/// Whether and which off-chain messages may be signed.
public struct OffchainRule: CBackedMessage {
    public static let protoName = "waiaas.v1.OffchainRule"
    public var allowed: Bool
    public var allowedPrefixes: [String]
    public var allowedDomains: [[UInt8]]

    public init(allowed: Bool = false, allowedPrefixes: [String] = [], allowedDomains: [[UInt8]] = []) {
        self.allowed = allowed
        self.allowedPrefixes = allowedPrefixes
        self.allowedDomains = allowedDomains
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__OffchainRule
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__offchain_rule__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__offchain_rule__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "OffchainRule carries fields this daemon does not know") }
        allowed = c.pointee.allowed != 0
        allowedPrefixes = try copyRepeatedStrings(c.pointee.n_allowed_prefixes, c.pointee.allowed_prefixes, field: "OffchainRule.allowed_prefixes")
        allowedDomains = copyRepeatedBytes(c.pointee.n_allowed_domains, c.pointee.allowed_domains)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.allowed = allowed ? 1 : 0
        (c.pointee.n_allowed_prefixes, c.pointee.allowed_prefixes) = cRepeatedStrings(allowedPrefixes)
        (c.pointee.n_allowed_domains, c.pointee.allowed_domains) = cRepeatedBytes(allowedDomains)
    }
}

/// At most `maxSignatures` signatures in any `seconds`.
public struct RateLimit: CBackedMessage {
    public static let protoName = "waiaas.v1.RateLimit"
    public var seconds: UInt64
    public var maxSignatures: UInt32

    public init(seconds: UInt64 = 0, maxSignatures: UInt32 = 0) {
        self.seconds = seconds
        self.maxSignatures = maxSignatures
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__RateLimit
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__rate_limit__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__rate_limit__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "RateLimit carries fields this daemon does not know") }
        seconds = c.pointee.seconds
        maxSignatures = c.pointee.max_signatures
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.seconds = seconds
        c.pointee.max_signatures = maxSignatures
    }
}

/// Unix seconds; 0 is unbounded.
public struct Validity: CBackedMessage {
    public static let protoName = "waiaas.v1.Validity"
    public var notBefore: UInt64
    public var notAfter: UInt64

    public init(notBefore: UInt64 = 0, notAfter: UInt64 = 0) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__Validity
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__validity__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__validity__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "Validity carries fields this daemon does not know") }
        notBefore = c.pointee.not_before
        notAfter = c.pointee.not_after
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.not_before = notBefore
        c.pointee.not_after = notAfter
    }
}

/// Local hours in a named time zone.
public struct ActiveHours: CBackedMessage {
    public static let protoName = "waiaas.v1.ActiveHours"
    public var timeZone: String
    public var weekdays: [UInt32]
    public var startMinute: UInt32
    public var endMinute: UInt32

    public init(timeZone: String = "", weekdays: [UInt32] = [], startMinute: UInt32 = 0, endMinute: UInt32 = 0) {
        self.timeZone = timeZone
        self.weekdays = weekdays
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__ActiveHours
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__active_hours__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__active_hours__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "ActiveHours carries fields this daemon does not know") }
        timeZone = try copyString(c.pointee.time_zone, field: "ActiveHours.time_zone")
        weekdays = copyRepeatedScalars(c.pointee.n_weekdays, c.pointee.weekdays)
        startMinute = c.pointee.start_minute
        endMinute = c.pointee.end_minute
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        c.pointee.time_zone = cString(timeZone)
        (c.pointee.n_weekdays, c.pointee.weekdays) = cRepeatedScalars(weekdays)
        c.pointee.start_minute = startMinute
        c.pointee.end_minute = endMinute
    }
}

/// Destination allow- and deny-lists.
public struct DestinationRule: CBackedMessage {
    public static let protoName = "waiaas.v1.DestinationRule"
    public var allow: [[UInt8]]
    public var deny: [[UInt8]]

    public init(allow: [[UInt8]] = [], deny: [[UInt8]] = []) {
        self.allow = allow
        self.deny = deny
    }

    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }
    public func serializedBytes() -> [UInt8] { encodeC() }

    typealias CStruct = Waiaas__V1__DestinationRule
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { waiaas__v1__destination_rule__unpack(nil, count, bytes) }
    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { waiaas__v1__destination_rule__init(c) }

    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {
        // Policies fail closed: a field this build does not know is refused.
        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, "DestinationRule carries fields this daemon does not know") }
        allow = copyRepeatedBytes(c.pointee.n_allow, c.pointee.allow)
        deny = copyRepeatedBytes(c.pointee.n_deny, c.pointee.deny)
    }

    func fill(_ c: UnsafeMutablePointer<CStruct>) {
        (c.pointee.n_allow, c.pointee.allow) = cRepeatedBytes(allow)
        (c.pointee.n_deny, c.pointee.deny) = cRepeatedBytes(deny)
    }
}
