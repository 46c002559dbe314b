import Dispatch
import NIOConcurrencyHelpers
import WaiaasRPC

/// Bounds how fast one peer can make the daemon do something that costs
/// more than answering: token buckets per peer uid and per connection. Past
/// either, the request is answered RESOURCE_EXHAUSTED without that work.
///
/// The wallet keeps two (`WalletCore`):
/// - **refusals**: every refusal is a ledger row, so without a bound one
///   client could fill the disk, and a full disk stops all signing. A
///   refusal past it leaves no row (nothing was decided, so nothing is lost).
///   Allowed requests are not limited there (the policy's own rate limits
///   and windows bound them); dry runs write nothing and are not limited.
/// - **chain reads**: a request that makes the daemon read the chain (a
///   lookup table it has not cached, a simulation, balances, a multisig, a
///   blockhash) costs the operator's RPC endpoints one or more requests
///   each, and occupies the chain's few threads that every caller shares.
///   Dry runs count here: they read the chain as much.
final class PeerRateLimiter: Sendable {
    struct Rate: Sendable {
        /// Tokens per second, sustained.
        var perSecond: Double
        /// Tokens that may be taken at once.
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

    init(perUID: Rate, perConnection: Rate,
         now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.perUID = perUID
        self.perConnection = perConnection
        self.now = now
    }

    /// Takes one token from each of the peer's buckets, or none when either is
    /// empty: then the work is not done. Returns which bucket was empty.
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

extension PeerRateLimiter.Key {
    /// Who ran out, as an answer names it.
    var peerDescription: String {
        switch self {
        case .uid(let uid): "uid \(uid)"
        case .connection: "this connection"
        }
    }
}

extension WalletCore {
    /// Takes one chain read from the caller's budget (`chainReads`); past it,
    /// the answer that refuses the request before anything is read.
    func admitChainRead(_ call: ServerCall) -> RPCError? {
        guard let exhausted = chainReads.admit(uid: call.peer.uid, connection: call.connection) else { return nil }
        return RPCError(.resourceExhausted,
            "too many requests that read the chain from \(exhausted.peerDescription); this one was not judged and nothing was read: slow down before retrying")
    }
}
