import Logging
import NIOCore
import NIOPosix
import WaiaasChain
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// Sign: decode strictly, judge, record, and only then answer with a signature.
///
/// Order on the path: the request is decoded and its effects computed
/// outside any lock; the decision and the reservation of its outflows are
/// one step under the wallet lock; the signature is computed (20 µs) and
/// written into the ledger row with the decision, so the ledger holds every
/// signature the daemon made; the row joins the next group commit; the
/// answer leaves only after that commit (from the commit callback). A
/// failed commit releases the reservation and the signature never leaves
/// the process.
///
/// Departure from the first design (docs/ARCHITECTURE.md), which signs after the commit on a pool
/// off the event loop: here the signature is made before the commit (so the
/// ledger row holds it and a replay returns it) and on the connection's
/// event loop, because on this daemon's batch sizes a hop to another thread
/// costs more than the 20–30 µs signature itself.
struct SignService: Sendable {
    let core: WalletCore

    private typealias Prepared = SignSubject

    typealias Respond = @Sendable (Result<SignResponse, RPCError>) -> Void

    /// Runs on the connection's event loop up to the ledger append and
    /// answers from the ledger's commit callback: no task, no hop through
    /// the cooperative pool (see `MethodHandler.deferred`). Nothing on that
    /// path blocks: a message the signed-digest filter says may have been
    /// signed before (a replay, or a rare false positive) is looked up in
    /// the ledger from a task instead (see `decide`).
    /// `payment` is set by PayX402 alone: the x402 facts of a transaction it built.
    func sign(_ request: SignRequest, _ call: ServerCall, payment: X402Payment? = nil, respond: @escaping Respond) {
        guard request.clientReference.utf8.count <= 256 else {
            return respond(.failure(RPCError(.invalidArgument, "client_reference is longer than 256 bytes")))
        }
        var respond = respond
        if request.submit {
            guard !request.dryRun else {
                return respond(.failure(RPCError(.invalidArgument, "submit and dry_run together: a dry run signs nothing to submit")))
            }
            guard case .transaction = request.payload else {
                return respond(.failure(RPCError(.invalidArgument, "only a transaction can be submitted")))
            }
            guard let chain = core.chain else {
                return respond(.failure(RPCError(.failedPrecondition, "submit needs an RPC endpoint (waiaasd serve --rpc-url); nothing was signed")))
            }
            respond = Self.submitting(through: chain, until: call.deadline, then: respond)
        }
        // A transaction through lookup tables waits for the chain's copy of
        // them, read off the event loop; everything else goes straight on.
        if let resolver = core.lookupTables, case .transaction(let bytes) = request.payload,
           let transaction = try? SolanaTransaction.decode(bytes), !transaction.message.addressTableLookups.isEmpty {
            if let report = resolver.cached(transaction.message.addressTableLookups) {
                return judge(request, call, chain: report, payment: payment, respond: respond)
            }
            if let exhausted = core.admitChainRead(call) { return respond(.failure(exhausted)) }
            Task {
                let report = await resolver.resolve(transaction.message.addressTableLookups)
                judge(request, call, chain: report, payment: payment, respond: respond)
            }
            return
        }
        judge(request, call, chain: nil, payment: payment, respond: respond)
    }

    private func judge(_ request: SignRequest, _ call: ServerCall, chain: LookupTableReport?, payment: X402Payment?, respond: @escaping Respond) {
        var prepared: Prepared
        switch prepare(request, chain: chain) {
        case .success(let value): prepared = value
        case .failure(let error): return respond(.failure(error))
        }
        prepared.x402 = payment
        let digest = SHA256.hash(prepared.messageBytes)
        // A policy that asks for simulation gets one, off the event loop,
        // before the decision; without an endpoint the policy denies.
        if core.policyState.compiled?.policy.simulate == true, let simulator = core.simulator, case .transaction(let bytes) = request.payload {
            if let exhausted = core.admitChainRead(call) { return respond(.failure(exhausted)) }
            let agent = core.agent
            let writable = prepared.writableAccounts
            Task {
                prepared.attach(simulation: await simulator.simulate(bytes, writableAccounts: writable, agent: agent))
                decide(request, call, prepared: prepared, digest: digest, digestHeld: false, respond: respond)
            }
            return
        }
        decide(request, call, prepared: prepared, digest: digest, digestHeld: false, respond: respond)
    }

    /// The decision and reservation as one step, then the ledger. Bytes that
    /// may have been signed before are looked up in the ledger once, on
    /// NIO's blocking thread pool (neither an event loop nor the cooperative
    /// pool ever waits on SQLite; sqlite-nio does the same), with their digest
    /// held so that nothing identical can commit meanwhile; then they come back here.
    private func decide(
        _ request: SignRequest, _ call: ServerCall, prepared: Prepared, digest: [UInt8], digestHeld: Bool, respond: @escaping Respond
    ) {
        switch core.decideAndReserve(subject: prepared.subject, payment: prepared.x402, digest: digest, dryRun: request.dryRun, digestHeld: digestHeld) {
        case .possibleReplay:
            let ledger = core.ledger
            Task {
                do {
                    let earlier = try await NIOThreadPool.singleton.runIfActive { try ledger.event(messageDigest: digest) }
                    if let earlier, earlier.entry.kind == .sign {
                        core.releaseDigest(digest)
                        return respond(.success(SignOutcome.replay(of: earlier, signedTransaction: Self.fill(prepared, signature: earlier.entry.signature), signer: core.agent)))
                    }
                } catch {
                    core.releaseDigest(digest)
                    return respond(.failure(RPCError(ledger: error, consequence: "the ledger could not be read to check for an earlier signature")))
                }
                decide(request, call, prepared: prepared, digest: digest, digestHeld: true, respond: respond)
            }
        case .frozen(let freeze):
            respond(.failure(.frozen(freeze)))
        case .duplicateInFlight:
            respond(.failure(RPCError(.aborted, "an identical message is being signed right now; retry to receive its signature")))
        case .notReserved(let evaluation, let version, let time):
            if request.dryRun {
                return respond(.success(SignOutcome(evaluation: evaluation).response(signature: [], signedTransaction: [], ledgerSequence: 0, signer: core.agent)))
            }
            refuse(evaluation, call: call, request: Self.audited(request), digest: digest, version: version,
                   time: time, reference: request.clientReference, respond: respond)
        case .reserved(let evaluation, let version, let time):
            commitAndAnswer(evaluation, prepared: prepared, request: Self.audited(request), digest: digest,
                            version: version, time: time, reference: request.clientReference, respond: respond)
        }
    }

    private func prepare(_ request: SignRequest, chain: LookupTableReport?) -> Result<Prepared, RPCError> {
        SignSubject.make(request, agent: core.agent, chain: chain).mapError { refusal in
            RPCError(undecodable: refusal)
        }
    }

    /// Signs, files the row with its signature, and answers after COMMIT.
    /// The answer is built before the append, so the commit callback (on the
    /// ledger's writer thread, which every later batch waits for) only
    /// settles the reservation and hands the answer over.
    private func commitAndAnswer(
        _ evaluation: PolicyEvaluation, prepared: Prepared, request: [UInt8], digest: [UInt8], version: UInt64, time: UInt64,
        reference: String, respond: @escaping Respond
    ) {
        let signature = core.signer.sign(prepared.messageBytes)
        let outcome = SignOutcome(evaluation: evaluation)
        let entry = outcome.entry(request: request, messageDigest: digest, signature: signature, policyVersion: version, time: time, reference: reference)
        let answer = outcome.response(signature: signature, signedTransaction: Self.fill(prepared, signature: signature), ledgerSequence: 0, signer: core.agent)
        let core = self.core
        core.ledger.append([entry]) { result in
            switch result {
            case .success(let events):
                core.settle(digest: digest, time: time, outflows: evaluation.outflows, committed: true)
                var answer = answer
                answer.ledgerSequence = events[0].sequence
                respond(.success(answer))
            case .failure(let error):
                core.settle(digest: digest, time: time, outflows: evaluation.outflows, committed: false)
                core.logger.error("ledger commit failed; nothing signed", metadata: ["error": "\(error)"])
                respond(.failure(RPCError(ledger: error, consequence: "the ledger could not record the decision, so nothing was signed; retry later")))
            }
        }
    }

    /// Records a refusal, then answers it. Past the peer's refusal rate the
    /// request is answered RESOURCE_EXHAUSTED and leaves no row, so one
    /// client cannot fill the disk with refusals. When the ledger cannot take
    /// the row (a full disk, say) the refusal is still answered: nothing is
    /// signed either way, and the caller learns why.
    private func refuse(
        _ evaluation: PolicyEvaluation, call: ServerCall, request: [UInt8], digest: [UInt8], version: UInt64,
        time: UInt64, reference: String, respond: @escaping Respond
    ) {
        if let exhausted = core.refusals.admit(uid: call.peer.uid, connection: call.connection) {
            return respond(.failure(RPCError(.resourceExhausted,
                "too many refused requests from \(exhausted.peerDescription); this one was not judged or recorded: slow down and fix the requests before retrying")))
        }
        let outcome = SignOutcome(evaluation: evaluation)
        let entry = outcome.entry(request: request, messageDigest: digest, signature: [], policyVersion: version, time: time, reference: reference)
        let logger = core.logger
        let hint = evaluation.decision == .approvalRequired ? Self.proposeHint(core) : nil
        let core = self.core
        core.ledger.append([entry]) { result in
            let recorded: String
            var counted = false
            switch result {
            case .success(let events):
                recorded = "ledger #\(events[0].sequence)"
                counted = evaluation.decision == .deny
            case .failure(let error):
                logger.error("ledger could not record a refusal; answered anyway", metadata: ["error": "\(error)"])
                recorded = "not recorded: the ledger is unavailable"
            }
            var refusal = outcome.refusal(recorded: recorded)
            if let hint { refusal.status.reasons.append(hint) }
            guard counted, core.countsTowardFreeze(evaluation.decision) else { return respond(.failure(refusal)) }
            // The policy's freeze_after counts recorded denials; the one that
            // reaches its count is answered once the freeze is in force.
            Task {
                await core.countDenial(&refusal, at: time)
                respond(.failure(refusal))
            }
        }
    }

    /// What turns an approval-required answer into a proposal in one call:
    /// the multisig and vault Propose would use (docs/SQUADS.md).
    static func proposeHint(_ core: WalletCore) -> Reason? {
        guard let multisig = core.multisig, let vault = core.vault else { return nil }
        return Reason(.proposeAvailable,
            "Propose can put this before the owners: the same instructions with vault 0 (\(vault.base58)) as fee payer and source, "
            + "to multisig \(multisig.base58); Transfer does it with propose_if_approval_required")
    }

    /// Wraps an answer so that a signature, once recorded, is sent and
    /// watched before the answer leaves. A refusal passes straight through:
    /// nothing was signed, so nothing is sent.
    static func submitting(through chain: ChainQuorum, until deadline: NIODeadline, then respond: @escaping Respond) -> Respond {
        { result in
            guard case .success(var answer) = result, !answer.signature.isEmpty,
                  let signature = Signature(bytes: answer.signature),
                  let transaction = try? SolanaTransaction.decode(answer.signedTransaction) else {
                return respond(result)
            }
            // Leave time to write the answer before the caller gives up.
            let watchUntil = UInt64(max(0, deadline.uptimeNanoseconds &- 250_000_000))
            Task {
                let outcome = await chain.submit(
                    answer.signedTransaction, signature: signature, blockhash: transaction.message.recentBlockhash,
                    expires: !transaction.message.usesDurableNonce, deadline: watchUntil)
                answer.submission = Submission(outcome)
                respond(.success(answer))
            }
        }
    }

    /// The request as the ledger keeps it (and its digest is of these bytes):
    /// what the audit needs (the bytes judged, the dry-run flag and the
    /// reference) and nothing the caller can inflate.
    /// The caller's lookup-table contents are never used, so never stored; an
    /// off-chain message beyond the largest transaction keeps its first
    /// 4,096 bytes (the row's message digest still names the whole of it).
    static func audited(_ request: SignRequest) -> [UInt8] {
        var kept = SignRequest(dryRun: request.dryRun, clientReference: request.clientReference)
        switch request.payload {
        case .transaction(let bytes): kept.payload = .transaction(bytes)
        case .offchainMessage(let bytes): kept.payload = .offchainMessage(Array(bytes.prefix(maximumStoredPayload)))
        case nil: break
        }
        return kept.serializedBytes()
    }

    static let maximumStoredPayload = SolanaLimits.v1MaxTransactionSize

    /// The transaction with the agent's signature in its own slot; other slots as given.
    private static func fill(_ prepared: Prepared, signature: [UInt8]) -> [UInt8] {
        guard let transaction = prepared.transaction, let slot = prepared.agentSlot, let value = Signature(bytes: signature),
              let signed = transaction.replacingSignature(at: slot, with: value) else { return [] }
        return signed.encoded()
    }
}
