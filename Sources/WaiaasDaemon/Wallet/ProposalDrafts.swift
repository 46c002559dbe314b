import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// The two kinds of proposal Propose makes: a vault transaction (what the
/// caller asked the vault to run) and a config transaction adding a
/// spending limit for the agent. Each is planned from the multisig account
/// as the chain has it; ProposeService judges, records and sends either.
extension ProposeService {
    /// What one proposal puts on chain, whichever kind it is.
    struct Draft: Sendable {
        var multisig: PublicKey
        var index: UInt64
        var transaction: PublicKey
        var proposal: PublicKey
        var vault: PublicKey
        var instructions: [TransactionInstruction]
        /// The accounts the agent pays rent for.
        var accountSizes: [Int]
        var innerPrograms: [PublicKey]
        var spendingLimit: PublicKey?
        var notes: [Reason] = []
    }

    static func vaultDraft(_ request: ProposeRequest, multisig: PublicKey, account: SquadsMultisig, agent: PublicKey, inner: Message) -> Result<Draft, RPCError> {
        do {
            let plan = try SquadsProposalPlan(
                multisig: multisig, account: account, creator: agent, vaultIndex: UInt8(request.vaultIndex), inner: inner,
                ephemeralSigners: UInt8(request.ephemeralSigners), memo: request.memo.isEmpty ? nil : request.memo)
            return .success(Draft(multisig: multisig, index: plan.index, transaction: plan.transaction, proposal: plan.proposal, vault: plan.vault,
                                  instructions: plan.instructions, accountSizes: [plan.vaultTransactionSize, plan.proposalSize],
                                  innerPrograms: plan.innerPrograms))
        } catch {
            return .failure(RPCError(.invalidArgument, "transaction: \(error)", reasons: [Reason(code: error.code.rawValue, message: error.message)]))
        }
    }

    /// A config transaction adding a spending limit for the agent that fits
    /// the policy's windows for the asset (`SpendingLimitFit`), its
    /// destinations the policy's allow-list, and its proposal.
    static func spendingLimitDraft(
        _ grant: SpendingLimitProposal, multisig: PublicKey, account: SquadsMultisig, agent: PublicKey, policy: CompiledPolicy?, memo: String
    ) -> Result<Draft, RPCError> {
        guard grant.vaultIndex <= 255 else { return .failure(RPCError(.invalidArgument, "spending_limit.vault_index \(grant.vaultIndex) is not 0 to 255")) }
        guard grant.mint.isEmpty || grant.mint.count == 32 else { return .failure(RPCError(.invalidArgument, "spending_limit.mint must be empty (SOL) or 32 bytes")) }
        guard account.configAuthority == .zero else {
            return .failure(RPCError(.failedPrecondition, "the multisig has a config authority; it adds spending limits itself (multisig_add_spending_limit)"))
        }
        let asset: AssetKey = grant.mint.isEmpty ? .sol : AssetKey(bytes: grant.mint)
        guard let policy, let limits = policy.limits(for: asset), let fit = SpendingLimitFit.fit(limits) else {
            return .failure(RPCError(.failedPrecondition, "the policy in force has no window for this asset, so no on-chain limit can fit it"))
        }
        let mint = PublicKey(bytes: grant.mint) ?? .zero
        // One limit per asset and vault for this agent: the create key is derived, never chosen by the caller.
        let createKey = PublicKey(bytes: SHA256.hash([Array("waiaas-spending-limit-v1".utf8), agent.bytes, mint.bytes, [UInt8(grant.vaultIndex)]]))!
        let destinations = policy.destinationAllowListActive ? (policy.policy.destinations?.allow ?? []).compactMap(PublicKey.init(bytes:)) : []
        let spending = SquadsSpendingLimitGrant(createKey: createKey, vaultIndex: UInt8(grant.vaultIndex), mint: mint, amount: fit.amount,
                                                period: fit.period, members: [agent], destinations: destinations)
        let index = account.transactionIndex + 1
        guard account.transactionIndex < .max, let transaction = Squads.transaction(multisig: multisig, index: index)?.address,
              let proposal = Squads.proposal(multisig: multisig, index: index)?.address,
              let vault = Squads.vault(multisig: multisig, index: UInt8(grant.vaultIndex))?.address,
              let limit = Squads.spendingLimit(multisig: multisig, createKey: createKey)?.address else {
            return .failure(RPCError(.internal, "no program address for the multisig's next transaction"))
        }
        let note = memo.isEmpty ? "waiaas: on-chain limit for the agent, \(fit.explanation)" : memo
        let create = Squads.configTransactionCreate(multisig: multisig, transaction: transaction, creator: agent, rentPayer: agent,
                                                    grant: spending, memo: Self.bounded(note, bytes: maximumMemoBytes))
        let propose = SquadsInstruction.proposalCreate(.init(multisig: multisig, proposal: proposal, creator: agent, rentPayer: agent, transactionIndex: index))
        return .success(Draft(multisig: multisig, index: index, transaction: transaction, proposal: proposal, vault: vault,
                              instructions: [create, propose.instruction()!],
                              accountSizes: [Squads.configTransactionSize(spending), 8 + 32 + 8 + 9 + 1 + 3 * (4 + 32 * account.members.count)],
                              innerPrograms: [], spendingLimit: limit, notes: [Reason(.spendingLimitFit, fit.explanation)]))
    }
}
