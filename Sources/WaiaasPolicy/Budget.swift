/// What remains of each rolling window: for `ledger tail` and owners.
public struct Budget: Sendable, Equatable {
    public var asset: AssetKey
    public var symbol: String
    public var decimals: UInt32
    public var windowSeconds: UInt64
    public var limit: UInt64
    public var spent: UInt64

    public var remaining: UInt64 { limit > spent ? limit - spent : 0 }

    /// One line for people: `SOL 24 h: 0.3 of 1 SOL spent, 0.7 SOL left`.
    public var sentence: String {
        let text = { (value: UInt64) in AmountText.format(value, decimals: decimals, symbol: symbol) }
        return "\(symbol) \(AmountText.spokenDuration(windowSeconds)): \(text(spent)) of \(text(limit)) spent, \(text(remaining)) left"
    }

    public static func compute(policy: CompiledPolicy, book: SpendingBook, nowMilliseconds now: UInt64) -> [Budget] {
        policy.assets.values.sorted { $0.asset < $1.asset }.flatMap { limits in
            limits.windows.map { window in
                Budget(asset: limits.asset, symbol: limits.symbol, decimals: limits.decimals, windowSeconds: window.seconds,
                       limit: window.amount, spent: book.spent(limits.asset, inLast: window.seconds, now: now))
            }
        }
    }
}
