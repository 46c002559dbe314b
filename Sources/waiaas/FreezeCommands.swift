import ArgumentParser
import Foundation
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas freeze`: the emergency stop; anyone allowed on the socket may pull it.
struct FreezeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Freeze the wallet: nothing is signed until M of the owners unfreeze it (docs/FREEZE.md).")

    @OptionGroup var connection: SocketOptions

    @Option(help: "Why (1 to 256 bytes; recorded in the ledger).")
    var reason: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let request = FreezeRequest(reason: reason)
        let answer = try await connection.withClient { client in try await client.freeze(request) }
        let freeze = answer.freeze ?? FreezeState()
        if json {
            print(JSONValue.object(FreezeText.fields(freeze) + [("already_frozen", .bool(answer.alreadyFrozen))]).serialized())
        } else {
            print("\(answer.alreadyFrozen ? "already frozen" : "frozen") at ledger #\(freeze.ledgerSequence): \(freeze.reason)")
        }
    }
}

enum FreezeText {
    static func fields(_ freeze: FreezeState) -> [(String, JSONValue)] {
        [("reason", .string(freeze.reason)), ("time", .integer(freeze.timeUnixMilliseconds)), ("sequence", .integer(freeze.ledgerSequence)),
         ("automatic", .bool(freeze.automatic))]
    }
}

/// `waiaas unfreeze sign | set`: the owners' way out of a freeze.
struct UnfreezeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unfreeze", abstract: "Lift a freeze with M of the N owners' signatures.", subcommands: [Sign.self, Set.self])

    /// `{"format": "waiaas-signed-unfreeze-v1", "agent": base58, "freeze_sequence": N, "signatures": [...]}`.
    struct File: Codable {
        static let currentFormat = "waiaas-signed-unfreeze-v1"
        var format = currentFormat
        var agent: String
        var freezeSequence: UInt64
        var signatures: [SignedPolicyFile.OwnerSignatureJSON]
        enum CodingKeys: String, CodingKey { case format, agent, signatures, freezeSequence = "freeze_sequence" }

        static func load(_ path: String) throws -> File {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.input, "cannot read \(path)") }
            guard let file = try? JSONDecoder().decode(File.self, from: data), file.format == currentFormat else {
                throw CLIFailure(.input, "\(path) is not a \(currentFormat) file")
            }
            return file
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign an unfreeze as an owner; a second owner signing into the same --out file adds a signature.")

        @OptionGroup var owner: OwnerSignerOptions

        @Option(help: "The agent public key (base58).")
        var agent: String

        @Option(help: "The freeze's ledger sequence (waiaas status --json: freeze.sequence).")
        var sequence: UInt64

        @Option(help: "The signed unfreeze file to write (or add a signature to).")
        var out: String

        func run() async throws {
            guard let agentKey = PublicKey(base58: agent) else { throw CLIFailure(.input, "--agent is not a base58 public key") }
            var file = File(agent: agentKey.base58, freezeSequence: sequence, signatures: [])
            if FileManager.default.fileExists(atPath: out) {
                let existing = try File.load(out)
                guard existing.agent == file.agent, existing.freezeSequence == sequence else {
                    throw CLIFailure(.input, "\(out) is for another agent or freeze; refusing to mix signatures")
                }
                file.signatures = existing.signatures
            }
            let signer = try await owner.signer()
            let signature = try await signer.sign(UnfreezeSigning.message(agent: agentKey, freezeSequence: sequence))
            let mine = SignedPolicyFile.OwnerSignatureJSON(publicKey: signer.publicKey.base58, signature: Base58.encode(signature))
            file.signatures = file.signatures.filter { $0.publicKey != mine.publicKey } + [mine]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            guard FileManager.default.createFile(atPath: out, contents: try encoder.encode(file)) else { throw CLIFailure(.input, "cannot write \(out)") }
            print("signed the unfreeze of freeze #\(sequence) for agent \(agentKey.base58) as \(mine.publicKey); \(file.signatures.count) signature(s) in \(out)")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a signed unfreeze file to the daemon.")

        @OptionGroup var connection: SocketOptions

        @Argument(help: "The file `unfreeze sign` wrote.")
        var file: String

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let signed = try File.load(file)
            let request = UnfreezeRequest(
                freezeSequence: signed.freezeSequence,
                signatures: signed.signatures.map { OwnerSignature(publicKey: Base58.decode($0.publicKey) ?? [], signature: Base58.decode($0.signature) ?? []) },
                agentPublicKey: Base58.decode(signed.agent) ?? [])
            let json = self.json
            let answer = try await connection.withClient { client in
                do throws(RPCError) {
                    return try await client.unfreeze(request)
                } catch {
                    throw SignOutput.refusal(error, json: json)
                }
            }
            if json {
                print(JSONValue.object([("unfrozen", .bool(true)), ("sequence", .integer(answer.ledgerSequence))]).serialized())
            } else {
                print("unfrozen at ledger #\(answer.ledgerSequence)")
            }
        }
    }
}
