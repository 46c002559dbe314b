import WaiaasAttestation
import WaiaasChain
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC

/// Every domain error and decision as the status a caller receives, in one
/// place (docs/PROTOCOL.md lists the codes). Services raise these, never a
/// status of their own choosing for a domain error; plain checks of a
/// request's fields answer INVALID_ARGUMENT where they are made.
extension RPCError {
    /// A policy's refusal: PERMISSION_DENIED, or FAILED_PRECONDITION when
    /// the owner may approve it instead; `recorded` says where the row went.
    init(decision: PolicyDecision, reasons: [PolicyReason], recorded: String) {
        let summary = reasons.map(\.description).joined(separator: "; ")
        if decision == .approvalRequired {
            self.init(.failedPrecondition, "approval required (\(recorded)): \(summary)", reasons: reasons.map(Reason.init))
        } else {
            self.init(.permissionDenied, "denied by policy (\(recorded)): \(summary)", reasons: reasons.map(Reason.init))
        }
    }

    /// Bytes that do not decode as what they claim to be: INVALID_ARGUMENT with the decoder's code.
    init(undecodable refusal: SignSubject.Refusal) {
        self.init(.invalidArgument, refusal.message, reasons: [Reason(refusal.code, refusal.message)])
    }

    /// A policy that does not compile: INVALID_ARGUMENT, one `invalid_policy` reason per problem.
    init(invalidPolicy error: PolicyError) {
        self.init(.invalidArgument, "\(error)", reasons: error.problems.map { Reason(.invalidPolicy, $0) })
    }

    /// The ledger could not be written or read: UNAVAILABLE, saying what
    /// did not happen because of it (nothing is ever signed past this).
    init(ledger error: any Error, consequence: String) {
        self.init(.unavailable, "\(consequence): \(error)")
    }

    /// A report that could not be made: a bad nonce is the caller's
    /// (INVALID_ARGUMENT), a missing NSM the host's (UNAVAILABLE), the rest ours (INTERNAL).
    init(attestation error: any Error) {
        let code = (error as? AttestationError)?.code
        if code == .invalidNonce {
            self.init(.invalidArgument, "\(error)")
        } else if code?.isNSM == true {
            self.init(.unavailable, "\(error)")
        } else {
            self.init(.internal, "\(error)")
        }
    }

    /// A chain question with no answer: the endpoints are unreachable or
    /// wrong (UNAVAILABLE), or disagree (ABORTED: retrying may help), or
    /// there are none (FAILED_PRECONDITION).
    init(chain error: ChainError, doing what: String) {
        switch error.code {
        case .disagreement: self.init(.aborted, "\(what): \(error.message)")
        case .notConfigured: self.init(.failedPrecondition, "\(what) needs an RPC endpoint (waiaasd serve --rpc-url)")
        default: self.init(.unavailable, "\(what): \(error.message)")
        }
    }
}

/// How far a submission got, as the wire carries it.
extension Submission {
    init(_ outcome: SubmissionOutcome) {
        let status: SubmissionStatus = switch outcome.status {
        case .sent: .sent
        case .processed: .processed
        case .confirmed: .confirmed
        case .finalized: .finalized
        case .failed: .failed
        case .expired: .expired
        }
        self.init(status: status, error: outcome.error ?? "", slot: outcome.slot ?? 0)
    }
}
