#if canImport(Glibc)
import Glibc
#endif

/// Keeps `ledger.head` up with the ledger: after each group commit the new
/// head is handed over (no I/O on the writer thread), and a thread of its
/// own writes the newest one, at most once per `interval`. So the anchor
/// trails the ledger by at most one interval plus one file write; rows
/// committed within that window before a crash can be removed without the
/// anchor showing it (docs/THREAT-MODEL.md).
public final class LedgerAnchorWriter: Sendable {
    private struct State {
        var latest: LedgerHead?
        var closing = false
        var lastError: LedgerError?
    }

    private let state = ConditionLocked(State())
    private let thread: OSThread?

    /// `tag` makes the anchor's tag over `LedgerAnchor.taggedBytes(head)`.
    public init(ledger: Ledger, path: String, intervalMilliseconds: UInt32 = 50,
                tag: @escaping @Sendable ([UInt8]) -> [UInt8]) throws(LedgerError) {
        let state = self.state
        thread = try OSThread {
            while true {
                let next: LedgerHead? = state.wait(until: { $0.latest != nil || $0.closing }) { s in
                    defer { s.latest = nil }
                    return s.latest
                }
                if let head = next {
                    do throws(LedgerError) {
                        try LedgerAnchor(head: head, tag: tag(LedgerAnchor.taggedBytes(head))).write(path: path)
                        state.withLock { $0.lastError = nil }
                    } catch {
                        // Kept for status; the next commit tries again.
                        state.withLock { $0.lastError = error }
                    }
                }
                if state.withLock({ $0.closing && $0.latest == nil }) { break }
                if next != nil { usleep(intervalMilliseconds * 1_000) }
            }
        }
        ledger.observeCommits { head in
            state.withLock { $0.latest = head }
            state.signal()
        }
    }

    /// The last write's failure, if the last write failed.
    public var lastError: LedgerError? { state.withLock { $0.lastError } }

    /// Writes the newest head still pending and stops the thread.
    public func close() {
        state.withLock { $0.closing = true }
        state.signal()
        thread?.join()
    }
}
