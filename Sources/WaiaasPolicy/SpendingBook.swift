/// What the agent has already spent and signed, in time order, so windows and
/// rate limits can be judged. Rebuilt from the ledger at start, so a restart
/// never resets a window; kept in memory so a decision takes microseconds.
///
/// A value type with no locking: the daemon serialises decide-and-reserve
/// around one instance (DESIGN section 5).
public struct SpendingBook: Sendable {
    struct Entry: Sendable {
        var timeMilliseconds: UInt64
        var amount: UInt64
    }

    var spends: [AssetKey: [Entry]] = [:]
    var signatures: [UInt64] = []
    /// Entries older than this are dropped; the longest window of any policy
    /// in force decides it (a new policy with a longer window rebuilds).
    public private(set) var horizonSeconds: UInt64

    public init(horizonSeconds: UInt64) {
        self.horizonSeconds = horizonSeconds
    }

    /// Records a signature and its outflows (from a sign event).
    public mutating func record(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64]) {
        signatures.append(timeMilliseconds)
        for (asset, amount) in outflows where amount > 0 {
            spends[asset, default: []].append(Entry(timeMilliseconds: timeMilliseconds, amount: amount))
        }
    }

    /// Total spent of `asset` in the `seconds` before `now` (exclusive of
    /// entries exactly `seconds` old: a 24 h window frees at 24 h).
    public func spent(_ asset: AssetKey, inLast seconds: UInt64, now: UInt64) -> UInt64 {
        guard let entries = spends[asset] else { return 0 }
        let since = now >= seconds &* 1000 ? now - seconds &* 1000 : 0
        var total: UInt64 = 0
        for entry in entries.reversed() {
            if entry.timeMilliseconds <= since, now >= seconds &* 1000 { break }
            let (sum, overflow) = total.addingReportingOverflow(entry.amount)
            total = overflow ? .max : sum
        }
        return total
    }

    public func signatureCount(inLast seconds: UInt64, now: UInt64) -> UInt64 {
        let since = now >= seconds &* 1000 ? now - seconds &* 1000 : 0
        var count: UInt64 = 0
        for time in signatures.reversed() {
            if time <= since, now >= seconds &* 1000 { break }
            count += 1
        }
        return count
    }

    /// Drops entries older than the horizon.
    public mutating func prune(now: UInt64) {
        let horizon = horizonSeconds &* 1000
        guard now > horizon else { return }
        let cutoff = now - horizon
        for asset in Array(spends.keys) {
            spends[asset]?.removeAll { $0.timeMilliseconds <= cutoff }
            if spends[asset]?.isEmpty == true { spends[asset] = nil }
        }
        if let firstKept = signatures.firstIndex(where: { $0 > cutoff }) {
            signatures.removeFirst(firstKept)
        } else {
            signatures.removeAll()
        }
    }

    public mutating func extendHorizon(to seconds: UInt64) {
        horizonSeconds = max(horizonSeconds, seconds)
    }
}

extension SpendingBook {
    /// Undoes one `record` (a reservation whose ledger commit failed).
    public mutating func release(timeMilliseconds: UInt64, outflows: [AssetKey: UInt64]) {
        if let index = signatures.lastIndex(of: timeMilliseconds) { signatures.remove(at: index) }
        for (asset, amount) in outflows where amount > 0 {
            guard var entries = spends[asset],
                  let index = entries.lastIndex(where: { $0.timeMilliseconds == timeMilliseconds && $0.amount == amount })
            else { continue }
            entries.remove(at: index)
            spends[asset] = entries.isEmpty ? nil : entries
        }
    }
}
