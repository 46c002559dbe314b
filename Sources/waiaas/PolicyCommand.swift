import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Write, sign, set and read the owner's policy.",
        subcommands: [PolicySign.self, PolicySet.self, PolicyGet.self, PolicyCheck.self])
}

struct PolicySign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a policy as an owner; a second owner signing into the same --out file adds a signature.")

    @OptionGroup var owner: OwnerSignerOptions

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

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: policyFile) else { throw CLIFailure(.input, "cannot read \(policyFile)") }
        let policy: Policy
        do {
            policy = try PolicyJSON.parse(data)
            _ = try CompiledPolicy(policy)
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
        let bytes = policy.serializedBytes()
        var file = SignedPolicyFile(agent: agentKey.base58, version: version, policy: Data(bytes).base64EncodedString(), signatures: [])
        // The existing file is checked before anything is signed: a KMS call costs money and shows in CloudTrail.
        var existing: SignedPolicyFile?
        if FileManager.default.fileExists(atPath: out) {
            let loaded = try SignedPolicyFile.load(out)
            guard loaded.agent == file.agent, loaded.version == file.version, loaded.policy == file.policy else {
                throw CLIFailure(.input, "\(out) holds a different policy, version or agent; refusing to mix signatures")
            }
            existing = loaded
        }
        let signer = try await owner.signer()
        let signature = try await signer.sign(PolicySigning.message(agent: agentKey, version: version, policy: bytes))
        let mine = SignedPolicyFile.OwnerSignatureJSON(publicKey: signer.publicKey.base58, signature: Base58.encode(signature))
        file.signatures = (existing?.signatures ?? []).filter { $0.publicKey != mine.publicKey } + [mine]
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
