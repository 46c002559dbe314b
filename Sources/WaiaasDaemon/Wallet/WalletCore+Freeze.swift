import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// The emergency stop (docs/FREEZE.md). A freeze takes effect when its row
/// commits; from then on every decision under the wallet's lock answers
/// `.frozen`. Only M of the owners, signing for that row's sequence, lift it.
extension WalletCore {
    public var freezeState: FreezeState? { book.withLockedValue { $0.stop.freeze } }

    /// Writes a freeze row unless one is in force; answers the freeze in force.
    func freeze(reason: String, automatic: Bool) async -> Result<FreezeResponse, RPCError> {
        if let existing = freezeState {
            book.withLockedValue { $0.stop.freezing = false }
            return .success(FreezeResponse(freeze: existing, alreadyFrozen: true))
        }
        let request = FreezeRequest(reason: reason)
        let entry = LedgerEntry(
            kind: .freeze, timeUnixMilliseconds: clock(), request: request.serializedBytes(),
            messageDigest: [], decision: automatic ? FreezeBook.automaticDecision : "freeze",
            reasons: [LedgerReason(code: ReasonCode.frozen.rawValue, message: reason)], outflows: [], signature: [],
            policyVersion: policyState.version, clientReference: "")
        let event: LedgerEvent
        do {
            event = try await ledger.append([entry])[0]
        } catch {
            book.withLockedValue { $0.stop.freezing = false }
            return .failure(RPCError(ledger: error, consequence: "the freeze could not be recorded, so the wallet is not frozen; retry"))
        }
        let state = FreezeBook.state(of: event)
        let inForce = book.withLockedValue { book -> FreezeState in
            // Two freezes at once: the later row is the one in force, as after a restart.
            if let other = book.stop.freeze, other.ledgerSequence > state.ledgerSequence { return other }
            book.stop.freeze = state
            book.stop.freezing = false
            book.stop.refusals.removeAll()
            return state
        }
        logger.warning("wallet frozen", metadata: ["sequence": "\(inForce.ledgerSequence)", "automatic": "\(automatic)"])
        return .success(FreezeResponse(freeze: inForce, alreadyFrozen: false))
    }

    /// Whether a recorded refusal counts toward `freeze_after`: a denial
    /// (not an approval-required answer) while the policy has the rule.
    func countsTowardFreeze(_ decision: PolicyDecision) -> Bool {
        decision == .deny && policyState.compiled?.policy.freezeAfter != nil
    }

    /// Counts a recorded denial against `freeze_after` (Sign, Transfer,
    /// PayX402, Propose and ExecuteProposal alike, so that no method is a
    /// way round the count); the one that froze the wallet says so in its answer.
    func countDenial(_ refusal: inout RPCError, at time: UInt64) async {
        if await noteRefusal(at: time), let freeze = freezeState {
            refusal.status.reasons.append(Reason(.frozen, "this refusal froze the wallet (ledger #\(freeze.ledgerSequence)): \(freeze.reason)"))
        }
    }

    /// Counts a recorded refusal against `freeze_after`; true when it froze the wallet.
    func noteRefusal(at time: UInt64) async -> Bool {
        let trigger = book.withLockedValue { book -> FreezeAfter? in
            let rule = book.policy.compiled?.policy.freezeAfter
            return book.stop.noteRefusal(at: time, rule: rule) ? rule : nil
        }
        guard let rule = trigger else { return false }
        let reason = "\(rule.denials) refused request\(rule.denials == 1 ? "" : "s") within \(AmountText.duration(rule.seconds)) (policy freeze_after)"
        if case .success = await freeze(reason: reason, automatic: true) { return true }
        return false
    }

    /// Lifts the freeze `request.freezeSequence` names, with M distinct owners' signatures.
    func unfreeze(_ request: UnfreezeRequest) async -> Result<UnfreezeResponse, RPCError> {
        guard request.signatures.count <= 64 else { return .failure(RPCError(.invalidArgument, "at most 64 signatures")) }
        if !request.agentPublicKey.isEmpty, request.agentPublicKey != agent.bytes {
            return .failure(RPCError(.invalidArgument, "the unfreeze is for agent \(Base58.encode(request.agentPublicKey)), not this wallet's \(agent.base58)"))
        }
        guard let freeze = freezeState else { return .failure(RPCError(.failedPrecondition, "the wallet is not frozen")) }
        guard request.freezeSequence == freeze.ledgerSequence else {
            return .failure(RPCError(.failedPrecondition,
                "the unfreeze names freeze #\(request.freezeSequence), but the freeze in force is #\(freeze.ledgerSequence): the owners must sign for that one"))
        }
        let message = UnfreezeSigning.message(agent: agent, freezeSequence: freeze.ledgerSequence)
        var approving: Set<PublicKey> = []
        for signature in request.signatures {
            guard let key = PublicKey(bytes: signature.publicKey) else {
                return .failure(RPCError(.invalidArgument, "an owner public key must be 32 bytes, got \(signature.publicKey.count)"))
            }
            guard owners.contains(key) else {
                return .failure(RPCError(.permissionDenied, "\(key.base58) is not one of this wallet's owners"))
            }
            guard signature.signature.count == 64, Ed25519.verify(signature: signature.signature, message: message, publicKey: key.bytes) else {
                return .failure(RPCError(.permissionDenied, "the signature of owner \(key.base58) does not verify for unfreezing freeze #\(freeze.ledgerSequence) of agent \(agent.base58)"))
            }
            approving.insert(key)
        }
        guard approving.count >= ownerThreshold else {
            return .failure(RPCError(.permissionDenied, "\(approving.count) distinct owner signature(s); unfreezing needs \(ownerThreshold) of \(owners.count)"))
        }
        let entry = LedgerEntry(
            kind: .unfreeze, timeUnixMilliseconds: clock(), request: request.serializedBytes(),
            messageDigest: SHA256.hash(message), decision: "unfreeze",
            reasons: [LedgerReason(code: "unfrozen", message: "freeze #\(freeze.ledgerSequence) lifted by \(approving.count) of \(owners.count) owners")],
            outflows: [], signature: [], policyVersion: policyState.version, clientReference: "")
        let event: LedgerEvent
        do {
            event = try await ledger.append([entry])[0]
        } catch {
            return .failure(RPCError(ledger: error, consequence: "the unfreeze could not be recorded, so the wallet stays frozen"))
        }
        book.withLockedValue { book in
            if book.stop.freeze?.ledgerSequence == freeze.ledgerSequence {
                book.stop.freeze = nil
                book.stop.refusals.removeAll()
                book.stop.freezing = false
            }
        }
        logger.notice("wallet unfrozen", metadata: ["freeze": "\(freeze.ledgerSequence)", "sequence": "\(event.sequence)"])
        return .success(UnfreezeResponse(ledgerSequence: event.sequence))
    }
}
