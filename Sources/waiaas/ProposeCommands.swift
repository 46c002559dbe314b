import ArgumentParser
import Foundation
import WaiaasChain
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas propose`: the daemon puts the vault's transaction before the
/// owners as a Squads v4 proposal (docs/SQUADS.md).
struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose", abstract: "Propose a transaction for the multisig's vault to the owners (the daemon needs --multisig and --rpc-url).")

    @OptionGroup var connection: SocketOptions

    @Option(help: "The message (or transaction) the vault should run, base64 or base58, or - for stdin. Its fee payer is the vault.")
    var message: String

    @Option(name: .customLong("vault-index"), help: "The Squads vault (0 is the default one).")
    var vaultIndex: UInt32 = 0

    @Option(help: "A memo stored with the proposal (at most 256 bytes).")
    var memo: String = ""

    @Flag(help: "Submit the proposal's transaction through the daemon's RPC endpoints and wait for confirmation.")
    var submit = false

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard vaultIndex <= 255 else { throw ValidationError("--vault-index must be 0 to 255") }
        guard memo.utf8.count <= 256 else { throw ValidationError("--memo is longer than 256 bytes") }
    }

    func run() async throws {
        let bytes = try CLIInput.bytes(message, what: "--message") { bytes in
            (try? SolanaTransaction.decode(bytes)) != nil || (try? Message.decode(bytes)) != nil
        }
        let request = ProposeRequest(transaction: bytes, vaultIndex: vaultIndex, submit: submit, memo: memo)
        let json = self.json
        let response = try await connection.withClient { client in
            do throws(RPCError) {
                return try await client.propose(request, timeout: .seconds(90))
            } catch {
                throw SignOutput.refusal(error, json: json)
            }
        }
        let status = SubmissionText.name(response.submission?.status ?? .unspecified)
        if json {
            print(JSONValue.object([
                ("multisig", .base58(response.multisig)), ("vault", .base58(response.vault)), ("index", .integer(response.transactionIndex)),
                ("transaction_account", .base58(response.vaultTransaction)), ("proposal", .base58(response.proposal)),
                ("signature", .base58(response.signature)), ("transaction", .string(Data(response.signedTransaction).base64EncodedString())),
                ("sequence", .integer(response.ledgerSequence)), ("status", .string(status)),
                ("reasons", .array(response.reasons.map { .reason(code: $0.code, message: $0.message) })),
            ]).serialized())
        } else {
            print("proposal #\(response.transactionIndex) \(Base58.encode(response.proposal)) \(status)")
        }
        if status == "failed" || status == "expired" { throw CLIFailure.quiet(.failed) }
    }
}

/// `waiaas proposals list`: every proposal of the multisig and where it stands, read from the chain.
struct ProposalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proposals", abstract: "The multisig's proposals, read from the chain; run an approved one.", subcommands: [List.self, Execute.self])

    struct Execute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "execute", abstract: "Run an approved proposal (the multisig must give the agent Execute).")

        @OptionGroup var connection: SocketOptions

        @Argument(help: "The proposal's transaction index.")
        var index: UInt64

        @Flag(help: "Submit it through the daemon's RPC endpoints and wait for confirmation.")
        var submit = false

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let request = ExecuteProposalRequest(transactionIndex: index, submit: submit)
            let json = self.json
            let response = try await connection.withClient { client in
                do throws(RPCError) {
                    return try await client.executeProposal(request, timeout: .seconds(90))
                } catch {
                    throw SignOutput.refusal(error, json: json)
                }
            }
            let status = SubmissionText.name(response.submission?.status ?? .unspecified)
            if json {
                print(JSONValue.object([
                    ("index", .integer(index)), ("signature", .base58(response.signature)),
                    ("transaction", .string(Data(response.signedTransaction).base64EncodedString())), ("sequence", .integer(response.ledgerSequence)),
                    ("status", .string(status)), ("reasons", .array(response.reasons.map { .reason(code: $0.code, message: $0.message) })),
                ]).serialized())
            } else {
                print("\(Base58.encode(response.signature)) \(status)")
            }
            if status == "failed" || status == "expired" { throw CLIFailure.quiet(.failed) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Each proposal's status: draft, active, approved, executed, rejected, cancelled or stale.")

        @OptionGroup var connection: SocketOptions

        @Option(name: .customLong("rpc-url"), help: "A Solana JSON-RPC endpoint (repeatable: every answer must agree).")
        var rpcURLs: [String] = []

        @Option(help: "The multisig (base58); default: the daemon's (GetStatus).")
        var multisig: String?

        @Option(help: "How many of the newest indexes to show.")
        var last: UInt64 = 20

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard !rpcURLs.isEmpty else { throw ValidationError("give --rpc-url: proposals are read from the chain") }
            if let multisig { guard PublicKey(base58: multisig) != nil else { throw ValidationError("--multisig is not a base58 address") } }
            guard (1...500).contains(last) else { throw ValidationError("--last must be 1 to 500") }
        }

        func run() async throws {
            let chain: ChainQuorum
            do { chain = try ChainQuorum(urls: rpcURLs, threads: 4) } catch { throw ValidationError("--rpc-url: \(error.message)") }
            let address: PublicKey
            if let multisig {
                address = PublicKey(base58: multisig)!
            } else {
                let status = try await connection.withClient { client in
                    do throws(RPCError) { return try await client.getStatus() } catch {
                        throw CLIFailure(.daemon, "\(error.code.name): \(error.status.message)")
                    }
                }
                guard let key = PublicKey(bytes: status.multisig) else { throw CLIFailure(.failed, "the daemon has no multisig; give --multisig") }
                address = key
            }
            let account: SquadsMultisig
            switch await chain.squadsMultisig(address) {
            case .success(let value): account = value
            case .failure(let error): throw CLIFailure(.failed, error.message)
            }
            var rows: [(index: UInt64, proposal: PublicKey, status: String, approvals: Int)] = []
            let first = account.transactionIndex > last ? account.transactionIndex - last + 1 : 1
            for index in stride(from: account.transactionIndex, through: first, by: -1) where account.transactionIndex > 0 {
                guard let proposal = Squads.proposal(multisig: address, index: index)?.address else { continue }
                switch await chain.squadsProposal(proposal) {
                case .success(let found):
                    rows.append((index, proposal, Self.status(found?.status, index: index, stale: account.staleTransactionIndex), found?.approved.count ?? 0))
                case .failure(let error):
                    throw CLIFailure(.failed, "proposal #\(index): \(error.message)")
                }
            }
            if json {
                print(JSONValue.object([
                    ("multisig", .string(address.base58)), ("transaction_index", .integer(account.transactionIndex)),
                    ("threshold", .integer(account.threshold)),
                    ("proposals", .array(rows.map {
                        .object([("index", .integer($0.index)), ("proposal", .string($0.proposal.base58)), ("status", .string($0.status)),
                                 ("approvals", .integer($0.approvals))])
                    })),
                ]).serialized())
            } else {
                for row in rows { print("#\(row.index) \(row.status) \(row.approvals)/\(account.threshold) \(row.proposal.base58)") }
            }
        }

        /// The status as an owner sees it: a draft or active proposal at or
        /// below the stale index can no longer be approved; an approved one
        /// can still be executed. No proposal account: the vault transaction
        /// was created without one.
        static func status(_ status: SquadsProposal.Status?, index: UInt64, stale: UInt64) -> String {
            guard let status else { return "no_proposal" }
            switch status {
            case .draft, .active: return index <= stale ? "stale" : status.name
            default: return status.name
            }
        }
    }
}
