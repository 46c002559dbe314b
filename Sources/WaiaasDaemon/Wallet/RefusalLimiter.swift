import Dispatch
import NIOConcurrencyHelpers

/// Bounds how fast one peer can make the daemon record refusals. Every
/// refusal is a ledger row, so without a bound one client could fill the
/// disk, and a full disk stops all signing. Token buckets per peer uid and
/// per connection: past either, the request is answered RESOURCE_EXHAUSTED
/// and leaves no row (nothing was decided, so nothing is lost).
///
/// Allowed requests are not limited here (the policy's own rate limits and
/// windows bound them); dry runs write nothing and are not limited either.
final class RefusalLimiter: Sendable {
    struct Rate: Sendable {
        /// Refusals per second, sustained.
        var perSecond: Double
        /// Refusals that may come at once.
        var burst: Double
    }

    enum Key: Hashable, Sendable {
        case uid(UInt32)
        case connection(UInt64)
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    let perUID: Rate
    let perConnection: Rate
    /// Buckets kept at most; full (idle) buckets are dropped first, since a
    /// full bucket and a missing one behave alike.
    static let maximumBuckets = 4_096
    private let buckets = NIOLockedValueBox<[Key: Bucket]>([:])
    private let now: @Sendable () -> UInt64

    init(perUID: Rate = Rate(perSecond: 50, burst: 200), perConnection: Rate = Rate(perSecond: 20, burst: 100),
         now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.perUID = perUID
        self.perConnection = perConnection
        self.now = now
    }

    /// Takes one token from each of the peer's buckets, or none when either is
    /// empty: then the refusal is not recorded. Returns which bucket was empty.
    func admit(uid: UInt32, connection: UInt64?) -> Key? {
        let time = now()
        var keys: [(Key, Rate)] = [(.uid(uid), perUID)]
        if let connection { keys.append((.connection(connection), perConnection)) }
        return buckets.withLockedValue { buckets in
            var refilled: [(Key, Bucket)] = []
            for (key, rate) in keys {
                var bucket = buckets[key] ?? Bucket(tokens: rate.burst, updated: time)
                let elapsed = Double(time &- bucket.updated) / 1e9
                bucket.tokens = min(rate.burst, bucket.tokens + elapsed * rate.perSecond)
                bucket.updated = time
                guard bucket.tokens >= 1 else { return key }
                refilled.append((key, bucket))
            }
            for (key, var bucket) in refilled {
                bucket.tokens -= 1
                buckets[key] = bucket
            }
            if buckets.count > Self.maximumBuckets { Self.dropIdle(&buckets, at: time, rates: (perUID, perConnection)) }
            return nil
        }
    }

    private static func dropIdle(_ buckets: inout [Key: Bucket], at time: UInt64, rates: (Rate, Rate)) {
        buckets = buckets.filter { key, bucket in
            let rate = if case .uid = key { rates.0 } else { rates.1 }
            return bucket.tokens + Double(time &- bucket.updated) / 1e9 * rate.perSecond < rate.burst
        }
        // Still too many busy ones: forget the connections (uids are few).
        if buckets.count > maximumBuckets {
            buckets = buckets.filter { if case .uid = $0.key { true } else { false } }
        }
    }
}
