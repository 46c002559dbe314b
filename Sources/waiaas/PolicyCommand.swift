import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// A policy with its owners' signatures, as `policy sign` writes it and
/// `policy set` sends it:
/// `{"format": "waiaas-signed-policy-v1", "agent": base58, "version": N,
///   "policy": base64 of the Policy bytes, "signatures": [{"public_key": base58, "signature": base58}]}`.
struct SignedPolicyFile: Codable {
    static let currentFormat = "waiaas-signed-policy-v1"

    struct OwnerSignatureJSON: Codable {
        var publicKey: String
        var signature: String
        enum CodingKeys: String, CodingKey { case publicKey = "public_key", signature }
    }

    var format = currentFormat
    var agent: String
    var version: UInt64
    var policy: String
    var signatures: [OwnerSignatureJSON]

    static func load(_ path: String) throws -> SignedPolicyFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.input, "cannot read \(path)") }
        do {
            let file = try JSONDecoder().decode(SignedPolicyFile.self, from: data)
            guard file.format == currentFormat else { throw CLIFailure(.input, "\(path): format \(file.format) is not \(currentFormat)") }
            return file
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(.input, "\(path) is not a signed policy file: \(error)")
        }
    }

    func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(self)) else { throw CLIFailure(.input, "cannot write \(path)") }
    }

    var request: SetPolicyRequest {
        SetPolicyRequest(
            policy: Array(Data(base64Encoded: policy) ?? Data()), version: version,
            signatures: signatures.map { OwnerSignature(publicKey: Base58.decode($0.publicKey) ?? [], signature: Base58.decode($0.signature) ?? []) },
            agentPublicKey: Base58.decode(agent) ?? [])
    }
}

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Write, sign, set and read the owner's policy.",
        subcommands: [PolicySign.self, PolicySet.self, PolicyGet.self, PolicyCheck.self])
}

struct PolicySign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a policy as an owner; a second owner signing into the same --out file adds a signature.")

    @Option(name: .customLong("owner-key"), help: "The owner's key file (solana-keygen JSON).")
    var ownerKey: String

    @Option(help: "The policy version: higher than the one in force.")
    var version: UInt64

    @Option(help: "The agent public key the policy is for (default: read from --home's keystore).")
    var agent: String?

    @Option(help: "The daemon home whose agent key to bind, when --agent is not given.")
    var home: String = "./.waiaas"

    @Option(help: "The signed policy file to write (or add a signature to).")
    var out: String

    @Argument(help: "The policy, as JSON (docs/POLICY.md).")
    var policyFile: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: policyFile) else { throw CLIFailure(.input, "cannot read \(policyFile)") }
        let policy: Policy
        do {
            policy = try PolicyJSON.parse(data)
            _ = try CompiledPolicy(policy)
        } catch let problem as PolicyJSON.Problem {
            throw CLIFailure(.input, "\(policyFile): \(problem)")
        } catch {
            throw CLIFailure(.input, "\(policyFile): \(error)")
        }
        let agentKey: PublicKey
        if let agent {
            guard let key = PublicKey(base58: agent) else { throw CLIFailure(.input, "--agent is not a base58 public key") }
            agentKey = key
        } else {
            do {
                agentKey = try Keystore.publicKey(home: home)
            } catch {
                throw CLIFailure(.input, "no --agent given and \(home) has no keystore: \(error)")
            }
        }
        let owner: OwnerKey
        do {
            owner = try OwnerKey.load(path: ownerKey)
        } catch {
            throw CLIFailure(.input, "\(ownerKey): \(error)")
        }
        let bytes = policy.serializedBytes()
        let signature = owner.sign(PolicySigning.message(agent: agentKey, version: version, policy: bytes))
        let mine = SignedPolicyFile.OwnerSignatureJSON(publicKey: owner.publicKey.base58, signature: Base58.encode(signature))
        var file = SignedPolicyFile(agent: agentKey.base58, version: version, policy: Data(bytes).base64EncodedString(), signatures: [mine])
        if FileManager.default.fileExists(atPath: out) {
            let existing = try SignedPolicyFile.load(out)
            guard existing.agent == file.agent, existing.version == file.version, existing.policy == file.policy else {
                throw CLIFailure(.input, "\(out) holds a different policy, version or agent; refusing to mix signatures")
            }
            file.signatures = existing.signatures.filter { $0.publicKey != mine.publicKey } + [mine]
        }
        try file.write(out)
        print("signed version \(version) for agent \(agentKey.base58) as \(mine.publicKey); \(file.signatures.count) signature(s) in \(out)")
    }
}

struct PolicySet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Send a signed policy to the daemon.")

    @OptionGroup var connection: SocketOptions

    @Argument(help: "The signed policy file (from `waiaas policy sign`).")
    var signed: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let request = try SignedPolicyFile.load(signed).request
        let response = try await connection.withClient { client in
            do throws(RPCError) {
                return try await client.setPolicy(request)
            } catch {
                if json {
                    print(JSONValue.object([
                        ("code", .string(error.code.name)), ("message", .string(error.status.message)),
                        ("reasons", .array(error.status.reasons.map { .reason(code: $0.code, message: $0.message) })),
                    ]).serialized())
                }
                throw CLIFailure(.failed, "refused (\(error.code.name)): \(error.status.message)")
            }
        }
        if json {
            print(JSONValue.object([
                ("version", .integer(response.version)), ("policy_hash", .hexString(response.policyHash)), ("sequence", .integer(response.ledgerSequence)),
            ]).serialized())
        } else {
            print("policy version \(response.version) in force (ledger #\(response.ledgerSequence))")
        }
    }
}

struct PolicyGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show the policy in force.")

    @OptionGroup var connection: SocketOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let response = try await connection.withClient { client in try await client.getPolicy() }
        let policy = try? Policy(serializedBytes: response.policy)
        if json {
            print(JSONValue.object([
                ("version", .integer(response.version)), ("policy_hash", .hexString(response.policyHash)), ("sequence", .integer(response.ledgerSequence)),
                ("owners", .array(response.signatures.map { .base58($0.publicKey) })),
                ("policy", policy.map(PolicyText.jsonValue) ?? .null),
            ]).serialized())
        } else if let policy {
            print("version \(response.version) (ledger #\(response.ledgerSequence)), signed by \(response.signatures.map { Base58.encode($0.publicKey) }.joined(separator: ", "))")
            print(PolicyText.explain(policy))
        } else {
            print("no policy is in force: every request is denied")
        }
    }
}

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
                             ("reasons", .array(change.reasons.map { .reason(code: $0.code, message: $0.message) }))])
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
        let history = try reader.events(since: first.entry.timeUnixMilliseconds > horizon ? first.entry.timeUnixMilliseconds - horizon : 0, kinds: [.sign])
        var changes: [Change] = []
        for event in recent {
            guard let request = try? SignRequest(serializedBytes: event.entry.request),
                  case .success(let subject) = SignSubject.make(request, agent: agent) else { continue }
            var book = SpendingBook(horizonSeconds: candidate.longestWindowSeconds)
            for earlier in history where earlier.sequence < event.sequence {
                book.record(timeMilliseconds: earlier.entry.timeUnixMilliseconds, amounts: earlier.entry.outflows.map { (asset: $0.asset, amount: $0.amount) })
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
