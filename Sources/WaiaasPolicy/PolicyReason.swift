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
    /// On ASCII digits, not Characters: every allowed Sign says its amount,
    /// and the grapheme-aware String slicing showed in the Sign profile.
    public static func decimal(_ amount: UInt64, decimals: UInt32) -> String {
        guard decimals > 0 else { return String(amount) }
        let digits = Array(String(amount).utf8)
        let places = Int(decimals)
        let zero = UInt8(ascii: "0")
        // At least one digit before the point: "0.05", never ".05".
        let padded = [UInt8](repeating: zero, count: max(0, places + 1 - digits.count)) + digits
        let point = padded.count - places
        var end = padded.count
        while end > point, padded[end - 1] == zero { end -= 1 }
        guard end > point else { return String(decoding: padded[..<point], as: UTF8.self) }
        var text = padded[..<point]
        text.append(UInt8(ascii: "."))
        text.append(contentsOf: padded[point..<end])
        return String(decoding: text, as: UTF8.self)
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
