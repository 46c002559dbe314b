import WaiaasChain
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// GetProposal: one proposal of the daemon's multisig as the chain says it
/// stands, read through every RPC endpoint (they must agree). Nothing is
/// signed or recorded; the agent learns whether the owners have acted.
struct ProposalStatusService: Sendable {
    let core: WalletCore

    func status(_ request: GetProposalRequest, _ call: ServerCall) async -> Result<GetProposalResponse, RPCError> {
        guard request.transactionIndex > 0 else { return .failure(RPCError(.invalidArgument, "transaction_index starts at 1")) }
        guard let multisig = core.multisig, let chain = core.chain else {
            return .failure(RPCError(.failedPrecondition, "GetProposal needs a multisig (--multisig) and an RPC endpoint (--rpc-url)"))
        }
        if let exhausted = core.admitChainRead(call) { return .failure(exhausted) }
        let account: SquadsMultisig
        switch await chain.squadsMultisig(multisig) {
        case .success(let value): account = value
        case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the multisig"))
        }
        let index = request.transactionIndex
        guard index <= account.transactionIndex else {
            return .failure(RPCError(.notFound, "the multisig \(multisig.base58) has \(account.transactionIndex) transactions; #\(index) does not exist"))
        }
        guard let address = Squads.proposal(multisig: multisig, index: index)?.address else {
            return .failure(RPCError(.internal, "no program address for index \(index)"))
        }
        var response = GetProposalResponse(
            multisig: multisig.bytes, transactionIndex: index, proposal: address.bytes,
            threshold: UInt32(account.threshold), timeLockSeconds: account.timeLock)
        switch await chain.squadsProposal(address) {
        case .failure(let error):
            return .failure(RPCError(chain: error, doing: "reading the proposal"))
        case .success(nil):
            response.status = .noProposal
        case .success(let proposal?):
            guard proposal.multisig == multisig, proposal.transactionIndex == index else {
                return .failure(RPCError(.dataLoss, "the proposal account for #\(index) names another multisig or index"))
            }
            (response.status, response.statusTimeUnix) = Self.status(proposal.status, stale: index <= account.staleTransactionIndex)
            response.approvals = UInt32(proposal.approved.count)
            response.rejections = UInt32(proposal.rejected.count)
        }
        return .success(response)
    }

    /// A draft or active proposal at or below the stale index can no longer
    /// pass (the owners changed the multisig since); an approved one can
    /// still be executed.
    static func status(_ status: SquadsProposal.Status, stale: Bool) -> (ProposalStatus, Int64) {
        switch status {
        case .draft(let since): (stale ? .stale : .draft, since)
        case .active(let since): (stale ? .stale : .active, since)
        case .rejected(let at): (.rejected, at)
        case .approved(let at): (.approved, at)
        case .executing: (.executing, 0)
        case .executed(let at): (.executed, at)
        case .cancelled(let at): (.cancelled, at)
        }
    }
}
