import Foundation
import WaiaasSolana

/// How far a sent transaction got.
public struct SubmissionOutcome: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Sent; not seen on chain before the deadline.
        case sent
        case processed, confirmed, finalized
        /// Landed with an error (the fee is paid), or refused by every endpoint.
        case failed
        /// Its blockhash expired and it never landed: it can never land.
        case expired
    }

    public var status: Status
    public var error: String?
    public var slot: UInt64?
}

extension ChainQuorum {
    /// Sends `transaction` through every endpoint, then watches its first
    /// signature until it reaches the configured commitment, fails, expires
    /// or `deadline` (uptime nanoseconds) comes. `expires` is false for a
    /// durable-nonce transaction, which stays valid until its nonce moves.
    public func submit(_ transaction: [UInt8], signature: Signature, blockhash: Blockhash, expires: Bool, deadline: UInt64) async -> SubmissionOutcome {
        let sends = await each { endpoint throws(ChainError) in try endpoint.sendTransaction(transaction, expecting: signature) }
        let refusals = sends.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        if refusals.count == sends.count {
            // A node that answered with an error has judged the transaction
            // (a failed preflight, an unknown blockhash); none took it.
            return SubmissionOutcome(status: .failed, error: refusals.map(\.message).joined(separator: "; "))
        }
        var best = SubmissionOutcome(status: .sent)
        while true {
            let statuses = await each { endpoint throws(ChainError) in try endpoint.getSignatureStatuses([signature], searchHistory: false).value[0] }
            for case .success(let status?) in statuses {
                if let error = status.error { return SubmissionOutcome(status: .failed, error: error, slot: status.slot) }
                let level = Self.rank(status.confirmation ?? .processed)
                if level > Self.rank(best.status) { best = SubmissionOutcome(status: Self.status(status.confirmation ?? .processed), slot: status.slot) }
            }
            if Self.rank(best.status) >= Self.rank(Self.status(settings.commitment)) { return best }
            if best.status == .sent, expires, await hasExpired(signature, blockhash: blockhash) {
                return SubmissionOutcome(status: .expired, error: "blockhash \(blockhash.base58) expired before the transaction landed")
            }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now + 400_000_000 < deadline else { return best }
            try? await Task.sleep(nanoseconds: 400_000_000)
        }
    }

    /// True only when every endpoint says the blockhash is no longer valid
    /// and none has the signature even in its history: then it can never land.
    public func hasExpired(_ signature: Signature, blockhash: Blockhash) async -> Bool {
        let answers = await each { endpoint throws(ChainError) -> Bool in
            guard try !endpoint.isBlockhashValid(blockhash).value else { return false }
            return try endpoint.getSignatureStatuses([signature], searchHistory: true).value[0] == nil
        }
        return answers.allSatisfy { if case .success(true) = $0 { true } else { false } }
    }

    private static func status(_ commitment: Commitment) -> SubmissionOutcome.Status {
        switch commitment {
        case .processed: .processed
        case .confirmed: .confirmed
        case .finalized: .finalized
        }
    }

    private static func rank(_ commitment: Commitment) -> Int { rank(status(commitment)) }

    private static func rank(_ status: SubmissionOutcome.Status) -> Int {
        switch status {
        case .sent, .failed, .expired: 0
        case .processed: 1
        case .confirmed: 2
        case .finalized: 3
        }
    }
}

extension ChainQuorum {
    /// A recent blockhash from the first endpoint that gives one. A
    /// blockhash is not a decision fact (endpoints may be a slot apart), so
    /// it needs no agreement.
    /// `given` when it is a blockhash (32 bytes), else `anyLatestBlockhash()`:
    /// a caller may pin the blockhash of what the daemon builds for it.
    public func blockhash(given: [UInt8]) async -> Result<Blockhash, ChainError> {
        if let pinned = Blockhash(bytes: given) { return .success(pinned) }
        return await anyLatestBlockhash()
    }

    public func anyLatestBlockhash() async -> Result<Blockhash, ChainError> {
        var firstError: ChainError?
        for answer in await each({ endpoint throws(ChainError) in try endpoint.getLatestBlockhash().value.blockhash }) {
            switch answer {
            case .success(let blockhash): return .success(blockhash)
            case .failure(let error): firstError = firstError ?? error
            }
        }
        return .failure(firstError ?? ChainError(.notConfigured, "no RPC endpoint is configured"))
    }
}
