import NIOCore
import WaiaasProto
import WaiaasRPC

/// `service waiaas.v1.Wallet`: method paths to handlers.
///
/// GetStatus answers on the event loop. Sign, Propose, SetPolicy and Attest
/// answer UNIMPLEMENTED, naming what will provide them, until they land.
public struct WalletService: RPCService {
    let state: DaemonState

    public init(state: DaemonState) {
        self.state = state
    }

    public func handler(for method: String) -> MethodHandler? {
        guard let known = WalletMethod(rawValue: method) else { return nil }
        switch known {
        case .getStatus:
            return .immediate { call in self.getStatus(call) }
        case .sign:
            return Self.notYet("Sign arrives with the policy core (agent keystore, policy engine, ledger)")
        case .propose:
            return Self.notYet("Propose arrives with the Squads v4 proposal builder")
        case .setPolicy:
            return Self.notYet("SetPolicy arrives with the policy core (owner authority)")
        case .attest:
            return Self.notYet("Attest arrives with the attestation module")
        case .getPolicy:
            return Self.notYet("GetPolicy arrives with the policy core")
        }
    }

    private static func notYet(_ message: String) -> MethodHandler {
        .immediate { _ in .failure(RPCError(.unimplemented, message)) }
    }

    private func getStatus(_ call: ServerCall) -> CallResult {
        do {
            _ = try GetStatusRequest(serializedBytes: call.payload)
        } catch {
            return .failure(RPCError(.invalidArgument, "GetStatusRequest: \(error)"))
        }
        return .success(state.status().serializedBytes())
    }
}
