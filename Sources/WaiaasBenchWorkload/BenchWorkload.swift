import WaiaasProto
import WaiaasSolana

/// What `make bench` and `make bench-micro` both measure, defined once so
/// the two judge the same transaction under the same policy.
public enum BenchWorkload {
    /// A legacy one-signature System transfer of `lamports` from `agent`,
    /// its signature slot empty.
    public static func transfer(agent: PublicKey, to destination: PublicKey, lamports: UInt64, blockhash: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [1, 0, 1, 3] + agent.bytes + destination.bytes + [UInt8](repeating: 0, count: 32) + blockhash
        message += [1, 2, 2, 0, 1, 12] + [2, 0, 0, 0]
        for shift in stride(from: 0, to: 64, by: 8) { message.append(UInt8(truncatingIfNeeded: lamports >> UInt64(shift))) }
        return [1] + [UInt8](repeating: 0, count: 64) + message
    }

    /// A policy generous enough for a benchmark, with every core rule on:
    /// a per-transaction limit, two rolling windows, a fee cap, a rate limit.
    public static func policy(name: String = "benchmark") -> Policy {
        Policy(
            format: 1, name: name,
            assets: [AssetRule(mint: [], symbol: "SOL", decimals: 9, perTransaction: Amount(value: 1_000_000_000_000),
                               windows: [WindowLimit(seconds: 3_600, amount: .max / 4), WindowLimit(seconds: 86_400, amount: .max / 2)])],
            programs: ProgramRule(includeDefaults: true), maxFeeLamports: Amount(value: 1_000_000),
            rateLimits: [RateLimit(seconds: 1, maxSignatures: .max)])
    }
}
