import ArgumentParser
import Foundation
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas balance`: the agent's SOL and token balances, read by the daemon
/// through its RPC endpoints. Amounts are integers in base units, with
/// `decimals` beside them.
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "Show the agent's SOL and token balances (the daemon needs --rpc-url).")

    @OptionGroup var connection: SocketOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let balances = try await connection.withClient { client in
            do throws(RPCError) {
                return try await client.getBalances()
            } catch {
                throw CLIFailure(.daemon, "\(error.code.name): \(error.status.message)")
            }
        }
        if json {
            print(JSONValue.object([
                ("lamports", .integer(balances.lamports)), ("decimals", .integer(9)), ("slot", .integer(balances.slot)),
                ("tokens", .array(balances.tokens.map {
                    .object([("mint", .base58($0.mint)), ("amount", .integer($0.amount)), ("decimals", .integer($0.decimals)),
                             ("token_program", .base58($0.tokenProgram)), ("account", .base58($0.account))])
                })),
            ]).serialized())
        } else {
            print("SOL \(AmountText.format(balances.lamports, decimals: 9, symbol: "SOL"))")
            for token in balances.tokens {
                print("\(Base58.encode(token.mint)) \(AmountText.format(token.amount, decimals: token.decimals, symbol: "").trimmingCharacters(in: .whitespaces)) (account \(Base58.encode(token.account)))")
            }
        }
    }
}

/// `waiaas transfer`: the daemon builds the transfer, signs it through the
/// policy like any Sign, submits it and waits for confirmation.
struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Send SOL or a token from the agent (the daemon builds, signs within policy, submits).")

    @OptionGroup var connection: SocketOptions

    @Option(help: "The recipient wallet (base58).")
    var to: String

    @Option(help: "The amount as a decimal (1.5), in SOL or in the token's units.")
    var amount: String

    @Option(help: "The token's mint (base58); none sends SOL.")
    var mint: String?

    @Option(help: "A memo to attach (at most 256 bytes).")
    var memo: String = ""

    @Option(name: .customLong("timeout-seconds"), help: "How long to wait for confirmation.")
    var timeoutSeconds: Int = 60

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard PublicKey(base58: to) != nil else { throw ValidationError("--to is not a base58 address") }
        if let mint { guard PublicKey(base58: mint) != nil else { throw ValidationError("--mint is not a base58 address") } }
        guard (1...600).contains(timeoutSeconds) else { throw ValidationError("--timeout-seconds must be between 1 and 600") }
    }

    func run() async throws {
        let destination = PublicKey(base58: to)!
        let mintKey = mint.flatMap(PublicKey.init(base58:))
        let json = self.json
        let amountText = amount
        let memo = self.memo
        let timeout = Duration.seconds(timeoutSeconds)
        let response = try await connection.withClient { client in
            var decimals: UInt32 = 9
            if let mintKey {
                let balances: GetBalancesResponse
                do throws(RPCError) { balances = try await client.getBalances() } catch {
                    throw CLIFailure(.daemon, "\(error.code.name): \(error.status.message)")
                }
                guard let held = balances.tokens.first(where: { $0.mint == mintKey.bytes }) else {
                    throw CLIFailure(.failed, "the agent holds no \(mintKey.base58)")
                }
                decimals = held.decimals
            }
            let units: UInt64
            do {
                units = try PolicyJSON.baseUnits(amountText, decimals: decimals, path: "--amount")
            } catch {
                throw CLIFailure(.failed, "\(error)")
            }
            let request = TransferRequest(mint: mintKey?.bytes ?? [], destination: destination.bytes, amount: units, memo: memo)
            do throws(RPCError) {
                let answer = try await client.transfer(request, timeout: timeout).sign ?? SignResponse()
                return (answer, units, decimals)
            } catch {
                throw SignOutput.refusal(error, json: json)
            }
        }
        let (answer, units, decimals) = response
        let status = SubmissionText.name(answer.submission?.status ?? .unspecified)
        if json {
            var fields: [(String, JSONValue)] = [
                ("signature", .base58(answer.signature)), ("sequence", .integer(answer.ledgerSequence)), ("status", .string(status)),
            ]
            if let mintKey { fields += [("mint", .string(mintKey.base58)), ("amount", .integer(units))] } else { fields.append(("lamports", .integer(units))) }
            fields.append(("decimals", .integer(decimals)))
            if answer.replayed { fields.append(("replayed", .bool(true))) }
            if let error = answer.submission?.error, !error.isEmpty { fields.append(("error", .string(error))) }
            print(JSONValue.object(fields).serialized())
        } else {
            print("\(Base58.encode(answer.signature)) \(status)")
        }
        if status == "failed" || status == "expired" { throw CLIFailure.quiet(.failed) }
    }
}

enum SubmissionText {
    /// `processed`, `confirmed`, `finalized`, `failed`, `expired`, or `sent` (not seen by the deadline).
    static func name(_ status: SubmissionStatus) -> String {
        switch status {
        case .sent: "sent"
        case .processed: "processed"
        case .confirmed: "confirmed"
        case .finalized: "finalized"
        case .failed: "failed"
        case .expired: "expired"
        default: "not_submitted"
        }
    }
}
