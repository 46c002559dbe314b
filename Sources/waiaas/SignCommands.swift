import ArgumentParser
import Foundation
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// Reads a command's input: the argument itself, or stdin for "-".
enum CLIInput {
    static func text(_ argument: String) -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The bytes `argument` stands for, read strictly: a base58 string can
    /// also be valid base64 (about one in four), so each reading that exists
    /// is parsed with `parses`, and exactly one must pass. Never a guess.
    static func bytes(_ argument: String, what: String, parses: ([UInt8]) -> Bool) throws -> [UInt8] {
        let readings = DecodeCommand.candidates(self.text(argument), .auto)
        guard !readings.isEmpty else { throw fail("\(what) is neither base64 nor base58") }
        let valid = readings.filter(parses)
        switch Set(valid).count {
        case 1: return valid[0]
        case 0: throw fail("\(what) does not decode to a valid \(what == "--tx" ? "transaction" : "off-chain message") as base64 or as base58")
        default: throw fail("\(what) reads as a valid input both as base64 and as base58; give it in one unambiguous encoding")
        }
    }

    static func fail(_ message: String, code: Int32 = 2) -> ExitCode {
        FileHandle.standardError.write(Data("waiaas: \(message)\n".utf8))
        return ExitCode(code)
    }
}

/// What a refused Sign prints and exits with.
enum SignOutput {
    static func refusal(_ error: RPCError, json: Bool) -> ExitCode {
        let decision: String
        switch error.code {
        case .permissionDenied: decision = "deny"
        case .failedPrecondition where error.status.reasons.contains { $0.code == "approval_required" }: decision = "approval_required"
        default: decision = "error"
        }
        if json {
            print(JSONText.object([
                ("decision", decision), ("code", error.code.name), ("message", error.status.message),
                ("reasons", error.status.reasons.map { [("code", $0.code), ("message", $0.message)] as [(String, Any)] }),
            ]))
        } else {
            FileHandle.standardError.write(Data("waiaas: \(decision == "error" ? error.code.name : decision): \(error.status.message)\n".utf8))
        }
        return ExitCode(decision == "error" ? 3 : 1)
    }

    static func success(_ response: SignResponse, json: Bool, dryRun: Bool) {
        let signature = response.signature.isEmpty ? "" : Base58.encode(response.signature)
        if json {
            var fields: [(String, Any)] = [("decision", response.decision.description)]
            if !dryRun {
                fields += [("signature", signature), ("transaction", Data(response.signedTransaction).base64EncodedString()), ("sequence", response.ledgerSequence)]
            }
            if response.replayed { fields.append(("replayed", true)) }
            fields.append(("reasons", response.reasons.map { [("code", $0.code), ("message", $0.message)] as [(String, Any)] }))
            print(JSONText.object(fields))
        } else if dryRun {
            print("\(response.decision): " + response.reasons.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
        } else {
            print(signature)
        }
    }
}

struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Ask the daemon to sign a transaction (base64 or base58; - reads stdin).")

    @OptionGroup var connection: SocketOptions

    @Option(help: "The transaction, base64 or base58, or - for stdin.")
    var tx: String

    @Flag(name: .customLong("dry-run"), help: "Only show the decision and its reasons; sign and count nothing.")
    var dryRun = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bytes = try CLIInput.bytes(tx, what: "--tx") { (try? SolanaTransaction.decode($0)) != nil }
        try await SignCall.run(SignRequest(payload: .transaction(bytes), dryRun: dryRun), connection: connection, json: json, dryRun: dryRun)
    }
}

struct SignMessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign-message", abstract: "Ask the daemon to sign a Solana off-chain message (header included; base64 or base58; - reads stdin).")

    @OptionGroup var connection: SocketOptions

    @Option(help: "The off-chain message, base64 or base58, or - for stdin.")
    var message: String

    @Flag(name: .customLong("dry-run"), help: "Only show the decision and its reasons.")
    var dryRun = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bytes = try CLIInput.bytes(message, what: "--message") { (try? OffchainMessage.parse($0)) != nil }
        try await SignCall.run(SignRequest(payload: .offchainMessage(bytes), dryRun: dryRun), connection: connection, json: json, dryRun: dryRun)
    }
}

enum SignCall {
    static func run(_ request: SignRequest, connection: SocketOptions, json: Bool, dryRun: Bool) async throws {
        let client: WalletClient
        do {
            client = try await WalletClient.connect(socketPath: connection.socketPath)
        } catch {
            throw CLIInput.fail("\(error)", code: 3)
        }
        do {
            let response = try await client.sign(request)
            await client.close()
            SignOutput.success(response, json: json, dryRun: dryRun)
            if dryRun, response.decision != .allow { throw ExitCode(1) }
        } catch let error as RPCError {
            await client.close()
            throw SignOutput.refusal(error, json: json)
        }
    }
}
