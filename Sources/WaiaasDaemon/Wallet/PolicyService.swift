import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// SetPolicy and GetPolicy.
///
/// A policy takes effect only with valid signatures from `threshold` distinct
/// configured owners over `PolicySigning.message(agent, version, policy)`,
/// with a version higher than the one in force, and with every field known
/// to this daemon. Each refusal has its own status, and a refused request
/// leaves the policy in force untouched.
struct PolicyService: Sendable {
    let core: WalletCore

    func setPolicy(_ request: SetPolicyRequest, _ call: ServerCall) async -> Result<SetPolicyResponse, RPCError> {
        if !request.agentPublicKey.isEmpty, request.agentPublicKey != core.agent.bytes {
            let named = PublicKey(bytes: request.agentPublicKey)?.base58 ?? "\(request.agentPublicKey.count) bytes"
            return .failure(RPCError(.permissionDenied, "this policy was signed for wallet \(named), not this wallet \(core.agent.base58)",
                                     reasons: [Reason(.wrongWallet, "signed for \(named)")]))
        }
        // The owners' signatures are over the policy's bytes, so they are
        // checked first: a caller without them cannot make the daemon spend
        // a compilation (address derivations) on its policy.
        if let refusal = checkSignatures(request) { return .failure(refusal) }
        let compiled: CompiledPolicy
        do {
            compiled = try CompiledPolicy.decode(request.policy)
        } catch {
            return .failure(RPCError(invalidPolicy: error))
        }

        // Version check, ledger row and swap are serialised with other
        // SetPolicy calls: two policies racing for the same version cannot both win.
        return await PolicyChangeQueue.shared.run {
            let current = core.policyState
            guard request.version > current.version else {
                return .failure(RPCError(.failedPrecondition, "version \(request.version) is not higher than the version in force, \(current.version)",
                                         reasons: [Reason(.staleVersion, "version \(request.version) ≤ \(current.version)")]))
            }
            let entry = LedgerEntry(
                kind: .policySet, timeUnixMilliseconds: core.clock(), request: call.payload, messageDigest: [],
                decision: ReasonCode.policySet.rawValue, reasons: [LedgerReason(.policySet, "version \(request.version) signed by \(request.signatures.count) owner(s)")],
                outflows: [], signature: [], policyVersion: request.version, clientReference: "")
            let event: LedgerEvent
            do {
                event = try await core.ledger.append([entry])[0]
            } catch {
                return .failure(RPCError(ledger: error, consequence: "the ledger could not record the policy; the previous one stays in force; retry later"))
            }
            let hash = SHA256.hash(request.policy)
            do {
                try core.install(PolicyState(compiled: compiled, version: request.version, bytes: request.policy, hash: hash, signatures: request.signatures, ledgerSequence: event.sequence))
            } catch {
                return .failure(RPCError(.internal, "policy recorded but the spending book could not be rebuilt: \(error); restart the daemon"))
            }
            core.logger.info("policy set", metadata: ["version": "\(request.version)", "sequence": "\(event.sequence)"])
            return .success(SetPolicyResponse(version: request.version, policyHash: hash, ledgerSequence: event.sequence))
        }
    }

    /// M valid signatures from distinct configured owners, or the refusal.
    private func checkSignatures(_ request: SetPolicyRequest) -> RPCError? {
        let message = PolicySigning.message(agent: core.agent, version: request.version, policy: request.policy)
        var reasons: [Reason] = []
        var valid: Set<[UInt8]> = []
        var seen: Set<[UInt8]> = []
        for signature in request.signatures {
            let shown = PublicKey(bytes: signature.publicKey)?.base58 ?? "a \(signature.publicKey.count)-byte key"
            guard seen.insert(signature.publicKey).inserted else {
                reasons.append(Reason(.duplicateSignature, "\(shown) signed more than once; it counts once"))
                continue
            }
            guard core.owners.contains(where: { $0.bytes == signature.publicKey }) else {
                reasons.append(Reason(.ownerNotConfigured, "\(shown) is not an owner of this wallet"))
                continue
            }
            guard Ed25519.verify(signature: signature.signature, message: message, publicKey: signature.publicKey) else {
                reasons.append(Reason(.badSignature, "the signature of \(shown) does not verify for this wallet, version \(request.version) and these policy bytes"))
                continue
            }
            valid.insert(signature.publicKey)
        }
        guard valid.count >= core.ownerThreshold else {
            reasons.append(Reason(.notEnoughSignatures, "\(valid.count) valid owner signature(s); \(core.ownerThreshold) required"))
            let message = reasons.contains { $0.code == ReasonCode.badSignature.rawValue } ? "bad owner signature" : "not enough owner signatures"
            return RPCError(.unauthenticated, "\(message): " + reasons.map(\.message).joined(separator: "; "), reasons: reasons)
        }
        return nil
    }

    func getPolicy() -> Result<GetPolicyResponse, RPCError> {
        let state = core.policyState
        return .success(GetPolicyResponse(policy: state.bytes, version: state.version, policyHash: state.hash, signatures: state.signatures, ledgerSequence: state.ledgerSequence))
    }
}

/// Runs policy changes one at a time. An actor alone would not do: actors
/// are reentrant, so a change suspended on the ledger's fsync would let the
/// next one in. Waiters queue on continuations instead.
actor PolicyChangeQueue {
    static let shared = PolicyChangeQueue()

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<Answer: Sendable>(_ body: @Sendable () async -> Answer) async -> Answer {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        let result = await body()
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()  // hand over without releasing
        }
        return result
    }
}
