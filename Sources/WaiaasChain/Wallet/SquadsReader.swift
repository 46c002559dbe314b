import WaiaasSolana

extension ChainQuorum {
    /// The Squads v4 multisig at `address`, as every endpoint reads it: an
    /// account owned by the Squads program that decodes as a Multisig.
    public func squadsMultisig(_ address: PublicKey) async -> Result<SquadsMultisig, ChainError> {
        await agreed("the multisig \(address.base58)") { endpoint throws(ChainError) in
            try Self.squads(address, on: endpoint, "Multisig", SquadsMultisig.init(accountData:))
        }
    }

    /// The Squads v4 proposal at `address`; nil when no account exists there yet.
    public func squadsProposal(_ address: PublicKey) async -> Result<SquadsProposal?, ChainError> {
        await agreed("the proposal \(address.base58)") { endpoint throws(ChainError) in
            do throws(ChainError) {
                return try Self.squads(address, on: endpoint, "Proposal", SquadsProposal.init(accountData:))
            } catch where error.code == .accountNotFound {
                return nil
            }
        }
    }

    /// The Squads v4 vault transaction at `address`.
    public func squadsVaultTransaction(_ address: PublicKey) async -> Result<SquadsVaultTransaction, ChainError> {
        await agreed("the vault transaction \(address.base58)") { endpoint throws(ChainError) in
            try Self.squads(address, on: endpoint, "VaultTransaction", SquadsVaultTransaction.init(accountData:))
        }
    }

    /// The Squads v4 spending limit at `address`.
    public func squadsSpendingLimit(_ address: PublicKey) async -> Result<SquadsSpendingLimit, ChainError> {
        await agreed("the spending limit \(address.base58)") { endpoint throws(ChainError) in
            try Self.squads(address, on: endpoint, "SpendingLimit", SquadsSpendingLimit.init(accountData:))
        }
    }

    /// The Squads v4 program configuration (the creation fee and its treasury).
    public func squadsProgramConfig() async -> Result<SquadsProgramConfig, ChainError> {
        guard let address = Squads.programConfig()?.address else { return .failure(ChainError(.malformed, "no program config address")) }
        return await agreed("the Squads program config") { endpoint throws(ChainError) in
            try Self.squads(address, on: endpoint, "ProgramConfig", SquadsProgramConfig.init(accountData:))
        }
    }

    private static func squads<Account>(
        _ address: PublicKey, on endpoint: RPCEndpoint, _ type: String, _ decode: ([UInt8]) throws(SolanaDecodeError) -> Account
    ) throws(ChainError) -> Account {
        guard let account = try endpoint.getAccountInfo(address).value else {
            throw ChainError(.accountNotFound, "no account exists at \(address.base58) (\(endpoint.name))")
        }
        guard account.owner == Squads.programId else {
            throw ChainError(.notSquadsAccount, "\(address.base58) is owned by \(account.owner.base58), not Squads v4 (\(endpoint.name))")
        }
        do {
            return try decode(account.data)
        } catch {
            throw ChainError(.notSquadsAccount, "\(address.base58) is not a Squads \(type): \(error) (\(endpoint.name))")
        }
    }
}
