import WaiaasChain
import WaiaasProto
import WaiaasRPC

/// The chain's answers as the wire carries them, and chain errors as RPC statuses.
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

extension RPCError {
    /// A chain question that has no answer: the endpoints are unreachable
    /// or wrong (UNAVAILABLE), or disagree (ABORTED: retrying may help).
    init(chain error: ChainError, doing what: String) {
        switch error.code {
        case .disagreement: self.init(.aborted, "\(what): \(error.message)")
        case .notConfigured: self.init(.failedPrecondition, "\(what) needs an RPC endpoint (waiaasd serve --rpc-url)")
        default: self.init(.unavailable, "\(what): \(error.message)")
        }
    }
}
