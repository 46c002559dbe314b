import WaiaasSolana

/// The on-chain Squads spending limit that fits the policy's windows for an
/// asset, never looser than any of them. Squads resets a limit at fixed
/// period boundaries instead of keeping a rolling window, so a window of T
/// seconds can touch ⌈T/P⌉ + 1 periods of length P, and spend the amount
/// in each: the amount is the window's limit divided by that many. The
/// period is the shortest of day, week and month that is at least the
/// shortest window (a month when every window is longer); the amount the
/// smallest any window allows with it.
public struct SpendingLimitFit: Sendable, Equatable {
    public var period: SquadsSpendingLimit.Period
    public var amount: UInt64
    /// How the amount was chosen, for the people who vote on it.
    public var explanation: String

    public static func fit(_ limits: CompiledPolicy.AssetLimits) -> SpendingLimitFit? {
        guard let shortest = limits.windows.map(\.seconds).min() else { return nil }
        let candidates: [SquadsSpendingLimit.Period] = [.day, .week, .month]
        let period = candidates.first { UInt64($0.seconds!) >= shortest } ?? .month
        let length = UInt64(period.seconds!)
        var amount = UInt64.max
        var binding = limits.windows[0]
        for window in limits.windows {
            let touched = (window.seconds + length - 1) / length + 1
            let allowed = window.amount / touched
            if allowed < amount { (amount, binding) = (allowed, window) }
        }
        guard amount > 0 else { return nil }
        let touched = (binding.seconds + length - 1) / length + 1
        let explanation = "\(limits.text(amount)) per \(name(period)): the \(AmountText.spokenDuration(binding.seconds)) window allows "
            + "\(limits.text(binding.amount)), and any \(AmountText.spokenDuration(binding.seconds)) can span \(touched) \(name(period)) periods, "
            + "each resetting the on-chain limit, so \(touched) × \(limits.text(amount)) stays within it"
        return SpendingLimitFit(period: period, amount: amount, explanation: explanation)
    }

    static func name(_ period: SquadsSpendingLimit.Period) -> String {
        switch period {
        case .oneTime: "one-time"
        case .day: "day"
        case .week: "week"
        case .month: "30-day month"
        }
    }
}
