/// Squads instructions in `waiaas decode`'s JSON. Field names are the
/// program's IDL names in camelCase, so a reader of the IDL finds each one.
extension DecodeReport {
    static func squads(_ q: SquadsInstruction) -> JSONValue {
        func memo(_ text: String?) -> (String, JSONValue) { ("memo", text.map { .string($0) } ?? .null) }
        func optional(_ key: PublicKey?) -> JSONValue { key.map { .key($0) } ?? .null }
        switch q {
        case .vaultTransactionCreate(let c):
            return .object([
                ("multisig", .key(c.multisig)), ("transaction", .key(c.transaction)), ("creator", .key(c.creator)),
                ("rentPayer", .key(c.rentPayer)), ("vaultIndex", .uint(UInt64(c.vaultIndex))),
                ("ephemeralSigners", .uint(UInt64(c.ephemeralSigners))), ("transactionMessage", message(c.message)), memo(c.memo),
            ])
        case .proposalCreate(let c):
            return .object([
                ("multisig", .key(c.multisig)), ("proposal", .key(c.proposal)), ("creator", .key(c.creator)),
                ("rentPayer", .key(c.rentPayer)), ("transactionIndex", .uint(c.transactionIndex)), ("draft", .bool(c.draft)),
            ])
        case .proposalVote(let v):
            return .object([("multisig", .key(v.multisig)), ("member", .key(v.member)), ("proposal", .key(v.proposal)), memo(v.memo)])
        case .vaultTransactionExecute(let e):
            return .object([
                ("multisig", .key(e.multisig)), ("proposal", .key(e.proposal)), ("transaction", .key(e.transaction)),
                ("member", .key(e.member)), ("remainingAccounts", .keys(e.remaining.map(\.key))),
            ])
        case .spendingLimitUse(let u):
            return .object([
                ("multisig", .key(u.multisig)), ("member", .key(u.member)), ("spendingLimit", .key(u.spendingLimit)),
                ("vault", .key(u.vault)), ("destination", .key(u.destination)), ("mint", optional(u.mint)),
                ("vaultTokenAccount", optional(u.vaultTokenAccount)), ("destinationTokenAccount", optional(u.destinationTokenAccount)),
                ("tokenProgram", optional(u.tokenProgram)), ("amount", .uint(u.amount)), ("decimals", .uint(UInt64(u.decimals))), memo(u.memo),
            ])
        case .unmodelled:
            return .object([])
        }
    }

    static func message(_ m: SquadsTransactionMessage) -> JSONValue {
        .object([
            ("numSigners", .uint(UInt64(m.numSigners))), ("numWritableSigners", .uint(UInt64(m.numWritableSigners))),
            ("numWritableNonSigners", .uint(UInt64(m.numWritableNonSigners))), ("accountKeys", .keys(m.accountKeys)),
            ("instructions", .array(m.instructions.map {
                .object([("programIdIndex", .uint(UInt64($0.programIdIndex))), ("accountIndexes", .u8s($0.accountIndexes)), ("data", .hex($0.data))])
            })),
            ("addressTableLookups", .array(m.lookups.map {
                .object([("accountKey", .key($0.table)), ("writableIndexes", .u8s($0.writableIndexes)), ("readonlyIndexes", .u8s($0.readonlyIndexes))])
            })),
        ])
    }
}
