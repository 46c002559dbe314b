import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// One Sign decision in the daemon's terms. The ledger row and the answer
/// are both made here from the same `PolicyEvaluation`, so that what is
/// recorded and what the caller is told cannot drift apart, and the
/// conversions between the policy's, the ledger's and the wire's types are
/// written once.
struct SignOutcome {
    let evaluation: PolicyEvaluation

    /// The kind of row the decision files.
    var ledgerKind: LedgerEventKind {
        switch evaluation.decision {
        case .allow: .sign
        case .deny: .deny
        case .approvalRequired: .approvalRequired
        }
    }

    /// The row (the ledger computes its request digest, once). A refusal keeps at most `maximumStoredReasons` reasons (the
    /// caller is answered all of them).
    /// `kind` is Propose's (`.propose`, whatever the decision); Sign's follows the decision.
    func entry(request: [UInt8], messageDigest: [UInt8], signature: [UInt8], policyVersion: UInt64, time: UInt64, reference: String,
               kind: LedgerEventKind? = nil) -> LedgerEntry {
        let reasons = evaluation.decision == .allow ? evaluation.reasons : Self.bounded(evaluation.reasons)
        return LedgerEntry(
            kind: kind ?? ledgerKind, timeUnixMilliseconds: time, request: request,
            messageDigest: messageDigest, decision: evaluation.decision.rawValue, reasons: reasons.map(LedgerReason.init),
            outflows: sortedOutflows.map { LedgerOutflow(asset: $0.key.bytes, amount: $0.value) }, signature: signature,
            policyVersion: policyVersion, clientReference: reference)
    }

    /// The answer to an allowed request (or a dry run of any).
    func response(signature: [UInt8], signedTransaction: [UInt8], ledgerSequence: UInt64, signer: PublicKey) -> SignResponse {
        SignResponse(
            decision: Decision(evaluation.decision), signature: signature, signedTransaction: signedTransaction,
            ledgerSequence: ledgerSequence, reasons: evaluation.reasons.map(Reason.init), signer: signer.bytes,
            outflows: sortedOutflows.map { AssetAmount(mint: $0.key.bytes, amount: $0.value) },
            replayed: false, maxFeeLamports: evaluation.maxFeeLamports)
    }

    /// The answer to a refused request; `recorded` says where the row went.
    func refusal(recorded: String) -> RPCError {
        RPCError(decision: evaluation.decision, reasons: evaluation.reasons, recorded: recorded)
    }

    /// The answer to bytes signed before: the recorded signature and outflows.
    static func replay(of earlier: LedgerEvent, signedTransaction: [UInt8], signer: PublicKey) -> SignResponse {
        SignResponse(
            decision: .allow, signature: earlier.entry.signature, signedTransaction: signedTransaction,
            ledgerSequence: earlier.sequence,
            reasons: [Reason(.replayed, "these exact bytes were signed before (ledger #\(earlier.sequence)); the same signature, counted once")],
            signer: signer.bytes, outflows: earlier.entry.outflows.map { AssetAmount(mint: $0.asset, amount: $0.amount) },
            replayed: true)
    }

    static let maximumStoredReasons = 32

    /// At most 32 reasons in a row; the rest are summed up in one.
    static func bounded(_ reasons: [PolicyReason]) -> [PolicyReason] {
        guard reasons.count > maximumStoredReasons else { return reasons }
        let rest = reasons.count - maximumStoredReasons + 1
        return Array(reasons.prefix(maximumStoredReasons - 1))
            + [PolicyReason(.deny, .moreReasons, "\(rest) more reasons, answered to the caller but not stored")]
    }

    private var sortedOutflows: [(key: AssetKey, value: UInt64)] { evaluation.outflows.sorted { $0.key < $1.key } }
}

extension Reason {
    init(_ code: ReasonCode, _ message: String) { self.init(code: code.rawValue, message: message) }
    init(_ reason: PolicyReason) { self.init(reason.code, reason.message) }
}

extension LedgerReason {
    init(_ code: ReasonCode, _ message: String) { self.init(code: code.rawValue, message: message) }
    init(_ reason: PolicyReason) { self.init(reason.code, reason.message) }
}

extension Decision {
    init(_ decision: PolicyDecision) {
        switch decision {
        case .allow: self = .allow
        case .deny: self = .deny
        case .approvalRequired: self = .approvalRequired
        }
    }
}
