/// What the bytes of an instruction say when some of its accounts sit in
/// lookup tables nobody resolved: for `waiaas decode` only, never for a
/// decision (the policy still sees `.unresolved`).
///
/// The instruction is decoded with a stand-in key for each missing account,
/// and every stand-in in the result is then written as "table T, index i".
/// A stand-in is SHA-256 of a fixed tag, the table and the index, so it
/// cannot be mistaken for a key the transaction names.
enum UnresolvedDisplay {
    struct Missing {
        var table: PublicKey
        var index: UInt8
        var text: String { "table \(table.base58), index \(index)" }
    }

    /// For each loaded account position (static count + k), its table and index.
    static func loadedPositions(_ message: Message) -> [Missing] {
        var writable: [Missing] = []
        var readonly: [Missing] = []
        for lookup in message.addressTableLookups {
            writable += lookup.writableIndexes.map { Missing(table: lookup.accountKey, index: $0) }
            readonly += lookup.readonlyIndexes.map { Missing(table: lookup.accountKey, index: $0) }
        }
        return writable + readonly
    }

    static func standIn(_ missing: Missing) -> PublicKey {
        PublicKey(bytes: SHA256.hash(Array("waiaas decode: unresolved account".utf8) + missing.table.bytes + [missing.index]))!
    }

    /// The instruction at `position` decoded with stand-ins, as JSON with
    /// the stand-ins named, and `missingAccounts` listing them.
    static func json(position: Int, message: Message, resolved: ResolvedAccounts) -> JSONValue? {
        guard position < message.instructions.count else { return nil }
        let ix = message.instructions[position]
        guard let program = resolved.key(at: Int(ix.programIdIndex)) else { return nil }
        let loaded = loadedPositions(message)
        var names: [PublicKey: String] = [:]
        var missingList: [JSONValue] = []
        var accounts: [PublicKey] = []
        for (slot, index) in ix.accounts.enumerated() {
            if let key = resolved.key(at: Int(index)) {
                accounts.append(key)
                continue
            }
            let k = Int(index) - resolved.staticCount
            guard k >= 0, k < loaded.count else { return nil }
            let stand = standIn(loaded[k])
            names[stand] = loaded[k].text
            missingList.append(.object([("position", .uint(UInt64(slot))), ("table", .key(loaded[k].table)), ("index", .uint(UInt64(loaded[k].index)))]))
            accounts.append(stand)
        }
        let decoded = InstructionDecoder.decode(InstructionInput(programId: program, accounts: accounts, data: ix.data))
        guard case .object(var fields) = rename(DecodeReport.instruction(decoded), names) else { return nil }
        fields.append(("resolved", .bool(false)))
        fields.append(("missingAccounts", .array(missingList)))
        return .object(fields)
    }

    private static func rename(_ value: JSONValue, _ names: [PublicKey: String]) -> JSONValue {
        switch value {
        case .string(let text):
            if let key = PublicKey(base58: text), let name = names[key] { return .string(name) }
            return value
        case .array(let items): return .array(items.map { rename($0, names) })
        case .object(let fields): return .object(fields.map { ($0.0, rename($0.1, names)) })
        default: return value
        }
    }
}

extension DecodeReport {
    /// Every instruction for people: decoded ones as they are, unresolved
    /// ones with what their bytes say and each missing account named.
    public static func instructions(message: Message, resolved: ResolvedAccounts, _ decoded: [DecodedInstruction]) -> [JSONValue] {
        decoded.enumerated().map { position, ix in
            if case .unresolved = ix, let partial = UnresolvedDisplay.json(position: position, message: message, resolved: resolved) {
                return partial
            }
            return instruction(ix)
        }
    }
}
