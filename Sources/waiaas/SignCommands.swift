import ArgumentParser
import Foundation
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// What a refused Sign prints and exits with.
enum SignOutput {
    static func refusal(_ error: RPCError, json: Bool) -> CLIFailure {
        let decision: String
        switch error.code {
        case .permissionDenied: decision = "deny"
        case .failedPrecondition where error.status.reasons.contains { $0.code == "approval_required" }: decision = "approval_required"
        default: decision = "error"
        }
        let status: CLIFailure.Status = decision == "error" ? .daemon : .failed
        guard json else { return CLIFailure(status, "\(decision == "error" ? error.code.name : decision): \(error.status.message)") }
        print(JSONValue.object([
            ("decision", .string(decision)), ("code", .string(error.code.name)), ("message", .string(error.status.message)),
            ("reasons", .array(error.status.reasons.map { .reason(code: $0.code, message: $0.message) })),
        ]).serialized())
        return .quiet(status)
    }

    static func success(_ response: SignResponse, json: Bool, dryRun: Bool) {
        let signature = response.signature.isEmpty ? "" : Base58.encode(response.signature)
        if json {
            var fields: [(String, JSONValue)] = [("decision", .string(response.decision.description))]
            if !dryRun {
                fields += [("signature", .string(signature)), ("transaction", .string(Data(response.signedTransaction).base64EncodedString())),
                           ("sequence", .integer(response.ledgerSequence))]
            }
            if response.replayed { fields.append(("replayed", .bool(true))) }
            if let submission = response.submission {
                fields.append(("status", .string(SubmissionText.name(submission.status))))
                if !submission.error.isEmpty { fields.append(("error", .string(submission.error))) }
            }
            fields.append(("reasons", .array(response.reasons.map { .reason(code: $0.code, message: $0.message) })))
            print(JSONValue.object(fields).serialized())
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

    @Flag(help: "Once signed, submit it through the daemon's RPC endpoints and wait for confirmation.")
    var submit = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bytes = try CLIInput.bytes(tx, what: "--tx") { (try? SolanaTransaction.decode($0)) != nil }
        try await SignCall.run(SignRequest(payload: .transaction(bytes), dryRun: dryRun, submit: submit), connection: connection, json: json, dryRun: dryRun)
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
        let response = try await connection.withClient { client in
            do throws(RPCError) {
                return try await client.sign(request, timeout: request.submit ? .seconds(90) : .seconds(30))
            } catch {
                throw SignOutput.refusal(error, json: json)
            }
        }
        SignOutput.success(response, json: json, dryRun: dryRun)
        if dryRun, response.decision != .allow { throw CLIFailure.quiet(.failed) }
    }
}
