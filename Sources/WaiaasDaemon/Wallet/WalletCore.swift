import Foundation
import Logging
import NIOConcurrencyHelpers
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// The wallet: the agent key, the policy in force, the spending book and the
/// ledger, and the one critical section where a decision and its reservation
/// become a single step (DESIGN section 5).
///
/// Only `decideAndReserve` and policy replacement hold the lock, for
/// microseconds; decoding, signing and the ledger's fsync happen outside it.
public final class WalletCore: Sendable {
    struct Book: Sendable {
        var spending: SpendingBook
        var policy: PolicyState
        /// Message digests being signed right now: an identical request that
        /// arrives meanwhile must not be counted twice.
        var inFlight: Set<[UInt8]> = []
        /// Every message signed and committed (maybe more): the idempotency
        /// lookup in the ledger is needed only where this says "maybe".
        var signed: SignedDigestFilter
    }

    let signer: AgentSigner
    let agent: PublicKey
    let ledger: Ledger
    let owners: [PublicKey]
    let ownerThreshold: Int
    let configurationBytes: [UInt8]
    let logger: Logger
    let clock: @Sendable () -> UInt64
    private let book: NIOLockedValueBox<Book>

    /// The default lookback when the policy has no windows: enough for the
    /// longest window a later policy is likely to name without a rebuild.
    static let minimumHorizonSeconds: UInt64 = 7 * 86_400

    public init(
        signer: AgentSigner, ledger: Ledger, owners: [PublicKey], ownerThreshold: Int, configurationBytes: [UInt8],
        logger: Logger, clock: @escaping @Sendable () -> UInt64 = WalletCore.systemMilliseconds
    ) throws {
        self.signer = signer
        self.agent = PublicKey(bytes: signer.publicKey)!
        self.ledger = ledger
        self.owners = owners
        self.ownerThreshold = ownerThreshold
        self.configurationBytes = configurationBytes
        self.logger = logger
        self.clock = clock
        let policy = try Self.loadPolicy(from: ledger, agent: PublicKey(bytes: signer.publicKey)!)
        let horizon = max(Self.minimumHorizonSeconds, policy.compiled?.longestWindowSeconds ?? 0)
        let spending = try Self.rebuildSpending(from: ledger, horizonSeconds: horizon, now: clock())
        var signed = SignedDigestFilter(expected: Int(clamping: ledger.head().sequence))
        try ledger.forEachSignedMessageDigest { signed.insert($0) }
        self.book = NIOLockedValueBox(Book(spending: spending, policy: policy, signed: signed))
    }


    public static func systemMilliseconds() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    /// The policy in force is the last `policy_set` event in the ledger.
    static func loadPolicy(from ledger: Ledger, agent: PublicKey) throws -> PolicyState {
        guard let event = try ledger.latest(kind: .policySet) else { return .none }
        let request = try SetPolicyRequest(serializedBytes: event.entry.request)
        let compiled = try CompiledPolicy.decode(request.policy)
        return PolicyState(compiled: compiled, version: request.version, bytes: request.policy,
                           hash: SHA256.hash(request.policy), signatures: request.signatures, ledgerSequence: event.sequence)
    }

    /// Spending windows come from the ledger, so a restart never resets them.
    static func rebuildSpending(from ledger: Ledger, horizonSeconds: UInt64, now: UInt64) throws -> SpendingBook {
        var spending = SpendingBook(horizonSeconds: horizonSeconds)
        let since = now > horizonSeconds * 1000 ? now - horizonSeconds * 1000 : 0
        for event in try ledger.events(since: since, kinds: [.sign]) {
            spending.record(timeMilliseconds: event.entry.timeUnixMilliseconds, amounts: event.entry.outflows.map { (asset: $0.asset, amount: $0.amount) })
        }
        return spending
    }

    var policyState: PolicyState { book.withLockedValue { $0.policy } }

    /// A decision, and for an allowed request not on a dry run, the
    /// reservation of its outflows, in one step under the lock.
    enum Reservation {
        case reserved(PolicyEvaluation, policyVersion: UInt64, time: UInt64)
        case notReserved(PolicyEvaluation, policyVersion: UInt64, time: UInt64)
        case duplicateInFlight
        /// These bytes may have been signed and committed before: look them
        /// up in the ledger, then come back with `absentAt: generation` if
        /// they are not there.
        case possibleReplay(generation: Int)
    }

    /// `absentAt` is the filter generation at which the ledger was found not
    /// to hold the digest. The check against the filter happens under the
    /// same lock as the reservation, and a commit puts its digest in the
    /// filter before it leaves `inFlight`, so an identical request always
    /// meets one or the other: it is never counted twice. A digest the
    /// filter holds is reserved only when no commit happened since the
    /// lookup that found it absent (a false positive); otherwise it is
    /// looked up again.
    func decideAndReserve(subject: PolicySubject, digest: [UInt8], dryRun: Bool, absentAt: Int? = nil) -> Reservation {
        let now = clock()
        return book.withLockedValue { book in
            if !dryRun, book.signed.mayContain(digest), absentAt != book.signed.count {
                return .possibleReplay(generation: book.signed.count)
            }
            let evaluation = PolicyEngine.evaluate(policy: book.policy.compiled, subject: subject, agent: agent, book: book.spending, nowMilliseconds: now)
            guard !dryRun, evaluation.decision == .allow else {
                return .notReserved(evaluation, policyVersion: book.policy.version, time: now)
            }
            guard book.inFlight.insert(digest).inserted else { return .duplicateInFlight }
            let filed = book.spending.record(timeMilliseconds: now, outflows: evaluation.outflows)
            return .reserved(evaluation, policyVersion: book.policy.version, time: filed)
        }
    }

    /// Ends a reservation: kept when its ledger row committed, released when not.
    func settle(digest: [UInt8], time: UInt64, outflows: [AssetKey: UInt64], committed: Bool) {
        book.withLockedValue { book in
            // Into the filter before the digest leaves `inFlight`: an identical
            // request always finds one or the other.
            if committed { book.signed.insert(digest) }
            book.inFlight.remove(digest)
            if !committed {
                book.spending.release(timeMilliseconds: time, outflows: outflows)
            }
            book.spending.prune(now: time)
        }
    }

    /// Swaps the policy in after its ledger row committed; rebuilds the book
    /// when the new policy looks further back than the book keeps.
    func install(_ state: PolicyState) throws {
        let horizon = state.compiled?.longestWindowSeconds ?? 0
        let needsRebuild = book.withLockedValue { $0.spending.horizonSeconds < horizon }
        let rebuilt = needsRebuild ? try Self.rebuildSpending(from: ledger, horizonSeconds: horizon, now: clock()) : nil
        book.withLockedValue { book in
            book.policy = state
            if let rebuilt { book.spending = rebuilt }
        }
    }

    /// Runs `body` with the policy state, serialised with other policy changes.
    func withPolicyLock<T>(_ body: (PolicyState) throws -> T) rethrows -> T {
        try book.withLockedValue { try body($0.policy) }
    }

    /// Remaining budget per asset and window, for `ledger tail` and status.
    func budgets() -> [(asset: AssetKey, symbol: String, decimals: UInt32, seconds: UInt64, limit: UInt64, spent: UInt64)] {
        let now = clock()
        return book.withLockedValue { book in
            guard let compiled = book.policy.compiled else { return [] }
            return compiled.assets.values.sorted { $0.asset < $1.asset }.flatMap { limits in
                limits.windows.map { window in
                    (limits.asset, limits.symbol, limits.decimals, window.seconds, window.amount, book.spending.spent(limits.asset, inLast: window.seconds, now: now))
                }
            }
        }
    }
}

extension WalletCore {
    public var agentAddress: String { agent.base58 }

    /// One line about the policy in force, for the start-up banner.
    public var policySummary: String {
        let state = policyState
        guard let compiled = state.compiled else { return "none set: every request is denied until the owners sign one" }
        let assets = compiled.assets.values.sorted { $0.asset < $1.asset }.map { limits -> String in
            var parts: [String] = []
            if let perTransaction = limits.perTransaction { parts.append("\(limits.text(perTransaction)) per transaction") }
            for window in limits.windows { parts.append("\(limits.text(window.amount)) per \(window.seconds / 3600 > 0 && window.seconds % 3600 == 0 ? "\(window.seconds / 3600) h" : "\(window.seconds) s")") }
            return parts.isEmpty ? limits.symbol : parts.joined(separator: ", ")
        }
        return "version \(state.version)\(compiled.policy.name.isEmpty ? "" : " (\(compiled.policy.name))"): " + (assets.isEmpty ? "no asset may leave" : assets.joined(separator: "; "))
    }
}
