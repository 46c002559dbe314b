import WaiaasSolana

/// The agent's balances as every endpoint agrees on them: its lamports,
/// and each token account it owns under SPL Token and Token-2022 with the
/// mint's decimals.
public struct Balances: Sendable, Equatable {
    public struct Token: Sendable, Equatable {
        public var account: PublicKey
        public var mint: PublicKey
        public var amount: UInt64
        public var decimals: UInt8
        public var program: PublicKey
    }

    public var lamports: UInt64
    public var tokens: [Token]
    /// Where the first endpoint read them; not compared across endpoints.
    public var slot: UInt64

    static func sameHoldings(_ a: Balances, _ b: Balances) -> Bool { a.lamports == b.lamports && a.tokens == b.tokens }
}

/// A mint as `Transfer` needs it: its token program and decimals.
public struct MintInfo: Sendable, Equatable {
    public var program: PublicKey
    public var decimals: UInt8

    /// SPL Token's Mint layout (Token-2022 extends it): decimals at 44,
    /// is_initialized at 45, 82 bytes at least.
    public init?(_ account: AccountState) {
        guard account.owner == ProgramIds.token || account.owner == ProgramIds.token2022,
              account.data.count >= 82, account.data[45] == 1 else { return nil }
        // A Token-2022 account (not a mint) carries account type 2 at byte 165.
        if account.data.count > 165, account.data[165] != 1 { return nil }
        program = account.owner
        decimals = account.data[44]
    }
}

extension ChainQuorum {
    public func balances(of owner: PublicKey) async -> Result<Balances, ChainError> {
        let answers = await each { endpoint throws(ChainError) in try Self.read(owner, on: endpoint) }
        var all: [Balances] = []
        for answer in answers {
            switch answer {
            case .success(let balances): all.append(balances)
            case .failure(let error): return .failure(error)
            }
        }
        guard all.allSatisfy({ Balances.sameHoldings($0, all[0]) }) else {
            return .failure(ChainError(.disagreement, "the RPC endpoints (\(names)) report different balances; retry"))
        }
        return .success(all[0])
    }

    /// Every endpoint's reading of the mints: owner program and decimals.
    public func mints(_ keys: [PublicKey]) async -> Result<[MintInfo?], ChainError> {
        await agreed("the mint accounts") { endpoint throws(ChainError) in
            try endpoint.getMultipleAccounts(keys).value.map { $0.flatMap(MintInfo.init) }
        }
    }

    /// Which of `keys` exist, as every endpoint sees them.
    public func existing(_ keys: [PublicKey]) async -> Result<[Bool], ChainError> {
        await agreed("which accounts exist") { endpoint throws(ChainError) in
            try endpoint.getMultipleAccounts(keys).value.map { $0 != nil }
        }
    }

    private static func read(_ owner: PublicKey, on endpoint: RPCEndpoint) throws(ChainError) -> Balances {
        let lamports = try endpoint.getBalance(owner)
        var holdings: [(PublicKey, TokenAccountLayout.Balance, PublicKey)] = []
        for program in [ProgramIds.token, ProgramIds.token2022] {
            for (key, account) in try endpoint.getTokenAccountsByOwner(owner, programId: program).value {
                guard account.owner == program, let balance = TokenAccountLayout.balance(account.data), balance.owner == owner else {
                    throw ChainError(.malformed, "getTokenAccountsByOwner: \(key.base58) is not a token account of \(owner.base58)")
                }
                holdings.append((key, balance, program))
            }
        }
        let mints = Array(Set(holdings.map(\.1.mint))).sorted()
        var decimals: [PublicKey: UInt8] = [:]
        for start in stride(from: 0, to: mints.count, by: RPCEndpoint.maximumAccountsPerCall) {
            let batch = Array(mints[start..<min(start + RPCEndpoint.maximumAccountsPerCall, mints.count)])
            for (mint, account) in zip(batch, try endpoint.getMultipleAccounts(batch).value) {
                if let info = account.flatMap(MintInfo.init) { decimals[mint] = info.decimals }
            }
        }
        let tokens = holdings.compactMap { key, balance, program -> Balances.Token? in
            guard let places = decimals[balance.mint] else { return nil }
            return Balances.Token(account: key, mint: balance.mint, amount: balance.amount, decimals: places, program: program)
        }.sorted { ($0.mint, $0.account) < ($1.mint, $1.account) }
        return Balances(lamports: lamports.value, tokens: tokens, slot: lamports.slot)
    }
}
