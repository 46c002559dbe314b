import ArgumentParser
import Foundation
import WaiaasAttestation
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// `waiaas ledger`: offline access to a daemon's ledger file
/// (HOME/ledger.sqlite). Reads only; safe while the daemon runs.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Check or read a daemon's ledger offline (HOME/ledger.sqlite).",
        subcommands: [LedgerVerifyCommand.self, LedgerTailCommand.self]
    )

    /// A ledger that cannot be read at all: exit 1 like a failed check, with
    /// the error's stable code in JSON.
    static func unreadable(_ error: LedgerError, path: String, json: Bool) -> CLIFailure {
        guard json else { return CLIFailure(.failed, error.description) }
        print(JSONValue.object([
            ("ok", .bool(false)), ("path", .string(path)), ("error", .string(error.code.rawValue)), ("message", .string(error.message)),
        ]).serialized())
        return .quiet(.failed)
    }
}

/// `waiaas ledger verify`: recomputes every row's hash and the chain.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the ledger's hash chain and report the first bad row.",
        discussion: "Exit status 0 when every row checks out, 1 when one does not or the file cannot be read."
    )

    @Option(help: "The daemon's home directory; the ledger is HOME/ledger.sqlite.")
    var home: String = "./.waiaas"

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let path = HomeLayout(home).ledger
        var result: LedgerVerification
        do {
            result = try LedgerVerifier.verify(path: path)
            // A chain cut short still verifies on its own: compare it with the
            // head anchored beside it (ledger.head), when there is one.
            if result.ok, let anchor = try LedgerAnchor.read(path: HomeLayout(home).ledgerAnchor) {
                let reader = try LedgerFileReader.open(path: path)
                defer { reader.close() }
                if let problem = try reader.check(against: anchor).problem {
                    result.problem = problem
                    result.firstBadSequence = min(result.head.sequence + 1, anchor.head.sequence)
                }
            }
        } catch {
            throw LedgerCommand.unreadable(error, path: path, json: json)
        }
        if json {
            var object: [(String, JSONValue)] = [("ok", .bool(result.ok)), ("path", .string(path)), ("rows", .integer(result.rowsChecked))]
            if let bad = result.firstBadSequence { object.append(("first_bad_sequence", .integer(bad))) }
            if let problem = result.problem { object.append(("problem", .string(problem))) }
            object.append(("head_sequence", .integer(result.head.sequence)))
            object.append(("head_hash", .hexString(result.head.hash)))
            print(JSONValue.object(object).serialized())
        } else if result.ok {
            print("ok: \(result.rowsChecked) rows, head \(result.head.sequence) \(Hex.encode(result.head.hash))")
        } else {
            print("FAILED at row \(result.firstBadSequence.map(String.init) ?? "?"): \(result.problem ?? "unknown problem")")
            print("\(result.rowsChecked) rows before it check out (head \(result.head.sequence))")
        }
        if !result.ok { throw CLIFailure.quiet(.failed) }
    }
}

/// `waiaas ledger tail`: the most recent events, as recorded.
struct LedgerTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the most recent ledger events, oldest first."
    )

    @Option(help: "The daemon's home directory; the ledger is HOME/ledger.sqlite.")
    var home: String = "./.waiaas"

    @Option(help: "How many events to print.")
    var count: Int = 20

    @Flag(help: "Print the events as JSON.")
    var json = false

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
    }

    func run() throws {
        let path = HomeLayout(home).ledger
        let events: [LedgerEvent]
        let budgets: [Budget]
        do {
            let reader = try LedgerFileReader.open(path: path)
            defer { reader.close() }
            events = try reader.lastEvents(count: count)
            budgets = try Self.budgets(reader)
        } catch {
            throw LedgerCommand.unreadable(error, path: path, json: json)
        }
        if json {
            print(JSONValue.object([
                ("path", .string(path)), ("events", .array(events.map(LedgerEventJSON.object))),
                ("budgets", .array(budgets.map { budget in
                    .object([("asset", .string(LedgerEventJSON.asset(budget.asset.bytes))), ("window_seconds", .integer(budget.windowSeconds)),
                             ("limit", .integer(budget.limit)), ("spent", .integer(budget.spent)), ("remaining", .integer(budget.remaining)),
                             ("text", .string(budget.sentence))])
                })),
            ]).serialized())
        } else {
            if events.isEmpty { print("no events in \(path)") }
            for event in events { print(LedgerEventJSON.line(event)) }
            if !budgets.isEmpty {
                print("remaining budget:")
                for budget in budgets { print("  " + budget.sentence) }
            }
        }
    }
}

extension LedgerTailCommand {
    /// The remaining budget per window under the policy in force, computed
    /// offline from the ledger exactly as the daemon computes it.
    static func budgets(_ reader: LedgerFileReader) throws(LedgerError) -> [Budget] {
        guard let event = try reader.latest(kind: .policySet),
              let request = try? SetPolicyRequest(serializedBytes: event.entry.request),
              let policy = try? CompiledPolicy.decode(request.policy) else { return [] }
        let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        let horizon = policy.longestWindowSeconds * 1000 // at most ten years (PolicyBounds)
        var book = SpendingBook(horizonSeconds: policy.longestWindowSeconds)
        for event in try reader.events(since: now > horizon ? now - horizon : 0, kinds: LedgerEventKind.spending) where event.countsAgainstWindows {
            book.record(timeMilliseconds: event.entry.timeUnixMilliseconds, amounts: event.entry.outflows.map { (asset: $0.asset, amount: $0.amount) },
                        proposal: event.entry.kind == .propose)
        }
        return Budget.compute(policy: policy, book: book, nowMilliseconds: now)
    }
}

/// How a ledger event is shown: asset as "SOL" or its mint in base58,
/// signature in base58 (as Solana shows it), digests and hashes in hex.
enum LedgerEventJSON {
    static func asset(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "SOL" : Base58.encode(bytes)
    }

    static func time(_ milliseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1_000))
    }

    static func object(_ event: LedgerEvent) -> JSONValue {
        let entry = event.entry
        var object: [(String, JSONValue)] = [
            ("sequence", .integer(event.sequence)),
            ("time_ms", .integer(entry.timeUnixMilliseconds)),
            ("time", .string(time(entry.timeUnixMilliseconds))),
            ("kind", .string(entry.kind.rawValue)),
            ("decision", .string(entry.decision)),
            ("reasons", .array(entry.reasons.map { .reason(code: $0.code, message: $0.message) })),
            ("outflows", .array(entry.outflows.map { .object([("asset", .string(asset($0.asset))), ("amount", .integer($0.amount))]) })),
            ("policy_version", .integer(entry.policyVersion)),
            ("request_digest", .hexString(entry.requestDigest)),
            ("request_bytes", .integer(entry.request.count)),
        ]
        if !entry.messageDigest.isEmpty { object.append(("message_digest", .hexString(entry.messageDigest))) }
        if !entry.signature.isEmpty { object.append(("signature", .base58(entry.signature))) }
        if !entry.clientReference.isEmpty { object.append(("client_reference", .string(entry.clientReference))) }
        object.append(("previous_hash", .hexString(event.previousHash)))
        object.append(("hash", .hexString(event.hash)))
        return .object(object)
    }

    static func line(_ event: LedgerEvent) -> String {
        let entry = event.entry
        var parts = ["#\(event.sequence)", time(entry.timeUnixMilliseconds), entry.kind.rawValue]
        if entry.decision != entry.kind.rawValue && !entry.decision.isEmpty { parts.append(entry.decision) }
        parts.append("policy v\(entry.policyVersion)")
        if !entry.outflows.isEmpty {
            parts.append("out " + entry.outflows.map { "\($0.amount) \(asset($0.asset))" }.joined(separator: ", "))
        }
        if !entry.reasons.isEmpty {
            parts.append("reasons " + entry.reasons.map(\.code).joined(separator: ","))
        }
        if !entry.signature.isEmpty { parts.append("sig " + String(Base58.encode(entry.signature).prefix(12)) + "…") }
        if !entry.clientReference.isEmpty { parts.append("ref \(entry.clientReference)") }
        return parts.joined(separator: "  ")
    }
}
