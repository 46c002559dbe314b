import ArgumentParser
import Foundation
import WaiaasChain
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas squads`: the owners' view of their multisig. These commands read
/// the chain; none signs (the owners sign with their own wallets).
struct SquadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "squads", abstract: "The owners' Squads v4 multisig, read from the chain (nothing is signed).", subcommands: [Create.self, Inspect.self, SpendingLimit.self])

    struct SpendingLimit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spending-limit", abstract: "On-chain spending limits for the agent.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add",
                abstract: "Propose (as the agent, which alone may initiate) an on-chain spending limit that fits the policy's windows; the owners vote and execute it.")

            @OptionGroup var connection: SocketOptions

            @Option(help: "The token's mint (base58); none: SOL.")
            var mint: String?

            @Option(name: .customLong("vault-index"), help: "The vault the limit spends from.")
            var vaultIndex: UInt32 = 0

            @Flag(help: "Submit the proposal through the daemon's RPC endpoints.")
            var submit = false

            @Flag(help: "Print JSON.")
            var json = false

            func validate() throws {
                if let mint { guard PublicKey(base58: mint) != nil else { throw ValidationError("--mint is not a base58 address") } }
                guard vaultIndex <= 255 else { throw ValidationError("--vault-index must be 0 to 255") }
            }

            func run() async throws {
                let request = ProposeRequest(submit: submit, spendingLimit: SpendingLimitProposal(
                    mint: mint.flatMap(PublicKey.init(base58:))?.bytes ?? [], vaultIndex: vaultIndex))
                let json = self.json
                let response = try await connection.withClient { client in
                    do throws(RPCError) { return try await client.propose(request, timeout: .seconds(90)) } catch {
                        throw SignOutput.refusal(error, json: json)
                    }
                }
                let fit = response.reasons.first { $0.code == "spending_limit_fit" }?.message ?? ""
                if json {
                    print(JSONValue.object([
                        ("index", .integer(response.transactionIndex)), ("proposal", .base58(response.proposal)),
                        ("spending_limit", .base58(response.spendingLimit)), ("fit", .string(fit)),
                        ("signature", .base58(response.signature)), ("status", .string(SubmissionText.name(response.submission?.status ?? .unspecified))),
                    ]).serialized())
                } else {
                    print("proposal #\(response.transactionIndex) \(Base58.encode(response.proposal)): \(fit)")
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Build the multisig_create_v2 transaction the owners sign: the owners Vote+Execute, the agent Initiate only.")

        @Option(name: .customLong("rpc-url"), help: "A Solana JSON-RPC endpoint (repeatable: every answer must agree).")
        var rpcURLs: [String] = []

        @Option(help: "The owner wallet that pays and signs (base58); it must also be one of --owner.")
        var creator: String

        @Option(name: .customLong("create-key"), help: "A fresh key that signs too and names the multisig (base58).")
        var createKey: String

        @Option(name: .customLong("owner"), help: "An owner (repeatable): a member with Vote and Execute.")
        var owners: [String] = []

        @Option(help: "The agent's address (waiaas status): a member with Initiate only.")
        var agent: String

        @Option(help: "Approvals needed, of the owners.")
        var threshold: UInt16 = 1

        @Option(name: .customLong("time-lock"), help: "Seconds between approval and execution.")
        var timeLock: UInt32 = 0

        @Option(help: "A memo for indexers.")
        var memo: String?

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard !rpcURLs.isEmpty else { throw ValidationError("give --rpc-url: the program's treasury and a blockhash come from the chain") }
            for (name, key) in [("--creator", creator), ("--create-key", createKey), ("--agent", agent)] + owners.map({ ("--owner", $0) })
            where PublicKey(base58: key) == nil {
                throw ValidationError("\(name) \(key) is not a base58 address")
            }
            guard !owners.isEmpty else { throw ValidationError("give at least one --owner") }
            guard Set(owners).count == owners.count else { throw ValidationError("an --owner is given twice") }
            guard !owners.contains(agent) else { throw ValidationError("the agent must not be an owner: a member who votes could approve its own proposals") }
            guard owners.contains(creator) else { throw ValidationError("--creator must be one of the owners") }
            guard (1...owners.count).contains(Int(threshold)) else { throw ValidationError("--threshold must be 1 to \(owners.count)") }
            guard timeLock <= 7_776_000 else { throw ValidationError("--time-lock is at most 7776000 seconds (90 days)") }
        }

        func run() async throws {
            let chain: ChainQuorum
            do { chain = try ChainQuorum(urls: rpcURLs, threads: 2) } catch { throw ValidationError("--rpc-url: \(error.message)") }
            let config: SquadsProgramConfig
            switch await chain.squadsProgramConfig() {
            case .success(let value): config = value
            case .failure(let error): throw CLIFailure(.failed, "the Squads program config: \(error.message)")
            }
            let blockhash: Blockhash
            switch await chain.anyLatestBlockhash() {
            case .success(let value): blockhash = value
            case .failure(let error): throw CLIFailure(.failed, "a recent blockhash: \(error.message)")
            }
            let members = owners.compactMap(PublicKey.init(base58:)).map { SquadsMultisig.Member(key: $0, permissions: [.vote, .execute]) }
                + [SquadsMultisig.Member(key: PublicKey(base58: agent)!, permissions: .initiate)]
            let creatorKey = PublicKey(base58: creator)!
            guard let (instruction, multisig) = Squads.multisigCreateV2(
                createKey: PublicKey(base58: createKey)!, creator: creatorKey, treasury: config.treasury, members: members,
                threshold: threshold, timeLock: timeLock, memo: memo) else {
                throw CLIFailure(.failed, "no program address for this create key")
            }
            let transaction: SolanaTransaction
            do {
                transaction = try SolanaTransaction.unsigned(try Message.legacy(payer: creatorKey, instructions: [instruction], blockhash: blockhash))
            } catch {
                throw CLIFailure(.failed, "the transaction: \(error)")
            }
            let vault = Squads.vault(multisig: multisig, index: 0)?.address
            let encoded = Data(transaction.encoded()).base64EncodedString()
            if json {
                print(JSONValue.object([
                    ("multisig", .string(multisig.base58)), ("vault", vault.map { .string($0.base58) } ?? .null),
                    ("creation_fee", .integer(config.multisigCreationFee)), ("transaction", .string(encoded)),
                    ("signers", .array([creatorKey.base58, createKey].map(JSONValue.string))),
                ]).serialized())
            } else {
                print("multisig \(multisig.base58), vault \(vault?.base58 ?? "?"); sign with \(creatorKey.base58) and \(createKey), then send:")
                print(encoded)
            }
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect", abstract: "Members and their permissions, threshold, time lock, the transaction and stale indexes, and spending limits.")

        @Option(name: .customLong("rpc-url"), help: "A Solana JSON-RPC endpoint (repeatable: every answer must agree).")
        var rpcURLs: [String] = []

        @Option(help: "The multisig (base58).")
        var multisig: String

        @Option(name: .customLong("spending-limit-key"), help: "The create key of a spending limit to show (repeatable).")
        var spendingLimitKeys: [String] = []

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard !rpcURLs.isEmpty else { throw ValidationError("give --rpc-url: the multisig is read from the chain") }
            guard PublicKey(base58: multisig) != nil else { throw ValidationError("--multisig is not a base58 address") }
            for key in spendingLimitKeys where PublicKey(base58: key) == nil { throw ValidationError("--spending-limit-key \(key) is not a base58 address") }
        }

        func run() async throws {
            let chain: ChainQuorum
            do { chain = try ChainQuorum(urls: rpcURLs, threads: 2) } catch { throw ValidationError("--rpc-url: \(error.message)") }
            let address = PublicKey(base58: multisig)!
            let account: SquadsMultisig
            switch await chain.squadsMultisig(address) {
            case .success(let value): account = value
            case .failure(let error): throw CLIFailure(.failed, error.message)
            }
            var limits: [(address: PublicKey, limit: SquadsSpendingLimit)] = []
            for key in spendingLimitKeys.compactMap(PublicKey.init(base58:)) {
                guard let limitAddress = Squads.spendingLimit(multisig: address, createKey: key)?.address else { continue }
                switch await chain.squadsSpendingLimit(limitAddress) {
                case .success(let limit): limits.append((limitAddress, limit))
                case .failure(let error): throw CLIFailure(.failed, "spending limit of \(key.base58): \(error.message)")
                }
            }
            let vault = Squads.vault(multisig: address, index: 0)?.address
            if json {
                print(JSONValue.object([
                    ("multisig", .string(address.base58)), ("vault", vault.map { .string($0.base58) } ?? .null),
                    ("threshold", .integer(account.threshold)), ("voters", .integer(account.voters)), ("time_lock_seconds", .integer(account.timeLock)),
                    ("transaction_index", .integer(account.transactionIndex)), ("stale_transaction_index", .integer(account.staleTransactionIndex)),
                    ("autonomous", .bool(account.configAuthority == .zero)), ("create_key", .string(account.createKey.base58)),
                    ("bump", .integer(account.bump)),
                    ("members", .array(account.members.map {
                        .object([("key", .string($0.key.base58)), ("permissions", .array(Self.names($0.permissions).map(JSONValue.string)))])
                    })),
                    ("spending_limits", .array(limits.map { entry in
                        let l = entry.limit
                        return .object([
                            ("address", .string(entry.address.base58)), ("mint", l.mint == .zero ? .string("SOL") : .string(l.mint.base58)),
                            ("amount", .integer(l.amount)), ("remaining", .integer(l.remainingAmount)), ("period", .string(Self.name(l.period))),
                            ("vault_index", .integer(l.vaultIndex)), ("members", .array(l.members.map { .string($0.base58) })),
                            ("destinations", .array(l.destinations.map { .string($0.base58) })),
                        ])
                    })),
                ]).serialized())
            } else {
                print("multisig \(address.base58): \(account.threshold) of \(account.voters) voters, time lock \(account.timeLock) s, index \(account.transactionIndex) (stale up to \(account.staleTransactionIndex))")
                for member in account.members { print("  \(member.key.base58) \(Self.names(member.permissions).joined(separator: ","))") }
                for entry in limits {
                    print("  spending limit \(entry.address.base58): \(entry.limit.remainingAmount) of \(entry.limit.amount) per \(Self.name(entry.limit.period))")
                }
            }
        }

        static func names(_ permissions: SquadsPermissions) -> [String] {
            [(SquadsPermissions.initiate, "initiate"), (.vote, "vote"), (.execute, "execute")].filter { permissions.contains($0.0) }.map(\.1)
        }

        static func name(_ period: SquadsSpendingLimit.Period) -> String {
            switch period {
            case .oneTime: "one_time"
            case .day: "day"
            case .week: "week"
            case .month: "month"
            }
        }
    }
}
