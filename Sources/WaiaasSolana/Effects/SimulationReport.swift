/// What simulating a transaction on the chain showed, as the daemon's RPC
/// endpoints agreed on it: how much of each asset the agent's accounts lose,
/// or why there is no answer. Set on `EffectsSummary.simulation` by the
/// daemon when the policy asks for simulation.
public enum SimulationReport: Sendable, Equatable {
    /// The simulated balance decreases of the agent's SOL account and of
    /// its token accounts, summed per asset (increases count as zero).
    case simulated(decreases: [Asset: UInt64], slot: UInt64)
    /// The transaction fails in simulation (the node's error and its last logs).
    case failed(String)
    /// No simulation could be run: no endpoint, or an endpoint's failure.
    case unavailable(String)
    /// The endpoints simulated it to different results.
    case disagreement(String)
}

/// Reading token balances out of token account bytes: SPL Token and
/// Token-2022 share the first 165 bytes (mint 0..<32, owner 32..<64,
/// amount u64 little-endian at 64).
public enum TokenAccountLayout {
    public static let baseLength = 165

    public struct Balance: Sendable, Equatable {
        public var mint: PublicKey
        public var owner: PublicKey
        public var amount: UInt64
    }

    /// The account's mint, owner and amount; nil when the bytes are not a
    /// token account (too short, or a Token-2022 mint, whose account type
    /// byte at 165 is 1).
    public static func balance(_ data: [UInt8]) -> Balance? {
        guard data.count >= baseLength else { return nil }
        if data.count > baseLength, data[baseLength] != 2 { return nil }
        guard let mint = PublicKey(bytes: Array(data[0..<32])), let owner = PublicKey(bytes: Array(data[32..<64])) else { return nil }
        let amount = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[64 + $1]) << (8 * $1) }
        return Balance(mint: mint, owner: owner, amount: amount)
    }
}
