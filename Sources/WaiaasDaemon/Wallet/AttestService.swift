import Logging
import WaiaasAttestation
import WaiaasProto
import WaiaasRPC

/// Attest: a report binding agent key, owners, policy, code and ledger head
/// to the caller's nonce, signed by the agent key under the report tag (never
/// a valid transaction message), with the NSM document on Nitro.
public enum AttestService {
    public static func make(core: WalletCore, logger: Logger) throws -> UnaryHandler<AttestRequest, AttestResponse> {
        let builder = try AttestationBuilder(
            agentPublicKey: core.agent.bytes, ownerPublicKeys: core.owners.map(\.bytes),
            ownerThreshold: UInt32(core.ownerThreshold), configuration: core.configurationBytes)
        let nitro: NitroSecureModule? = NitroSecureModule.isAvailable ? NitroSecureModule() : nil
        return .async { request, _ in
            let policy = core.policyState
            let head = core.ledger.head()
            do {
                let response = try builder.attest(
                    nonce: request.nonce, policyHash: policy.hash, policyVersion: policy.version,
                    ledgerHead: WaiaasProto.LedgerHead(sequence: head.sequence, hash: head.hash),
                    nitro: nitro, sign: { core.signer.sign($0) })
                return .success(response)
            } catch let error as AttestationError {
                switch error {
                case .invalidNonce:
                    return .failure(RPCError(.invalidArgument, "\(error)"))
                case .nitro:
                    return .failure(RPCError(.unavailable, "\(error)"))
                default:
                    logger.error("attestation failed", metadata: ["error": "\(error)"])
                    return .failure(RPCError(.internal, "\(error)"))
                }
            } catch {
                return .failure(RPCError(.internal, "\(error)"))
            }
        }
    }
}
