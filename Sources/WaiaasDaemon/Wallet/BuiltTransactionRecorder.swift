import NIOCore
import WaiaasChain
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// Signs a transaction the daemon built itself (Propose, ExecuteProposal),
/// files its row, and settles its reservation, so that what is signed is
/// recorded before it leaves, as on the Sign path; and records refusals.
struct BuiltTransactionRecorder: Sendable {
    let core: WalletCore
    /// The row's kind, whatever the decision (`propose` or `execute`).
    let kind: LedgerEventKind

    struct Recorded {
        var signed: SolanaTransaction
        var signature: Signature
        var sequence: UInt64
    }

    /// The agent's signature in slot 0 (the agent is the fee payer), recorded.
    func signAndRecord(
        _ evaluation: PolicyEvaluation, transaction: SolanaTransaction, request: [UInt8], version: UInt64, time: UInt64
    ) async -> Result<Recorded, RPCError> {
        let proposal = kind == .propose
        let bytes = core.signer.sign(transaction.messageBytes)
        guard let signature = Signature(bytes: bytes), let signed = transaction.replacingSignature(at: 0, with: signature) else {
            core.settleBuilt(time: time, outflows: evaluation.outflows, proposal: proposal, committed: false)
            return .failure(RPCError(.internal, "the agent's signature could not be placed"))
        }
        let entry = SignOutcome(evaluation: evaluation).entry(
            request: request, messageDigest: SHA256.hash(transaction.messageBytes), signature: bytes, policyVersion: version,
            time: time, reference: "", kind: kind)
        switch await append(entry) {
        case .success(let sequence):
            core.settleBuilt(time: time, outflows: evaluation.outflows, proposal: proposal, committed: true)
            return .success(Recorded(signed: signed, signature: signature, sequence: sequence))
        case .failure(let error):
            core.settleBuilt(time: time, outflows: evaluation.outflows, proposal: proposal, committed: false)
            core.logger.error("ledger commit failed; nothing signed", metadata: ["error": "\(error)", "kind": "\(kind.rawValue)"])
            return .failure(RPCError(ledger: error, consequence: "the ledger could not record the decision, so nothing was signed; retry later"))
        }
    }

    /// Records a refusal (bounded per peer, as Sign's are), then answers it;
    /// a recorded denial counts toward `freeze_after`, as Sign's do.
    func refuse(_ evaluation: PolicyEvaluation, call: ServerCall, request: [UInt8], version: UInt64, time: UInt64) async -> RPCError {
        if let exhausted = core.refusals.admit(uid: call.peer.uid, connection: call.connection) {
            return RPCError(.resourceExhausted,
                "too many refused requests from \(exhausted.peerDescription); this one was not judged or recorded: slow down before retrying")
        }
        let outcome = SignOutcome(evaluation: evaluation)
        let entry = outcome.entry(request: request, messageDigest: [], signature: [], policyVersion: version, time: time, reference: "", kind: kind)
        switch await append(entry) {
        case .success(let sequence):
            var refusal = outcome.refusal(recorded: "ledger #\(sequence)")
            if core.countsTowardFreeze(evaluation.decision) { await core.countDenial(&refusal, at: time) }
            return refusal
        case .failure(let error):
            core.logger.error("ledger could not record a refusal; answered anyway", metadata: ["error": "\(error)", "kind": "\(kind.rawValue)"])
            return outcome.refusal(recorded: "not recorded: the ledger is unavailable")
        }
    }

    /// Sends a recorded transaction and watches it until shortly before the call's deadline.
    static func submit(_ recorded: Recorded, through chain: ChainQuorum, deadline: NIODeadline) async -> Submission {
        let watchUntil = UInt64(max(0, deadline.uptimeNanoseconds &- 250_000_000))
        let outcome = await chain.submit(recorded.signed.encoded(), signature: recorded.signature,
                                         blockhash: recorded.signed.message.recentBlockhash, expires: true, deadline: watchUntil)
        return Submission(outcome)
    }

    private func append(_ entry: LedgerEntry) async -> Result<UInt64, LedgerError> {
        let result: Result<[LedgerEvent], LedgerError> = await withCheckedContinuation { continuation in
            core.ledger.append([entry]) { continuation.resume(returning: $0) }
        }
        return result.map { $0[0].sequence }
    }
}
