import NIOCore
import WaiaasProto
import WaiaasRPC

/// `service waiaas.v1.Wallet`: method paths to handlers.
///
/// GetStatus and GetPolicy answer on the event loop; Sign and SetPolicy run
/// as tasks (they wait for the ledger's commit). Propose answers
/// UNIMPLEMENTED, naming what will provide it, until it lands.
public struct WalletService: RPCService {
    let state: DaemonState
    let core: WalletCore
    let attest: (@Sendable (ServerCall) async -> CallResult)?

    public init(state: DaemonState, core: WalletCore, attest: (@Sendable (ServerCall) async -> CallResult)? = nil) {
        self.state = state
        self.core = core
        self.attest = attest
    }

    public func handler(for method: String) -> MethodHandler? {
        guard let known = WalletMethod(rawValue: method) else { return nil }
        switch known {
        case .getStatus:
            return .immediate { call in self.getStatus(call) }
        case .sign:
            let service = SignService(core: core)
            return .async { call in await service.sign(call) }
        case .setPolicy:
            let service = PolicyService(core: core)
            return .async { call in await service.setPolicy(call) }
        case .getPolicy:
            let service = PolicyService(core: core)
            return .immediate { call in service.getPolicy(call) }
        case .propose:
            return .immediate { _ in .failure(RPCError(.unimplemented, "Propose arrives with the Squads v4 proposal builder")) }
        case .attest:
            guard let attest else {
                return .immediate { _ in .failure(RPCError(.unimplemented, "Attest is not configured in this daemon")) }
            }
            return .async(attest)
        }
    }

    private func getStatus(_ call: ServerCall) -> CallResult {
        do {
            _ = try GetStatusRequest(serializedBytes: call.payload)
        } catch {
            return .failure(RPCError(.invalidArgument, "GetStatusRequest: \(error)"))
        }
        var status = state.status()
        let policy = core.policyState
        let head = core.ledger.head()
        status.agentPublicKey = core.signer.publicKey
        status.ownerPublicKeys = core.owners.map(\.bytes)
        status.ownerThreshold = UInt32(core.ownerThreshold)
        status.policyVersion = policy.version
        status.policyHash = policy.hash
        status.ledgerSequence = head.sequence
        return .success(status.serializedBytes())
    }
}
