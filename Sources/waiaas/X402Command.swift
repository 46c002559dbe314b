import ArgumentParser
import Foundation
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas x402 pay`: pay an x402 invoice through the daemon (docs/X402.md).
struct X402Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "x402", abstract: "Pay x402 invoices (the exact scheme on Solana) inside the owner's policy.",
        subcommands: [Pay.self])

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the payment for a 402 answer; prints the header to retry the request with.",
            discussion: "The daemon builds the transaction (the facilitator pays the fee and signs later), judges it like any Sign and records it. Nothing is sent: the resource server's facilitator settles it.")

        @OptionGroup var connection: SocketOptions

        @Option(help: "The PaymentRequirements JSON, or the whole 402 body: a file, or - for stdin.")
        var requirements: String

        @Option(help: "The URL being paid for.")
        var resource: String

        @Flag(name: .customLong("dry-run"), help: "Only show the decision and its reasons; sign and count nothing.")
        var dryRun = false

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let text: String
            if requirements == "-" {
                text = CLIInput.text("-")
            } else {
                guard let data = FileManager.default.contents(atPath: requirements) else { throw CLIFailure(.input, "cannot read \(requirements)") }
                text = String(decoding: data, as: UTF8.self)
            }
            let request = PayX402Request(requirements: text, resource: resource, dryRun: dryRun)
            let json = self.json
            let answer = try await connection.withClient { client in
                do throws(RPCError) {
                    return try await client.payX402(request)
                } catch {
                    throw SignOutput.refusal(error, json: json)
                }
            }
            let sign = answer.sign ?? SignResponse()
            if json {
                var fields: [(String, JSONValue)] = [("decision", .string(sign.decision.description))]
                if !dryRun {
                    fields += [
                        ("header", .string(answer.headerName)), ("value", .string(answer.headerValue)),
                        ("signature", .base58(sign.signature)), ("sequence", .integer(sign.ledgerSequence)),
                    ]
                }
                fields += [
                    ("x402_version", .integer(UInt64(answer.x402Version))), ("network", .string(answer.network)),
                    ("pay_to", .base58(answer.payTo)), ("mint", .base58(answer.mint)), ("amount", .integer(answer.amount)),
                    ("reasons", .array(sign.reasons.map { .reason(code: $0.code, message: $0.message) })),
                ]
                print(JSONValue.object(fields).serialized())
            } else if dryRun {
                print("\(sign.decision): " + sign.reasons.map { "\($0.code): \($0.message)" }.joined(separator: "; "))
            } else {
                print("\(answer.headerName): \(answer.headerValue)")
            }
        }
    }
}
