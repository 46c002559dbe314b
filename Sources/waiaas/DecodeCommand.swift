import ArgumentParser
import Foundation
import WaiaasChain
import WaiaasSolana

/// `waiaas decode`: decodes a transaction (or a bare message) offline and
/// prints what it does, exactly as the daemon's policy would see it.
struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a Solana transaction (legacy, v0 or v1) and summarize its effects.",
        discussion: """
        TX is base64 or base58 (or hex with --encoding hex); '-' reads it from standard input. \
        --lookup-tables takes a JSON object mapping each lookup table address to its list of addresses; \
        --rpc-url reads the tables from the chain instead, as the daemon does (every endpoint must agree).
        """
    )

    enum Encoding: String, ExpressibleByArgument, CaseIterable {
        case auto, base64, base58, hex
    }

    @Flag(help: "Print the decoded transaction and effects as JSON.")
    var json = false

    @Option(name: .customLong("lookup-tables"), help: "JSON file: {\"<table address>\": [\"<address>\", ...]}.")
    var lookupTables: String?

    @Option(name: .customLong("rpc-url"), help: "A Solana JSON-RPC endpoint to read lookup tables from (repeatable: all must agree).")
    var rpcURLs: [String] = []

    @Option(help: "Whose effects to summarize (default: the fee payer).")
    var signer: String?

    @Option(help: "Input encoding: auto, base64, base58 or hex.")
    var encoding: Encoding = .auto

    @Flag(help: "The input is a bare message (no signatures).")
    var message = false

    @Argument(help: "The transaction, or '-' for standard input.")
    var tx: String

    func run() async throws {
        var text = tx
        if tx == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            text = String(decoding: data, as: UTF8.self)
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)

        let signerKey: PublicKey?
        if let signer {
            guard let key = PublicKey(base58: signer) else {
                throw ValidationError("--signer is not a base58 public key")
            }
            signerKey = key
        } else {
            signerKey = nil
        }
        guard rpcURLs.isEmpty || lookupTables == nil else {
            throw ValidationError("give --lookup-tables or --rpc-url, not both: the chain's tables are the ones that count")
        }
        let tables = try loadLookupTables()
        let chain: ChainQuorum?
        do {
            chain = rpcURLs.isEmpty ? nil : try ChainQuorum(urls: rpcURLs, threads: 2)
        } catch {
            throw ValidationError("--rpc-url: \(error.message)")
        }

        let candidates = Self.candidates(text, encoding)
        if candidates.isEmpty {
            throw failure(SolanaDecodeError(.invalidEncoding, offset: nil, "input is not valid \(encoding == .auto ? "base64 or base58" : encoding.rawValue)"))
        }
        // base58 strings can also be valid base64; take the first reading
        // that decodes, and report the first reading's error otherwise.
        var firstError: SolanaDecodeError?
        for bytes in candidates {
            do {
                var report: LookupTableReport?
                if let chain, let lookups = try? Self.lookups(bytes, bareMessage: message), !lookups.isEmpty {
                    report = await LookupTableResolver(quorum: chain).resolve(lookups)
                }
                try decodeAndPrint(bytes, tables: report?.tables ?? tables, chain: report, signer: signerKey)
                return
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw failure(firstError) }
    }

    private static func lookups(_ bytes: [UInt8], bareMessage: Bool) throws(SolanaDecodeError) -> [AddressTableLookup] {
        try (bareMessage ? Message.decode(bytes) : SolanaTransaction.decode(bytes).message).addressTableLookups
    }

    private func decodeAndPrint(
        _ bytes: [UInt8], tables: [PublicKey: [PublicKey]], chain: LookupTableReport?, signer: PublicKey?
    ) throws(SolanaDecodeError) {
        let transaction: SolanaTransaction?
        let msg: Message
        let messageBytes: [UInt8]
        if message {
            msg = try Message.decode(bytes)
            messageBytes = bytes
            transaction = nil
        } else {
            let t = try SolanaTransaction.decode(bytes)
            transaction = t
            msg = t.message
            messageBytes = t.messageBytes
        }
        let resolved = try msg.resolve(lookupTables: tables, verified: chain != nil)
        let instructions = InstructionDecoder.decode(message: msg, resolved: resolved)
        var effects = EffectsSummary.compute(message: msg, resolved: resolved, signer: signer, instructions: instructions)
        effects.lookupTableProblems = chain?.problems ?? []
        let report = DecodeReport.json(transaction: transaction, message: msg, messageBytes: messageBytes, resolved: resolved,
                                       instructions: instructions, effects: effects)
        if json {
            print(report.serialized(pretty: true))
        } else {
            print(Self.human(msg, transaction: transaction, instructions: DecodeReport.instructions(message: msg, resolved: resolved, instructions), effects: effects))
        }
    }

    /// Input that does not decode: exit 1, the error as JSON on stdout with --json.
    private func failure(_ error: SolanaDecodeError) -> CLIFailure {
        guard json else { return CLIFailure(.failed, "\(error)") }
        let object = JSONValue.object([("error", .object([
            ("code", .string(error.code.rawValue)),
            ("offset", error.offset.map { .int(Int64($0)) } ?? .null),
            ("message", .string(error.description)),
        ]))])
        print(object.serialized(pretty: true))
        return .quiet(.failed)
    }

    private func loadLookupTables() throws -> [PublicKey: [PublicKey]] {
        guard let path = lookupTables else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.failed, "--lookup-tables: cannot read \(path)") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CLIFailure(.failed, "--lookup-tables: \(path) is not JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ValidationError("--lookup-tables: expected a JSON object")
        }
        var tables: [PublicKey: [PublicKey]] = [:]
        for (table, value) in object {
            guard let tableKey = PublicKey(base58: table), let list = value as? [String] else {
                throw ValidationError("--lookup-tables: bad entry \(table)")
            }
            var addresses: [PublicKey] = []
            for item in list {
                guard let key = PublicKey(base58: item) else { throw ValidationError("--lookup-tables: bad address \(item)") }
                addresses.append(key)
            }
            tables[tableKey] = addresses
        }
        return tables
    }

    static func candidates(_ text: String, _ encoding: Encoding) -> [[UInt8]] {
        var out: [[UInt8]] = []
        if encoding == .auto || encoding == .base64, let data = Data(base64Encoded: text), !data.isEmpty {
            out.append([UInt8](data))
        }
        // 4096 bytes are at most ~5600 base58 characters; refuse far longer input before quadratic work.
        if encoding == .auto || encoding == .base58, text.utf8.count <= 8192, let bytes = Base58.decode(text), !bytes.isEmpty {
            out.append(bytes)
        }
        if encoding == .hex, let bytes = Hex.decode(text) { out.append(bytes) }
        return out
    }

    static func human(_ m: Message, transaction: SolanaTransaction?, instructions: [JSONValue], effects e: EffectsSummary) -> String {
        var lines: [String] = []
        lines.append("version: \(m.version)   signers: \(m.header.numRequiredSignatures)   accounts: \(m.totalAccountCount)")
        lines.append("fee payer: \(e.feePayer)")
        lines.append("blockhash: \(m.recentBlockhash)")
        for (i, json) in instructions.enumerated() {
            lines.append("  #\(i) \(json.serialized())")
        }
        lines.append("effects for \(e.signer):")
        lines.append("  max fee: \(e.maxFeeLamports) lamports (base \(e.baseFeeLamports), priority \(e.priorityFeeLamports), CU limit \(e.computeUnitLimit))")
        for t in e.totals {
            lines.append("  outflow \(t.asset): \(t.amount)\(t.unbounded ? " + unknown" : "")")
        }
        for c in e.authorityChanges {
            lines.append("  authority change: \(c.kind) on \(c.account) -> \(c.newAuthority?.base58 ?? "none")")
        }
        if let n = e.durableNonce { lines.append("  durable nonce: \(n.nonceAccount?.base58 ?? "?")") }
        for p in e.lookupTableProblems { lines.append("  lookup table \(p.table): \(p.kind.rawValue): \(p.detail)") }
        if !e.isFullyDecoded { lines.append("  NOT fully decoded (unresolved lookups, lookup table problems or invalid instructions)") }
        return lines.joined(separator: "\n")
    }
}
