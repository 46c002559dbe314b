/// One reason for a decision: a stable machine-readable code and a sentence
/// that states the observed value against the limit.
public struct PolicyReason: Sendable, Hashable, CustomStringConvertible {
    public enum Effect: Sendable, Hashable {
        case deny
        case approval
        case allow
    }

    public var code: ReasonCode
    public var message: String
    public var effect: Effect

    public init(_ effect: Effect, _ code: ReasonCode, _ message: String) {
        self.effect = effect
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Amounts for people: base units shown with the asset's decimals.
public enum AmountText {
    public static func format(_ amount: UInt64, decimals: UInt32, symbol: String) -> String {
        "\(decimal(amount, decimals: decimals)) \(symbol)"
    }

    /// The amount as the decimal string policies and tools write ("0.1"):
    /// no exponent, no trailing zeros, exact.
    public static func decimal(_ amount: UInt64, decimals: UInt32) -> String {
        guard decimals > 0 else { return String(amount) }
        let digits = String(amount)
        let places = Int(decimals)
        let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
        let whole = padded.dropLast(places)
        var fraction = String(padded.suffix(places))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    /// `86400` → `24h`, `3600` → `1h`, `90` → `90s`, `604800` → `7d`: for reason codes.
    public static func duration(_ seconds: UInt64) -> String {
        if seconds % 86_400 == 0, seconds >= 7 * 86_400 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// `24 h`, `1 h`, `30 min`, `45 s`: for sentences.
    public static func spokenDuration(_ seconds: UInt64) -> String {
        if seconds % 86_400 == 0, seconds >= 7 * 86_400 { return "\(seconds / 86_400) d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
