/// A lookup the caller's tables could not satisfy: the table itself is
/// unknown, or some indexes lie past its end. Reported, never guessed.
public struct UnresolvedLookup: Sendable, Equatable, Hashable {
    public var table: PublicKey
    /// True when no contents were supplied for the table at all.
    public var tableMissing: Bool
    /// The indexes (writable and read-only) that could not be read.
    public var missingIndexes: [UInt8]
}

/// The full account list of a message: static keys, then every loaded
/// writable address (lookup order), then every loaded read-only address, as
/// the runtime orders them. `keys[i]` is nil exactly where a lookup could not
/// be resolved, so instruction indexes still line up.
public struct ResolvedAccounts: Sendable, Equatable {
    public let keys: [PublicKey?]
    public let unresolved: [UnresolvedLookup]
    public let staticCount: Int
    public let loadedWritableCount: Int
    /// True when the tables came from the chain, agreed by every endpoint
    /// (a `LookupTableReport`), so a loaded address is as good as a static
    /// one; false when they are absent or only the caller's claim.
    public let tablesVerified: Bool

    public var isComplete: Bool { unresolved.isEmpty }

    public func key(at index: Int) -> PublicKey? {
        index >= 0 && index < keys.count ? keys[index] : nil
    }
}

extension Message {
    /// Resolves v0 lookups against `lookupTables` (table address → its
    /// addresses). Legacy and v1 messages resolve to their static keys.
    /// `verified` says the tables are the chain's (see `tablesVerified`).
    /// Throws `duplicate_account` if the resolved list names an account
    /// twice (the runtime refuses such a transaction).
    public func resolve(lookupTables: [PublicKey: [PublicKey]] = [:], verified: Bool = false) throws(SolanaDecodeError) -> ResolvedAccounts {
        var writable: [PublicKey?] = []
        var readonly: [PublicKey?] = []
        var unresolved: [UnresolvedLookup] = []
        for lookup in addressTableLookups {
            let table = lookupTables[lookup.accountKey]
            var missing: [UInt8] = []
            func load(_ index: UInt8) -> PublicKey? {
                if let table, Int(index) < table.count { return table[Int(index)] }
                missing.append(index)
                return nil
            }
            for i in lookup.writableIndexes { writable.append(load(i)) }
            for i in lookup.readonlyIndexes { readonly.append(load(i)) }
            if !missing.isEmpty {
                unresolved.append(UnresolvedLookup(table: lookup.accountKey, tableMissing: table == nil, missingIndexes: missing))
            }
        }
        let keys: [PublicKey?] = accountKeys.map { Optional($0) } + writable + readonly
        var seen = Set<PublicKey>()
        for (i, key) in keys.enumerated() {
            if let key, !seen.insert(key).inserted {
                throw SolanaDecodeError(.duplicateAccount, offset: nil, "account \(i) (\(key)) is loaded twice")
            }
        }
        return ResolvedAccounts(keys: keys, unresolved: unresolved, staticCount: accountKeys.count, loadedWritableCount: writable.count,
                                tablesVerified: verified)
    }
}
