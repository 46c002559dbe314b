import Foundation
import NIOCore
import WaiaasProto
import WaiaasRPC

/// `service waiaas.v1.Wallet` as this daemon provides it (the generated
/// `WalletProvider` routes method paths to these handlers).
///
/// GetStatus and GetPolicy answer on the event loop; Sign starts there and
/// answers from the ledger's commit callback; SetPolicy runs as a task (it
/// waits for the ledger's commit, one change at a time), and so does Propose
/// (it reads the chain before it decides).
public struct WalletService: WalletProvider {
    let state: DaemonState
    let core: WalletCore
    /// Micro-lamports per compute unit for the transactions `Transfer` builds.
    let computeUnitPrice: UInt64
    public let attest: UnaryHandler<AttestRequest, AttestResponse>

    public init(state: DaemonState, core: WalletCore, attest: UnaryHandler<AttestRequest, AttestResponse>? = nil, computeUnitPrice: UInt64 = 0) {
        self.state = state
        self.core = core
        self.computeUnitPrice = computeUnitPrice
        self.attest = attest ?? .unimplemented("Attest is not configured in this daemon")
    }

    public var getStatus: UnaryHandler<GetStatusRequest, GetStatusResponse> {
        .immediate { _, _ in .success(self.status()) }
    }

    public var sign: UnaryHandler<SignRequest, SignResponse> {
        let service = SignService(core: core)
        return .deferred { request, call, respond in service.sign(request, call, respond: respond) }
    }

    public var setPolicy: UnaryHandler<SetPolicyRequest, SetPolicyResponse> {
        let service = PolicyService(core: core)
        return .async { request, call in await service.setPolicy(request, call) }
    }

    public var getPolicy: UnaryHandler<GetPolicyRequest, GetPolicyResponse> {
        let service = PolicyService(core: core)
        return .immediate { _, _ in service.getPolicy() }
    }

    public var getBalances: UnaryHandler<GetBalancesRequest, GetBalancesResponse> {
        let service = TransferService(core: core, computeUnitPrice: computeUnitPrice)
        return .async { _, call in await service.balances(call) }
    }

    public var transfer: UnaryHandler<TransferRequest, TransferResponse> {
        let service = TransferService(core: core, computeUnitPrice: computeUnitPrice)
        return .deferred { request, call, respond in service.transfer(request, call, respond: respond) }
    }

    public var executeProposal: UnaryHandler<ExecuteProposalRequest, ExecuteProposalResponse> {
        let service = ExecuteService(core: core)
        return .async { request, call in await service.execute(request, call) }
    }

    public var freeze: UnaryHandler<FreezeRequest, FreezeResponse> {
        let core = self.core
        return .async { request, _ in
            let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...256).contains(reason.utf8.count) else {
                return .failure(RPCError(.invalidArgument, "a freeze needs a reason of 1 to 256 bytes"))
            }
            return await core.freeze(reason: reason, automatic: false)
        }
    }

    public var unfreeze: UnaryHandler<UnfreezeRequest, UnfreezeResponse> {
        let core = self.core
        return .async { request, _ in await core.unfreeze(request) }
    }

    public var payX402: UnaryHandler<PayX402Request, PayX402Response> {
        let service = X402Service(core: core)
        return .deferred { request, call, respond in service.pay(request, call, respond: respond) }
    }

    public var getProposal: UnaryHandler<GetProposalRequest, GetProposalResponse> {
        let service = ProposalStatusService(core: core)
        return .async { request, call in await service.status(request, call) }
    }

    public var propose: UnaryHandler<ProposeRequest, ProposeResponse> {
        let service = ProposeService(core: core)
        return .async { request, call in await service.propose(request, call) }
    }

    private func status() -> GetStatusResponse {
        var status = state.status()
        let policy = core.policyState
        let head = core.ledger.head()
        status.agentPublicKey = core.agent.bytes
        status.ownerPublicKeys = core.owners.map(\.bytes)
        status.ownerThreshold = UInt32(core.ownerThreshold)
        status.multisig = core.multisig?.bytes ?? []
        status.vault = core.vault?.bytes ?? []
        status.policyVersion = policy.version
        status.policyHash = policy.hash
        status.ledgerSequence = head.sequence
        status.freeze = core.freezeState
        status.budgets = core.budgets.map {
            WindowBudget(mint: $0.asset.bytes, symbol: $0.symbol, decimals: $0.decimals, windowSeconds: $0.windowSeconds,
                         limit: $0.limit, spent: $0.spent, remaining: $0.remaining)
        }
        return status
    }
}
