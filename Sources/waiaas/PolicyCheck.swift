import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

struct PolicyCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy file and explain what it allows; with --replay N, show which recorded decisions it would change.")

    @Argument(help: "The policy, as JSON, or a signed policy file.")
    var policyFile: String

    @Option(help: "Replay the last N recorded requests of --home's ledger under this policy, offline.")
    var replay: Int?

    @Option(help: "The daemon home whose ledger to replay.")
    var home: String = "./.waiaas"

    @Flag(help: "Print the replay as JSON.")
    var json = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: policyFile) else { throw CLIFailure(.input, "cannot read \(policyFile)") }
        let policy: Policy
        let compiled: CompiledPolicy
        do {
            if let signed = try? JSONDecoder().decode(SignedPolicyFile.self, from: data) {
                policy = try Policy(serializedBytes: signed.request.policy)
            } else {
                policy = try PolicyJSON.parse(data)
            }
            compiled = try CompiledPolicy(policy)
        } catch {
            throw CLIFailure(.failed, "\(policyFile): \(error)")
        }
        guard let replay else {
            print("valid.")
            print(PolicyText.explain(policy))
            return
        }
        let agent: PublicKey
        let changes: [PolicyReplay.Change]
        let replayed: Int
        do {
            agent = try Keystore.publicKey(home: home)
            (replayed, changes) = try PolicyReplay.run(home: home, agent: agent, candidate: compiled, count: replay)
        } catch {
            throw CLIFailure(.input, "replay: \(error)")
        }
        if json {
            print(JSONValue.object([
                ("replayed", .integer(replayed)), ("changed", .integer(changes.count)),
                ("changes", .array(changes.map { change in
                    .object([("sequence", .integer(change.sequence)), ("time_ms", .integer(change.time)),
                             ("before", .string(change.before)), ("after", .string(change.after)),
                             ("reasons", .array(change.reasons.map { .reason(code: $0.code.rawValue, message: $0.message) }))])
                })),
            ]).serialized())
            return
        }
        print("valid. Replayed the last \(replayed) recorded request(s) under this policy: \(changes.count) decision(s) would change.")
        for change in changes {
            print("#\(change.sequence): \(change.before) -> \(change.after): " + change.reasons.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
        }
    }
}

/// Re-judges recorded Sign requests under a candidate policy, each with the
/// spending actually recorded before it and at the time it was made.
enum PolicyReplay {
    struct Change {
        var sequence: UInt64
        var time: UInt64
        var before: String
        var after: String
        var reasons: [PolicyReason]
    }

    static func run(home: String, agent: PublicKey, candidate: CompiledPolicy, count: Int) throws -> (Int, [Change]) {
        let reader = try LedgerFileReader.open(path: HomeLayout(home).ledger)
        defer { reader.close() }
        let decisions: Set<LedgerEventKind> = [.sign, .deny, .approvalRequired]
        // Look back far enough to find N requests among other events.
        var recent: [LedgerEvent] = []
        var window = max(count * 4, 64)
        while true {
            let events = try reader.lastEvents(count: window)
            recent = events.filter { decisions.contains($0.entry.kind) }
            if recent.count >= count || events.count < window { break }
            window *= 4
        }
        recent = Array(recent.suffix(count))
        guard let first = recent.first else { return (0, []) }
        let horizon = candidate.longestWindowSeconds * 1000
        let history = try reader.events(since: first.entry.timeUnixMilliseconds > horizon ? first.entry.timeUnixMilliseconds - horizon : 0, kinds: LedgerEventKind.spending)
            .filter(\.countsAgainstWindows)
        var changes: [Change] = []
        for event in recent {
            guard let request = try? SignRequest(serializedBytes: event.entry.request),
                  case .success(let subject) = SignSubject.make(request, agent: agent) else { continue }
            var book = SpendingBook(horizonSeconds: candidate.longestWindowSeconds)
            for earlier in history where earlier.sequence < event.sequence {
                book.record(timeMilliseconds: earlier.entry.timeUnixMilliseconds, amounts: earlier.entry.outflows.map { (asset: $0.asset, amount: $0.amount) },
                            proposal: earlier.entry.kind == .propose)
            }
            let evaluation = PolicyEngine.evaluate(policy: candidate, subject: subject.subject, agent: agent, book: book, nowMilliseconds: event.entry.timeUnixMilliseconds)
            if evaluation.decision.rawValue != event.entry.decision {
                changes.append(Change(sequence: event.sequence, time: event.entry.timeUnixMilliseconds, before: event.entry.decision,
                                      after: evaluation.decision.rawValue, reasons: evaluation.reasons))
            }
        }
        return (recent.count, changes)
    }
}
