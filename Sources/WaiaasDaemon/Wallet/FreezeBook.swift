import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC

/// The emergency stop's state inside the wallet's lock (docs/FREEZE.md):
/// the freeze in force, and the recent refusals that `freeze_after` counts.
/// Both are rebuilt from the ledger at start, so neither a freeze nor the
/// count toward one is lost by a restart.
struct FreezeBook: Sendable {
    var freeze: FreezeState?
    /// Times of the refusals since the last freeze or unfreeze, oldest first.
    var refusals: [UInt64] = []
    /// An automatic freeze is being written: count nothing more meanwhile.
    var freezing = false

    static let automaticDecision = "auto_freeze"

    /// The last freeze row, unless an unfreeze row came after it; and the
    /// refusal times after the later of both that fall within the policy's window.
    static func load(from ledger: Ledger, policy: CompiledPolicy?, now: UInt64) throws -> FreezeBook {
        let frozen = try ledger.latest(kind: .freeze)
        let lifted = try ledger.latest(kind: .unfreeze)
        var book = FreezeBook()
        if let frozen, (lifted?.sequence ?? 0) < frozen.sequence {
            book.freeze = state(of: frozen)
            return book
        }
        guard let rule = policy?.policy.freezeAfter, rule.denials > 0 else { return book }
        let windowStart = now > rule.seconds * 1000 ? now - rule.seconds * 1000 : 0
        let after = max(windowStart, (lifted?.entry.timeUnixMilliseconds).map { $0 + 1 } ?? 0, (frozen?.entry.timeUnixMilliseconds).map { $0 + 1 } ?? 0)
        // The denials freeze_after counts: Sign's rows of kind deny, and
        // Propose's and ExecuteProposal's, whose rows keep their kind.
        book.refusals = try ledger.events(since: after, kinds: [.deny, .propose, .execute])
            .filter { $0.entry.kind == .deny || $0.entry.decision == PolicyDecision.deny.rawValue }
            .map(\.entry.timeUnixMilliseconds).sorted()
        return book
    }

    static func state(of event: LedgerEvent) -> FreezeState {
        FreezeState(reason: event.entry.reasons.first?.message ?? "", timeUnixMilliseconds: event.entry.timeUnixMilliseconds,
                    ledgerSequence: event.sequence, automatic: event.entry.decision == automaticDecision)
    }

    /// Counts a recorded refusal; true exactly when it is the Nth within the
    /// window (the caller then writes the automatic freeze).
    mutating func noteRefusal(at time: UInt64, rule: FreezeAfter?) -> Bool {
        guard let rule, rule.denials > 0, freeze == nil, !freezing else { return false }
        let windowStart = time > rule.seconds * 1000 ? time - rule.seconds * 1000 : 0
        refusals.removeAll { $0 < windowStart }
        refusals.append(time)
        guard refusals.count >= Int(rule.denials) else { return false }
        refusals.removeAll()
        freezing = true
        return true
    }
}

extension RPCError {
    /// What every signing call answers while the wallet is frozen.
    static func frozen(_ freeze: FreezeState) -> RPCError {
        let why = freeze.automatic ? "automatically (\(freeze.reason))" : "by a caller: \(freeze.reason)"
        let message = "the wallet is frozen \(why), ledger #\(freeze.ledgerSequence); nothing is signed until M of the owners unfreeze it (waiaas unfreeze)"
        return RPCError(.failedPrecondition, message, reasons: [Reason(.frozen, message)])
    }
}
