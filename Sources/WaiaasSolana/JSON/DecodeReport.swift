/// The JSON shape of `waiaas decode --json`: the transaction as decoded, its
/// exact message bytes, the resolved accounts, every instruction decoded, and
/// the effects summary for one signer. Field names follow Solana's JSON-RPC
/// naming (camelCase) where one exists. Byte strings are lower-case hex.
public enum DecodeReport {
    public static func json(transaction: SolanaTransaction?, message: Message, messageBytes: [UInt8], resolved: ResolvedAccounts,
                            instructions: [DecodedInstruction], effects: EffectsSummary) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("version", message.version == .legacy ? .string("legacy") : .uint(message.version == .v0 ? 0 : 1)),
        ]
        if let transaction {
            fields.append(("signatures", .array(transaction.signatures.map { .string($0.base58) })))
            fields.append(("encoded", .hex(transaction.encoded())))
        }
        fields += [
            ("messageBytes", .hex(messageBytes)),
            ("message", self.message(message)),
            ("accounts", accounts(message, resolved)),
            ("unresolvedLookups", .array(resolved.unresolved.map(unresolved))),
            ("instructions", .array(DecodeReport.instructions(message: message, resolved: resolved, instructions))),
            ("effects", self.effects(effects)),
        ]
        return .object(fields)
    }

    static func message(_ m: Message) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("header", .object([
                ("numRequiredSignatures", .uint(UInt64(m.header.numRequiredSignatures))),
                ("numReadonlySignedAccounts", .uint(UInt64(m.header.numReadonlySignedAccounts))),
                ("numReadonlyUnsignedAccounts", .uint(UInt64(m.header.numReadonlyUnsignedAccounts))),
            ])),
            ("accountKeys", .keys(m.accountKeys)),
            ("recentBlockhash", .key(m.recentBlockhash)),
            ("instructions", .array(m.instructions.map { ix in
                .object([("programIdIndex", .uint(UInt64(ix.programIdIndex))), ("accounts", .u8s(ix.accounts)), ("data", .hex(ix.data))])
            })),
        ]
        if m.version == .v0 {
            fields.append(("addressTableLookups", .array(m.addressTableLookups.map { l in
                .object([("accountKey", .key(l.accountKey)), ("writableIndexes", .u8s(l.writableIndexes)), ("readonlyIndexes", .u8s(l.readonlyIndexes))])
            })))
        }
        if let c = m.config {
            fields.append(("config", .object([
                ("priorityFee", .u(c.priorityFeeLamports)),
                ("computeUnitLimit", .u(c.computeUnitLimit.map(UInt64.init))),
                ("loadedAccountsDataSizeLimit", .u(c.loadedAccountsDataSizeLimit.map(UInt64.init))),
                ("heapSize", .u(c.heapSize.map(UInt64.init))),
            ])))
        }
        return .object(fields)
    }

    static func accounts(_ m: Message, _ r: ResolvedAccounts) -> JSONValue {
        .array(r.keys.enumerated().map { i, key in
            .object([
                ("pubkey", .key(key)),
                ("signer", .bool(m.isSigner(i))),
                ("writable", .bool(m.isWritable(i))),
                ("source", .string(i < r.staticCount ? "transaction" : "lookupTable")),
            ])
        })
    }

    static func unresolved(_ u: UnresolvedLookup) -> JSONValue {
        .object([("table", .key(u.table)), ("tableMissing", .bool(u.tableMissing)), ("missingIndexes", .u8s(u.missingIndexes))])
    }

    public static func instruction(_ ix: DecodedInstruction) -> JSONValue {
        var fields: [(String, JSONValue)] = [("programId", .key(ix.programId))]
        switch ix {
        case .system(let s):
            fields += [("program", .string("system")), ("type", .string(s.kind.rawValue)), ("info", system(s))]
        case .token(let t, let program):
            fields += [("program", .string(ProgramIds.names[program] ?? "token")), ("type", .string(t.kind.rawValue)), ("info", token(t))]
        case .associatedToken(let a):
            fields += [("program", .string("spl-associated-token-account")), ("type", .string(a.kind.rawValue)), ("info", .object([
                ("payer", .key(a.payer)), ("account", .key(a.associatedAccount)), ("wallet", .key(a.wallet)),
                ("mint", .key(a.mint)), ("tokenProgram", .key(a.tokenProgram)),
            ]))]
        case .computeBudget(let c):
            let (type, info): (String, [(String, JSONValue)]) = switch c {
            case .requestUnits(let units, let fee): ("requestUnits", [("units", .uint(UInt64(units))), ("additionalFee", .uint(UInt64(fee)))])
            case .requestHeapFrame(let bytes): ("requestHeapFrame", [("bytes", .uint(UInt64(bytes)))])
            case .setComputeUnitLimit(let units): ("setComputeUnitLimit", [("units", .uint(UInt64(units)))])
            case .setComputeUnitPrice(let price): ("setComputeUnitPrice", [("microLamports", .uint(price))])
            case .setLoadedAccountsDataSizeLimit(let bytes): ("setLoadedAccountsDataSizeLimit", [("bytes", .uint(UInt64(bytes)))])
            }
            fields += [("program", .string("compute-budget")), ("type", .string(type)), ("info", .object(info))]
        case .memo(let m):
            fields += [("program", .string("spl-memo")), ("type", .string("memo")), ("info", .object([("text", .string(m.text)), ("signers", .keys(m.signers))]))]
        case .squads(let q):
            fields += [("program", .string("squads-v4")), ("type", .string(q.name)), ("info", squads(q))]
        case .other(_, let name, let accounts, let data):
            fields += [("program", name.map { .string($0) } ?? .null), ("type", .string("unknown")),
                       ("info", .object([("accounts", .keys(accounts)), ("data", .hex(data))]))]
        case .invalid(_, let error):
            fields += [("program", .string(ProgramIds.names[ix.programId] ?? "unknown")), ("type", .string("invalid")),
                       ("info", .object([("code", .string(error.code.rawValue)), ("error", .string(error.description))]))]
        case .unresolved:
            fields += [("program", .string(ProgramIds.names[ix.programId] ?? "unknown")), ("type", .string("unresolved")), ("info", .object([]))]
        }
        return .object(fields)
    }

    static func system(_ s: SystemInstruction) -> JSONValue {
        var f: [(String, JSONValue)] = []
        func add(_ name: String, _ k: PublicKey?) { if let k { f.append((name, .key(k))) } }
        add("from", s.from); add("to", s.to); add("account", s.account); add("nonceAccount", s.nonceAccount)
        add("authority", s.authority); add("newAuthority", s.newAuthority); add("base", s.base)
        if let seed = s.seed { f.append(("seed", .string(seed))) }
        add("owner", s.owner)
        if let v = s.lamports { f.append(("lamports", .uint(v))) }
        if let v = s.space { f.append(("space", .uint(v))) }
        return .object(f)
    }

    static func token(_ t: TokenInstruction) -> JSONValue {
        var f: [(String, JSONValue)] = [("tag", .uint(UInt64(t.tag)))]
        func add(_ name: String, _ k: PublicKey?) { if let k { f.append((name, .key(k))) } }
        add("source", t.source); add("destination", t.destination); add("mint", t.mint); add("authority", t.authority)
        add("delegate", t.delegate); add("newAuthority", t.newAuthority)
        if let v = t.authorityType { f.append(("authorityType", .uint(UInt64(v)))) }
        if let v = t.amount { f.append(("amount", .uint(v))) }
        if let v = t.decimals { f.append(("decimals", .uint(UInt64(v)))) }
        if let v = t.fee { f.append(("fee", .uint(v))) }
        if let v = t.extensionName { f.append(("extension", .string(v))) }
        if let v = t.subtag { f.append(("subtag", .uint(UInt64(v)))) }
        if !t.signers.isEmpty { f.append(("signers", .keys(t.signers))) }
        if t.kind == .batch {
            f.append(("instructions", .array(t.inner.map { .object([("type", .string($0.kind.rawValue)), ("info", token($0))]) })))
        }
        return .object(f)
    }

    static func position(_ p: InstructionPosition) -> JSONValue {
        .object([("index", .uint(UInt64(p.index))), ("inner", p.inner.map { .uint(UInt64($0)) } ?? .null)])
    }

    public static func effects(_ e: EffectsSummary) -> JSONValue {
        .object([
            ("signer", .key(e.signer)),
            ("feePayer", .key(e.feePayer)),
            ("signerIsFeePayer", .bool(e.signerIsFeePayer)),
            ("signerMustSign", .bool(e.signerMustSign)),
            ("numSignatures", .uint(UInt64(e.numSignatures))),
            ("precompileSignatures", .uint(UInt64(e.precompileSignatures))),
            ("baseFeeLamports", .uint(e.baseFeeLamports)),
            ("computeUnitLimit", .uint(e.computeUnitLimit)),
            ("computeUnitLimitRequested", .u(e.computeUnitLimitRequested.map(UInt64.init))),
            ("computeUnitPriceMicroLamports", .uint(e.computeUnitPriceMicroLamports)),
            ("priorityFeeLamports", .uint(e.priorityFeeLamports)),
            ("maxFeeLamports", .uint(e.maxFeeLamports)),
            ("outflows", .array(e.outflows.map { o in
                .object([("asset", .string(o.asset.description)), ("amount", .u(o.amount)), ("source", .key(o.source)),
                         ("destination", .key(o.destination)), ("kind", .string(o.kind)), ("position", position(o.position))])
            })),
            ("totals", .array(e.totals.map { t in
                .object([("asset", .string(t.asset.description)), ("amount", .uint(t.amount)), ("unbounded", .bool(t.unbounded))])
            })),
            ("destinations", .keys(e.destinations)),
            ("programs", .keys(e.programs)),
            ("authorityChanges", .array(e.authorityChanges.map { c in
                .object([("kind", .string(c.instruction)), ("control", .string(c.kind.rawValue)), ("account", .key(c.account)), ("newAuthority", .key(c.newAuthority)),
                         ("authorityType", .u(c.authorityType.map(UInt64.init))), ("amount", .u(c.amount)), ("mint", .key(c.mint)),
                         ("position", position(c.position))])
            })),
            ("accountCreations", .array(e.accountCreations.map { c in
                .object([("kind", .string(c.kind)), ("payer", .key(c.payer)), ("account", .key(c.account)), ("owner", .key(c.owner)),
                         ("mint", .key(c.mint)), ("lamports", .u(c.lamports)), ("position", position(c.position))])
            })),
            ("durableNonce", e.durableNonce.map { n in .object([("nonceAccount", .key(n.nonceAccount)), ("authority", .key(n.authority))]) } ?? .null),
            ("opaqueCallsWithSigner", .array(e.opaqueCallsWithSigner.map(position))),
            ("unmodelledInstructions", .array(e.unmodelledInstructions.map { u in
                .object([("instruction", .string(u.instruction)), ("position", position(u.position))])
            })),
            ("invalidInstructions", .array(e.invalidInstructions.map { p in
                .object([("position", position(p.position)), ("programId", .key(p.programId)), ("code", .string(p.code.rawValue)), ("detail", .string(p.detail))])
            })),
            ("unresolvedLookups", .array(e.unresolvedLookups.map(unresolved))),
            ("unresolvedInstructions", .array(e.unresolvedInstructions.map { .uint(UInt64($0)) })),
            ("instructionsUsingLoadedAccounts", .array(e.instructionsUsingLoadedAccounts.map { .uint(UInt64($0)) })),
            ("lookupTableProblems", .array(e.lookupTableProblems.map { p in
                .object([("table", .key(p.table)), ("kind", .string(p.kind.rawValue)), ("detail", .string(p.detail))])
            })),
            ("fullyDecoded", .bool(e.isFullyDecoded)),
        ])
    }
}
