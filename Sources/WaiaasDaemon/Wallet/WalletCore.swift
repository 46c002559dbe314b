import Foundation
import Logging
import NIOConcurrencyHelpers
import WaiaasChain
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// The wallet: the agent key, the policy in force, the spending book and the
/// ledger, and the one critical section where a decision and its reservation
/// become a single step (docs/ARCHITECTURE.md).
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
        /// The emergency stop: checked in the same step as every decision.
        var stop: FreezeBook
    }

    let signer: AgentSigner
    /// The wallet's address: the agent key's public half.
    var agent: PublicKey { signer.publicKey }
    let ledger: Ledger
    /// The ledger's group commit since start, for the line a clean stop
    /// logs: how many rows each fsync carried and where a commit's time went
    /// (inserting, then COMMIT with its fsync). Counts only, no content.
    public var ledgerCommitSummary: Logger.Metadata {
        let statistics = ledger.statistics
        let commits = max(statistics.commits, 1)
        return [
            "ledger_rows": "\(statistics.rows)",
            "ledger_commits": "\(statistics.commits)",
            "rows_per_commit": "\((statistics.rowsPerCommit * 10).rounded() / 10)",
            "largest_commit": "\(statistics.largestBatch)",
            "failed_commits": "\(statistics.failedBatches)",
            "insert_us_per_commit": "\(statistics.insertNanoseconds / commits / 1_000)",
            "commit_us_per_commit": "\(statistics.commitNanoseconds / commits / 1_000)",
        ]
    }
    let owners: [PublicKey]
    let ownerThreshold: Int
    let configurationBytes: [UInt8]
    let logger: Logger
    let clock: @Sendable () -> UInt64
    /// Bounds the refusals each peer can have recorded (see `PeerRateLimiter`).
    let refusals = PeerRateLimiter(perUID: .init(perSecond: 50, burst: 200), perConnection: .init(perSecond: 20, burst: 100))
    /// Bounds the requests each peer can make read the chain (see `PeerRateLimiter`).
    let chainReads = PeerRateLimiter(perUID: .init(perSecond: 100, burst: 400), perConnection: .init(perSecond: 50, burst: 200))
    /// Lookup tables read from the chain; nil when no RPC endpoint is configured.
    let lookupTables: LookupTableResolver?
    /// Simulation on the chain, for a policy with `"simulate": true`; nil offline.
    let simulator: TransactionSimulator?
    /// The operator's RPC endpoints; nil when the daemon runs offline.
    let chain: ChainQuorum?
    /// The Squads v4 multisig the agent proposes to, and its default vault (index 0).
    public let multisig: PublicKey?
    public let vault: PublicKey?
    let book: NIOLockedValueBox<Book>

    /// The default lookback when the policy has no windows: enough for the
    /// longest window a later policy is likely to name without a rebuild.
    static let minimumHorizonSeconds: UInt64 = 7 * 86_400

    public init(
        signer: AgentSigner, ledger: Ledger, owners: [PublicKey], ownerThreshold: Int, configurationBytes: [UInt8],
        logger: Logger, chain: ChainQuorum? = nil, multisig: PublicKey? = nil,
        clock: @escaping @Sendable () -> UInt64 = WalletCore.systemMilliseconds
    ) throws {
        self.multisig = multisig
        self.vault = multisig.flatMap { Squads.vault(multisig: $0, index: 0)?.address }
        self.signer = signer
        self.lookupTables = chain.map(LookupTableResolver.init(quorum:))
        self.simulator = chain.map(TransactionSimulator.init(quorum:))
        self.chain = chain
        self.ledger = ledger
        self.owners = owners
        self.ownerThreshold = ownerThreshold
        self.configurationBytes = configurationBytes
        self.logger = logger
        self.clock = clock
        let policy = try Self.loadPolicy(from: ledger, agent: signer.publicKey)
        let horizon = max(Self.minimumHorizonSeconds, policy.compiled?.longestWindowSeconds ?? 0)
        let spending = try Self.rebuildSpending(from: ledger, horizonSeconds: horizon, now: clock())
        var signed = SignedDigestFilter(expected: Int(clamping: ledger.head().sequence))
        try ledger.forEachSignedMessageDigest { signed.insert($0) }
        let stop = try FreezeBook.load(from: ledger, policy: policy.compiled, now: clock())
        self.book = NIOLockedValueBox(Book(spending: spending, policy: policy, signed: signed, stop: stop))
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
        let since = SpendingBook(horizonSeconds: horizonSeconds).horizonStart(now: now)
        return try loadSpending(from: ledger, horizonSeconds: horizonSeconds, after: since, through: nil)
    }

    /// The sign rows with `after < time ≤ through`, as a book complete after
    /// `after`. Filed in time order with their ledger times unchanged (a
    /// clock that stepped back between runs leaves rows out of order), so
    /// that the book's times are the ledger's and a later gap fill by time
    /// meets every row exactly once.
    static func loadSpending(from ledger: Ledger, horizonSeconds: UInt64, after: UInt64?, through: UInt64?) throws -> SpendingBook {
        var spending = SpendingBook(horizonSeconds: horizonSeconds, completeAfter: after)
        let start = after.map { $0 + 1 } ?? 0
        let events = try ledger.events(since: start, kinds: LedgerEventKind.spending).filter(\.countsAgainstWindows)
            .filter { through == nil || $0.entry.timeUnixMilliseconds <= through! }
            .sorted { $0.entry.timeUnixMilliseconds < $1.entry.timeUnixMilliseconds }
        for event in events {
            spending.record(timeMilliseconds: event.entry.timeUnixMilliseconds, amounts: event.entry.outflows.map { (asset: $0.asset, amount: $0.amount) },
                            proposal: event.entry.kind == .propose)
        }
        return spending
    }

    var policyState: PolicyState { book.withLockedValue { $0.policy } }

    /// What is left of every window of the policy now, reservations of
    /// signatures in flight included (GetStatus). Empty with no policy.
    var budgets: [Budget] {
        let now = clock()
        return book.withLockedValue { book in
            guard let policy = book.policy.compiled else { return [] }
            return Budget.compute(policy: policy, book: book.spending, nowMilliseconds: now)
        }
    }

    /// A decision, and for an allowed request not on a dry run, the
    /// reservation of its outflows, in one step under the lock.
    enum Reservation {
        case reserved(PolicyEvaluation, policyVersion: UInt64, time: UInt64)
        case notReserved(PolicyEvaluation, policyVersion: UInt64, time: UInt64)
        case duplicateInFlight
        /// These bytes may have been signed and committed before. The digest
        /// is now held in `inFlight`, so no identical request can commit
        /// meanwhile: look it up in the ledger, then either answer the replay
        /// and `releaseDigest`, or come back with `digestHeld: true`.
        case possibleReplay
        /// The wallet is frozen: nothing is judged, reserved or signed.
        case frozen(FreezeState)
    }

    /// An identical request always meets either `inFlight` or the filter (a
    /// commit enters the filter before its digest leaves `inFlight`), so it is
    /// never counted twice. A digest the filter may hold is first entered
    /// into `inFlight` and looked up once; with the digest held nothing can
    /// commit it in between, so one lookup decides, and an honest request
    /// that meets a false positive costs one read, never a retry loop.
    func decideAndReserve(subject: PolicySubject, payment: X402Payment? = nil, digest: [UInt8], dryRun: Bool, digestHeld: Bool = false) -> Reservation {
        let now = clock()
        return book.withLockedValue { book in
            if let freeze = book.stop.freeze {
                if digestHeld { book.inFlight.remove(digest) }
                return .frozen(freeze)
            }
            if !dryRun, !digestHeld, book.signed.mayContain(digest) {
                return book.inFlight.insert(digest).inserted ? .possibleReplay : .duplicateInFlight
            }
            let evaluation = PolicyEngine.evaluate(
                policy: book.policy.compiled, subject: subject, agent: agent, book: book.spending, nowMilliseconds: now, payment: payment)
            guard !dryRun, evaluation.decision == .allow else {
                if digestHeld { book.inFlight.remove(digest) }
                return .notReserved(evaluation, policyVersion: book.policy.version, time: now)
            }
            if !digestHeld {
                guard book.inFlight.insert(digest).inserted else { return .duplicateInFlight }
            }
            let filed = book.spending.record(timeMilliseconds: now, outflows: evaluation.outflows)
            return .reserved(evaluation, policyVersion: book.policy.version, time: filed)
        }
    }

    /// A decision on a transaction the daemon built itself (Propose,
    /// ExecuteProposal), and when allowed the reservation of its outflows
    /// (and, for a proposal, of a place in the proposal rate), in one step
    /// under the lock. No digest filter: the bytes are new every time.
    func decideBuilt(proposal: Bool, _ evaluate: (CompiledPolicy?, SpendingBook, UInt64) -> PolicyEvaluation) -> Reservation {
        let now = clock()
        return book.withLockedValue { book in
            if let freeze = book.stop.freeze { return .frozen(freeze) }
            let evaluation = evaluate(book.policy.compiled, book.spending, now)
            guard evaluation.decision == .allow else { return .notReserved(evaluation, policyVersion: book.policy.version, time: now) }
            let filed = book.spending.record(timeMilliseconds: now, outflows: evaluation.outflows, proposal: proposal)
            return .reserved(evaluation, policyVersion: book.policy.version, time: filed)
        }
    }

    /// Ends a `decideBuilt` reservation: kept when its ledger row committed, released when not.
    func settleBuilt(time: UInt64, outflows: [AssetKey: UInt64], proposal: Bool, committed: Bool) {
        book.withLockedValue { book in
            if !committed { book.spending.release(timeMilliseconds: time, outflows: outflows, proposal: proposal) }
            book.spending.prune(now: time)
        }
    }

    /// What the book holds for `asset` over the last `seconds` (tests only).
    func spentForTesting(_ asset: AssetKey, inLast seconds: UInt64) -> UInt64 {
        let now = clock()
        return book.withLockedValue { $0.spending.spent(asset, inLast: seconds, now: now) }
    }

    /// Makes the signed-digest filter claim every digest (tests only).
    func saturateSignedFilterForTesting() {
        book.withLockedValue { $0.signed.saturateForTesting() }
    }

    /// Gives up a digest held for a ledger lookup (a replay was found, or the lookup failed).
    func releaseDigest(_ digest: [UInt8]) {
        _ = book.withLockedValue { $0.inFlight.remove(digest) }
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

    /// Swaps the policy in after its ledger row committed. A policy that
    /// looks further back than the book holds first has the gap filled from
    /// the ledger: the horizon is raised under the lock (so pruning stops
    /// short of the gap), the older rows are read outside it, and they are
    /// put in front of the book under the lock together with the swap. Spends
    /// reserved or committed meanwhile stay in the book, which equals the
    /// ledger (plus open reservations) at every moment.
    func install(_ state: PolicyState) throws {
        let horizon = state.compiled?.longestWindowSeconds ?? 0
        while true {
            let now = clock()
            let gap: (after: UInt64?, through: UInt64)? = book.withLockedValue { book in
                book.spending.extendHorizon(to: horizon)
                let start = book.spending.horizonStart(now: now)
                guard !book.spending.isComplete(after: start), let through = book.spending.completeAfter else {
                    book.policy = state
                    return nil
                }
                return (start, through)
            }
            guard let gap else { return }
            let older = try Self.loadSpending(from: ledger, horizonSeconds: horizon, after: gap.after, through: gap.through)
            let installed = book.withLockedValue { book in
                // Pruning cannot pass the gap while the horizon is raised; a
                // clock jump that made it would only cost another read.
                guard book.spending.completeAfter == gap.through else { return false }
                book.spending.prepend(older)
                book.policy = state
                return true
            }
            if installed { return }
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
