/// The bytes of answers one connection has handed to its channel and the
/// socket has not yet taken, and whether reading should stop because of them.
///
/// Every frame the dispatcher writes counts, whatever it carries: answers to
/// immediate calls, to calls that completed later, refusals, connection
/// errors. Nothing is ever dropped to stay under the limit: at the limit the
/// connection stops being read, so a peer that does not read its answers
/// stops getting new ones; it stalls until the idle timeout closes it.
/// Reading resumes once the queue is down to half the limit and the channel
/// is writable again (hysteresis: no pause and resume per frame).
struct OutboundBudget {
    let limit: Int
    private(set) var queuedBytes = 0
    private(set) var paused = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func queued(_ bytes: Int) {
        queuedBytes += bytes
    }

    mutating func written(_ bytes: Int) {
        queuedBytes -= bytes
    }

    /// The change of read pressure the current state calls for, if any.
    mutating func pressure(writable: Bool) -> ReadPressure? {
        if !paused, !writable || queuedBytes >= limit {
            paused = true
            return .pause
        }
        if paused, writable, queuedBytes <= limit / 2 {
            paused = false
            return .resume
        }
        return nil
    }
}
