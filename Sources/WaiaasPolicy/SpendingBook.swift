/// What the agent has already spent and signed, in time order, so windows and
/// rate limits can be judged. Rebuilt from the ledger at start, so a restart
/// never resets a window; kept in memory so a decision takes microseconds.
///
/// Each asset keeps a time-ordered series with running totals, so the sum
/// over any window is one binary search and a subtraction: O(log n) however
/// many signatures the window holds. (A linear sum made every decision, and
/// the lock around it, grow with the day's traffic.)
///
/// A value type with no locking: the daemon serialises decide-and-reserve
/// around one instance (DESIGN section 5).
public struct SpendingBook: Sendable {
    /// Entries in nondecreasing time order with saturating running totals.
    struct Series: Sendable {
        var times: [UInt64] = []
        var totals: [UInt64] = []
        /// The running total just before the first kept entry.
        var base: UInt64 = 0

        var isEmpty: Bool { times.isEmpty }
        var last: UInt64 { totals.last ?? base }

        mutating func append(time: UInt64, amount: UInt64) {
            let (sum, overflow) = last.addingReportingOverflow(amount)
            times.append(time)
            totals.append(overflow ? .max : sum)
        }

        /// Index of the first entry strictly after `time`.
        func firstIndex(after time: UInt64) -> Int {
            var low = 0
            var high = times.count
            while low < high {
                let middle = (low + high) / 2
                if times[middle] <= time { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// Sum of the entries strictly after `time` (all of them when nil).
        func sum(after time: UInt64?) -> UInt64 {
            guard let time else { return last &- base }
            let index = firstIndex(after: time)
            let before = index == 0 ? base : totals[index - 1]
            return last &- before
        }

        mutating func dropEntries(upTo cutoff: UInt64) {
            let count = firstIndex(after: cutoff)
            guard count > 0 else { return }
            base = totals[count - 1]
            times.removeFirst(count)
            totals.removeFirst(count)
        }

        /// Removes the newest entry at `time` carrying `amount`.
        mutating func remove(time: UInt64, amount: UInt64) {
            guard let index = (0..<times.count).reversed().first(where: {
                times[$0] == time && totals[$0] &- ($0 == 0 ? base : totals[$0 - 1]) == amount
            }) else { return }
            times.remove(at: index)
            totals.remove(at: index)
            for later in index..<totals.count { totals[later] &-= amount }
        }
    }

    var spends: [AssetKey: Series] = [:]
    var signatures = Series()
    /// Entries older than this are dropped; the longest window of any policy
    /// in force decides it (a new policy with a longer window rebuilds).
    public private(set) var horizonSeconds: UInt64
    /// The newest recorded time: entries are kept in order even if the wall
    /// clock steps back.
    private var latest: UInt64 = 0

    public init(horizonSeconds: UInt64) {
        self.horizonSeconds = horizonSeconds
    }

    /// Records a sign event read back from the ledger, whose outflows are
    /// (asset bytes, amount) pairs. Every rebuild of the book goes through
    /// here, so the daemon, `ledger tail` and `policy check --replay` count alike.
    @discardableResult
    public mutating func record<S: Sequence>(timeMilliseconds: UInt64, amounts: S) -> UInt64 where S.Element == (asset: [UInt8], amount: UInt64) {
        var outflows: [AssetKey: UInt64] = [:]
        for (asset, amount) in amounts {
            let (sum, overflow) = outflows[AssetKey(bytes: asset), default: 0].addingReportingOverflow(amount)
            outflows[AssetKey(bytes: asset)] = overflow ? .max : sum
        }
        return record(timeMilliseconds: timeMilliseconds, outflows: outflows)
    }

    /// Records a signature and its outflows (from a sign event). Returns the
    /// time it was filed under (never earlier than an earlier record).
    @discardableResult
    public mutating func record(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64]) -> UInt64 {
        let time = max(timeMilliseconds, latest)
        latest = time
        signatures.append(time: time, amount: 1)
        for (asset, amount) in outflows where amount > 0 {
            spends[asset, default: Series()].append(time: time, amount: amount)
        }
        return time
    }

    /// The lower bound of a window ending at `now`; nil when the window
    /// reaches back before the epoch (everything counts).
    private static func since(_ seconds: UInt64, _ now: UInt64) -> UInt64? {
        let (span, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return !overflow && now >= span ? now - span : nil
    }

    /// Total spent of `asset` in the `seconds` before `now` (entries exactly
    /// `seconds` old no longer count: a 24 h window frees at 24 h).
    public func spent(_ asset: AssetKey, inLast seconds: UInt64, now: UInt64) -> UInt64 {
        spends[asset]?.sum(after: Self.since(seconds, now)) ?? 0
    }

    public func signatureCount(inLast seconds: UInt64, now: UInt64) -> UInt64 {
        signatures.sum(after: Self.since(seconds, now))
    }

    /// Drops entries older than the horizon.
    public mutating func prune(now: UInt64) {
        guard let cutoff = Self.since(horizonSeconds, now) else { return }
        for asset in Array(spends.keys) {
            spends[asset]?.dropEntries(upTo: cutoff)
            if spends[asset]?.isEmpty == true { spends[asset] = nil }
        }
        signatures.dropEntries(upTo: cutoff)
    }

    public mutating func extendHorizon(to seconds: UInt64) {
        horizonSeconds = max(horizonSeconds, seconds)
    }

    /// Undoes one `record` (a reservation whose ledger commit failed); `time`
    /// is what `record` returned.
    public mutating func release(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64]) {
        signatures.remove(time: timeMilliseconds, amount: 1)
        for (asset, amount) in outflows where amount > 0 {
            spends[asset]?.remove(time: timeMilliseconds, amount: amount)
            if spends[asset]?.isEmpty == true { spends[asset] = nil }
        }
    }
}
