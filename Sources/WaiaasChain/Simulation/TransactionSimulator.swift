import WaiaasSolana

/// Simulates a transaction on every endpoint and reports what the agent's
/// accounts lose in it.
///
/// Only accounts the transaction may write can change, so the accounts
/// watched are its writable accounts that belong to the agent: the agent's
/// own key (SOL) and token accounts (SPL Token or Token-2022) whose token
/// owner is the agent. Each endpoint, on its own: reads them (slot S),
/// simulates at a context slot of at least S, and reads them again; the
/// two reads must be equal, so the balances the simulation started from
/// are the ones read. The endpoints' resulting reports must then agree.
public final class TransactionSimulator: Sendable {
    private let quorum: ChainQuorum

    public init(quorum: ChainQuorum) { self.quorum = quorum }

    public func simulate(_ transaction: [UInt8], writableAccounts: [PublicKey], agent: PublicKey) async -> SimulationReport {
        let candidates = Array(Set(writableAccounts + [agent])).sorted()
        guard candidates.count <= RPCEndpoint.maximumAccountsPerCall else {
            return .unavailable("the transaction writes \(candidates.count) accounts, more than one read can check (100)")
        }
        let answers = await quorum.each { endpoint throws(ChainError) in
            try Self.simulate(transaction, candidates: candidates, agent: agent, on: endpoint)
        }
        var outcomes: [Outcome] = []
        for (i, answer) in answers.enumerated() {
            switch answer {
            case .failure(let error): return .unavailable("\(quorum.endpoints[i].name): \(error.message)")
            case .success(let outcome): outcomes.append(outcome)
            }
        }
        guard outcomes.allSatisfy({ $0.comparable == outcomes[0].comparable }) else {
            return .disagreement("the endpoints (\(quorum.names)) give different results")
        }
        switch outcomes[0] {
        case .decreases(let decreases, let slot): return .simulated(decreases: decreases, slot: slot)
        case .failed(let why): return .failed(why)
        case .changed: return .unavailable("the agent's balances changed while the transaction was simulated; retry")
        }
    }

    private enum Outcome: Sendable {
        case decreases([Asset: UInt64], slot: UInt64)
        case failed(String)
        case changed

        /// What must be equal across endpoints (the slot may differ).
        var comparable: String {
            switch self {
            case .decreases(let d, _): "d:" + d.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            case .failed(let why): "f:" + why
            case .changed: "c"
            }
        }
    }

    /// The agent's part of one account: lamports it holds and, for a token
    /// account the agent owns, the mint and amount.
    private struct Holding: Equatable {
        var lamports: UInt64
        var token: (mint: PublicKey, amount: UInt64)?

        static func == (a: Holding, b: Holding) -> Bool {
            a.lamports == b.lamports && a.token?.mint == b.token?.mint && a.token?.amount == b.token?.amount
        }
    }

    private static func holding(_ account: AccountState?, key: PublicKey, agent: PublicKey) -> Holding? {
        guard let account else { return nil }
        if key == agent { return Holding(lamports: account.lamports, token: nil) }
        guard account.owner == ProgramIds.token || account.owner == ProgramIds.token2022,
              let balance = TokenAccountLayout.balance(account.data), balance.owner == agent else { return nil }
        return Holding(lamports: account.lamports, token: (balance.mint, balance.amount))
    }

    private static func simulate(_ transaction: [UInt8], candidates: [PublicKey], agent: PublicKey, on endpoint: RPCEndpoint) throws(ChainError) -> Outcome {
        let before = try endpoint.getMultipleAccounts(candidates)
        var watched: [(PublicKey, Holding)] = []
        for (key, account) in zip(candidates, before.value) {
            if let holding = holding(account, key: key, agent: agent) { watched.append((key, holding)) }
        }
        let keys = watched.map(\.0)
        let simulation = try endpoint.simulateTransaction(transaction, accounts: keys, minContextSlot: before.slot)
        let again = try endpoint.getMultipleAccounts(candidates)
        for (key, account) in zip(candidates, again.value) {
            let earlier = watched.first { $0.0 == key }?.1
            if holding(account, key: key, agent: agent) != earlier { return .changed }
        }
        if let error = simulation.value.error {
            let logs = simulation.value.logs.suffix(3).joined(separator: " | ")
            return .failed(String((error + (logs.isEmpty ? "" : "; logs: \(logs)")).prefix(600)))
        }
        var lamportsBefore: UInt64 = 0, lamportsAfter: UInt64 = 0
        var tokenLoss: [PublicKey: UInt64] = [:]
        for ((key, was), account) in zip(watched, simulation.value.accounts) {
            let now = holding(account, key: key, agent: agent)
            lamportsBefore = lamportsBefore.addingReportingOverflow(was.lamports).overflow ? .max : lamportsBefore + was.lamports
            // An account that left the agent (closed, or its owner changed) counts as all lost.
            let keptLamports = now?.lamports ?? 0
            lamportsAfter = lamportsAfter.addingReportingOverflow(keptLamports).overflow ? .max : lamportsAfter + keptLamports
            if let token = was.token {
                let kept = now?.token?.mint == token.mint ? (now?.token?.amount ?? 0) : 0
                if token.amount > kept {
                    let (sum, overflow) = (tokenLoss[token.mint] ?? 0).addingReportingOverflow(token.amount - kept)
                    tokenLoss[token.mint] = overflow ? .max : sum
                }
            }
        }
        var decreases: [Asset: UInt64] = [:]
        if lamportsBefore > lamportsAfter { decreases[.sol] = lamportsBefore - lamportsAfter }
        for (mint, loss) in tokenLoss { decreases[.token(mint: mint)] = loss }
        return .decreases(decreases, slot: simulation.slot)
    }
}
