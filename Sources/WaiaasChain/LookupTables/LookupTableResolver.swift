import NIOConcurrencyHelpers
import WaiaasSolana

/// Reads the lookup tables a transaction refers to from the chain, through
/// every endpoint, and keeps what they agreed on.
///
/// The cache keeps each table's addresses. While a table is active its
/// entries are only ever appended, and a closed table's address cannot be
/// used again (it is derived from a slot that has left the slot hashes by
/// the time the table can be closed), so a cached prefix stays true for
/// good: a transaction whose indexes all fall inside it is resolved without
/// a call. A table deactivated since it was cached can only make such a
/// transaction fail to load on chain, where nothing moves and no fee is
/// paid. An index past the cached prefix reads the table again, and the
/// new contents must extend the cached ones.
public final class LookupTableResolver: Sendable {
    private let quorum: ChainQuorum
    private let cache = NIOLockedValueBox<[PublicKey: [PublicKey]]>([:])
    /// Tables kept at most (8 KiB each at most); past it the cache starts over.
    public static let cacheCapacity = 4_096

    public init(quorum: ChainQuorum) { self.quorum = quorum }

    /// The report from the cache alone, when every table `lookups` read
    /// is cached far enough; nil when one must be read from the chain.
    /// Lets the Sign path stay on its event loop for the common case.
    public func cached(_ lookups: [AddressTableLookup]) -> LookupTableReport? {
        let needed = Self.needed(lookups)
        return cache.withLockedValue { cache in
            var report = LookupTableReport()
            for (table, count) in needed {
                guard let entries = cache[table], entries.count >= count else { return nil }
                report.tables[table] = entries
            }
            return report
        }
    }

    static func needed(_ lookups: [AddressTableLookup]) -> [PublicKey: Int] {
        var needed: [PublicKey: Int] = [:]
        for lookup in lookups {
            let highest = (lookup.writableIndexes + lookup.readonlyIndexes).max().map { Int($0) + 1 } ?? 0
            needed[lookup.accountKey] = max(needed[lookup.accountKey] ?? 0, highest)
        }
        return needed
    }

    /// Addresses of every table `lookups` refer to, as far as they read.
    public func resolve(_ lookups: [AddressTableLookup]) async -> LookupTableReport {
        let needed = Self.needed(lookups)
        var report = LookupTableReport()
        let cached = cache.withLockedValue { cache in needed.keys.compactMap { key in cache[key].map { (key, $0) } } }
        var misses: [PublicKey] = []
        for (table, count) in needed.sorted(by: { $0.key < $1.key }) {
            if let entries = cached.first(where: { $0.0 == table })?.1, entries.count >= count {
                report.tables[table] = entries
            } else {
                misses.append(table)
            }
        }
        guard !misses.isEmpty else { return report }
        for start in stride(from: 0, to: misses.count, by: RPCEndpoint.maximumAccountsPerCall) {
            let batch = Array(misses[start..<min(start + RPCEndpoint.maximumAccountsPerCall, misses.count)])
            await read(batch, needed: needed, into: &report)
        }
        return report
    }

    /// One endpoint's view of one table.
    private enum View: Equatable {
        case absent(String)
        case deactivated(slot: UInt64)
        case active([PublicKey])
    }

    private func read(_ tables: [PublicKey], needed: [PublicKey: Int], into report: inout LookupTableReport) async {
        let answers = await quorum.each { endpoint throws(ChainError) in try endpoint.getMultipleAccounts(tables) }
        var views: [[View]] = []
        for (i, answer) in answers.enumerated() {
            switch answer {
            case .failure(let error):
                for table in tables {
                    report.problems.append(LookupTableProblem(.unavailable, table: table, "the table could not be read from \(quorum.endpoints[i].name): \(error.message)"))
                }
                return
            case .success(let accounts):
                views.append(accounts.value.map(Self.view))
            }
        }
        for (t, table) in tables.enumerated() {
            let seen = views.map { $0[t] }
            if let problem = judge(table, seen, needed: needed[table] ?? 0) {
                report.problems.append(problem)
            } else if case .active(let entries) = seen[0] {
                let common = seen.map { if case .active(let e) = $0 { e.count } else { 0 } }.min() ?? 0
                report.tables[table] = Array(entries.prefix(common))
            }
        }
    }

    private static func view(_ account: AccountState?) -> View {
        guard let account else { return .absent("no account exists at this address") }
        do {
            let table = try LookupTableAccount(account)
            return table.isActive ? .active(table.addresses) : .deactivated(slot: table.deactivationSlot)
        } catch {
            return .absent(error.message)
        }
    }

    /// The problem with a table, or nil when every endpoint shows the same
    /// active table holding every index the transaction reads (endpoints
    /// that lag may hold fewer entries; the common ones must be equal).
    private func judge(_ table: PublicKey, _ seen: [View], needed: Int) -> LookupTableProblem? {
        let entryLists = seen.compactMap { if case .active(let e) = $0 { e } else { nil } }
        guard entryLists.count == seen.count else {
            guard seen.allSatisfy({ $0 == seen[0] }) else {
                return LookupTableProblem(.disagreement, table: table, "the RPC endpoints (\(quorum.names)) disagree about whether this is an active table")
            }
            switch seen[0] {
            case .absent(let reason): return LookupTableProblem(.notFound, table: table, "not a lookup table: \(reason)")
            case .deactivated(let slot): return LookupTableProblem(.deactivated, table: table, "the table was deactivated at slot \(slot)")
            case .active: return nil
            }
        }
        let common = entryLists.map(\.count).min() ?? 0
        guard entryLists.allSatisfy({ $0.prefix(common) == entryLists[0].prefix(common) }) else {
            return LookupTableProblem(.disagreement, table: table, "the RPC endpoints (\(quorum.names)) disagree about the table's addresses")
        }
        let longest = entryLists.map(\.count).max() ?? 0
        guard common >= needed else {
            if longest >= needed {
                return LookupTableProblem(.disagreement, table: table, "some RPC endpoints (\(quorum.names)) do not yet see entry \(needed - 1) of the table")
            }
            return LookupTableProblem(.indexOutOfRange, table: table, "the transaction reads index \(needed - 1); the table holds \(common) addresses")
        }
        let entries = Array(entryLists[0].prefix(common))
        return cache.withLockedValue { cache -> LookupTableProblem? in
            if let earlier = cache[table], !entries.starts(with: earlier) {
                cache[table] = nil
                return LookupTableProblem(.disagreement, table: table, "the table's addresses differ from those read earlier; entries are never rewritten, so an endpoint is wrong")
            }
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[table] = entries
            return nil
        }
    }
}
