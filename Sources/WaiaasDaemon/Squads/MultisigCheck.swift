import WaiaasChain
import WaiaasSolana

/// The start-up check of `--multisig`: the daemon proposes only to a
/// multisig that every RPC endpoint shows exists, is Squads v4's, and has
/// the agent as a member. Permissions are read again at every Propose (the
/// owners may change them); this check makes a wrong address fail at
/// start, not at the first proposal.
public enum MultisigCheck {
    public static func verify(core: WalletCore) async throws(DaemonError) -> SquadsPermissions {
        guard let multisig = core.multisig else { return [] }
        guard let chain = core.chain else {
            throw DaemonError(.multisig, "--multisig needs an RPC endpoint (--rpc-url) to read the multisig")
        }
        let account: SquadsMultisig
        switch await chain.squadsMultisig(multisig) {
        case .success(let value): account = value
        case .failure(let error): throw DaemonError(.multisig, "cannot use multisig \(multisig.base58): \(error.message)")
        }
        guard let permissions = account.permissions(of: core.agent) else {
            throw DaemonError(.multisig, "the agent \(core.agent.base58) is not a member of multisig \(multisig.base58); the owners add it (Initiate only) first")
        }
        return permissions
    }
}
