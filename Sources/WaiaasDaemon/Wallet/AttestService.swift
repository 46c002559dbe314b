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
            ownerThreshold: UInt32(core.ownerThreshold), multisig: core.multisig?.bytes, vault: core.vault?.bytes,
            configuration: core.configurationBytes)
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
            } catch {
                let status = RPCError(attestation: error)
                // The caller's mistakes and a missing NSM are answered; our own failures are logged too.
                if status.code == .internal { logger.error("attestation failed", metadata: ["error": "\(error)"]) }
                return .failure(status)
            }
        }
    }
}
