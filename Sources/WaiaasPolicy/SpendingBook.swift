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
/// around one instance (docs/ARCHITECTURE.md).
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
        func firstIndex(after time: UInt64) -> Int { times.firstIndex(after: time) }

        /// Sum of the entries strictly after `time` (all of them when nil).
        func sum(after time: UInt64?) -> UInt64 {
            guard let time else { return last &- base }
            let index = firstIndex(after: time)
            let before = index == 0 ? base : totals[index - 1]
            return last &- before
        }

        /// The amount of entry `index`.
        func amount(at index: Int) -> UInt64 {
            totals[index] &- (index == 0 ? base : totals[index - 1])
        }

        /// This series with `older`'s entries (all at or before this one's first) in front.
        func prepending(_ older: Series) -> Series {
            var merged = Series()
            for i in older.times.indices { merged.append(time: older.times[i], amount: older.amount(at: i)) }
            for i in times.indices { merged.append(time: times[i], amount: amount(at: i)) }
            return merged
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

    /// Times alone, for counts: every entry counts one, so running totals
    /// would repeat the index. Half the memory of a `Series` (8 bytes per
    /// signature, not 16), which is most of what a busy book holds.
    struct Counts: Sendable {
        var times: [UInt64] = []

        mutating func append(time: UInt64) { times.append(time) }

        /// Entries strictly after `time` (all of them when nil).
        func count(after time: UInt64?) -> UInt64 {
            guard let time else { return UInt64(times.count) }
            return UInt64(times.count - times.firstIndex(after: time))
        }

        mutating func dropEntries(upTo cutoff: UInt64) {
            let dropped = times.firstIndex(after: cutoff)
            if dropped > 0 { times.removeFirst(dropped) }
        }

        /// Removes the newest entry at `time`.
        mutating func remove(time: UInt64) {
            if let index = times.lastIndex(of: time) { times.remove(at: index) }
        }

        /// These counts with `older`'s (all at or before this one's first) in front.
        func prepending(_ older: Counts) -> Counts { Counts(times: older.times + times) }
    }

    var spends: [AssetKey: Series] = [:]
    var signatures = Counts()
    /// Proposals made through Propose (each is a signature too), for the
    /// policy's `propose.rate_limit`.
    var proposals = Counts()
    /// Entries older than this are dropped; the longest window of any policy
    /// in force decides it (a new policy with a longer window rebuilds).
    public private(set) var horizonSeconds: UInt64
    /// Every signature with a time after this is in the book, and none at or
    /// before it (nil: everything since the epoch). Pruning raises it; a
    /// policy with a longer window fills the gap from the ledger and lowers it
    /// (`prepend`).
    public private(set) var completeAfter: UInt64?
    /// The newest recorded time: entries are kept in order even if the wall
    /// clock steps back.
    private var latest: UInt64 = 0

    public init(horizonSeconds: UInt64, completeAfter: UInt64? = nil) {
        self.horizonSeconds = horizonSeconds
        self.completeAfter = completeAfter
        // Nothing is ever filed at or before the bound, so entries stay in order.
        latest = completeAfter.map { $0 + 1 } ?? 0
    }

    /// The lower bound of the longest window at `now` (nil: the epoch).
    public func horizonStart(now: UInt64) -> UInt64? { Self.since(horizonSeconds, now) }

    /// Whether every signature after `time` is in the book.
    public func isComplete(after time: UInt64?) -> Bool {
        guard let completeAfter else { return true }
        guard let time else { return false }
        return completeAfter <= time
    }

    /// Puts `older` in front of this book: `older` must hold exactly the
    /// signatures after its `completeAfter` and up to this book's (read from
    /// the ledger), so that the two together are complete after the older bound.
    public mutating func prepend(_ older: SpendingBook) {
        precondition(older.latest <= (completeAfter ?? 0), "prepended entries must be older than the book")
        for (asset, series) in older.spends {
            spends[asset] = (spends[asset] ?? Series()).prepending(series)
        }
        signatures = signatures.prepending(older.signatures)
        proposals = proposals.prepending(older.proposals)
        completeAfter = older.completeAfter
    }

    /// Records a sign event read back from the ledger, whose outflows are
    /// (asset bytes, amount) pairs. Every rebuild of the book goes through
    /// here, so the daemon, `ledger tail` and `policy check --replay` count alike.
    @discardableResult
    public mutating func record<S: Sequence>(timeMilliseconds: UInt64, amounts: S, proposal: Bool = false) -> UInt64
    where S.Element == (asset: [UInt8], amount: UInt64) {
        var outflows: [AssetKey: UInt64] = [:]
        for (asset, amount) in amounts {
            let (sum, overflow) = outflows[AssetKey(bytes: asset), default: 0].addingReportingOverflow(amount)
            outflows[AssetKey(bytes: asset)] = overflow ? .max : sum
        }
        return record(timeMilliseconds: timeMilliseconds, outflows: outflows, proposal: proposal)
    }

    /// Records a signature and its outflows (from a sign or propose event;
    /// `proposal` for the latter). Returns the time it was filed under (never
    /// earlier than an earlier record).
    @discardableResult
    public mutating func record(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64], proposal: Bool = false) -> UInt64 {
        let time = max(timeMilliseconds, latest)
        latest = time
        signatures.append(time: time)
        if proposal { proposals.append(time: time) }
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
        signatures.count(after: Self.since(seconds, now))
    }

    public func proposalCount(inLast seconds: UInt64, now: UInt64) -> UInt64 {
        proposals.count(after: Self.since(seconds, now))
    }

    /// Drops entries older than the horizon.
    public mutating func prune(now: UInt64) {
        guard let cutoff = Self.since(horizonSeconds, now) else { return }
        // Nothing at or before an earlier cutoff is kept: no work.
        if let completeAfter, cutoff <= completeAfter { return }
        completeAfter = cutoff
        latest = max(latest, cutoff + 1)
        for asset in Array(spends.keys) {
            spends[asset]?.dropEntries(upTo: cutoff)
            if spends[asset]?.isEmpty == true { spends[asset] = nil }
        }
        signatures.dropEntries(upTo: cutoff)
        proposals.dropEntries(upTo: cutoff)
    }

    public mutating func extendHorizon(to seconds: UInt64) {
        horizonSeconds = max(horizonSeconds, seconds)
    }

    /// Undoes one `record` (a reservation whose ledger commit failed); `time`
    /// is what `record` returned.
    public mutating func release(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64], proposal: Bool = false) {
        signatures.remove(time: timeMilliseconds)
        if proposal { proposals.remove(time: timeMilliseconds) }
        for (asset, amount) in outflows where amount > 0 {
            spends[asset]?.remove(time: timeMilliseconds, amount: amount)
            if spends[asset]?.isEmpty == true { spends[asset] = nil }
        }
    }
}

extension [UInt64] {
    /// In a nondecreasing array: the index of the first element strictly
    /// after `time` (binary search; `count` when there is none).
    fileprivate func firstIndex(after time: UInt64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
