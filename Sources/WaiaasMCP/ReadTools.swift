import Foundation
import MCP
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// The tools that read: status, balances, the policy, a proposal, a report.
extension WalletTools {
    func walletStatus() async throws -> CallTool.Result {
        let (status, policy) = try await link.call { client throws(RPCError) in
            (try await client.getStatus(timeout: .seconds(10)), try await client.getPolicy(timeout: .seconds(10)))
        }
        var fields: [(String, JSONValue)] = [
            ("address", .base58(status.agentPublicKey)),
            ("frozen", .bool(status.freeze != nil)),
        ]
        if let freeze = status.freeze {
            fields.append(("freeze", .object([
                ("reason", .string(freeze.reason)), ("automatic", .bool(freeze.automatic)),
                ("time_unix_ms", .integer(freeze.timeUnixMilliseconds)), ("ledger_sequence", .integer(freeze.ledgerSequence)),
                ("advice", .string("Nothing is signed while the wallet is frozen; only the owners can unfreeze it.")),
            ])))
        }
        fields.append(("policy", .object([
            ("version", .integer(status.policyVersion)),
            ("summary", .string(Self.policySummary(policy))),
        ])))
        fields.append(("budgets", .array(status.budgets.map(Self.budget))))
        if !status.multisig.isEmpty { fields += [("multisig", .base58(status.multisig)), ("vault", .base58(status.vault))] }
        fields += [("ledger_sequence", .integer(status.ledgerSequence)), ("daemon_version", .string(status.version)), ("platform", .string(status.platform))]
        return ToolResult.success(fields)
    }

    static func policySummary(_ response: GetPolicyResponse) -> String {
        guard let policy = try? Policy(serializedBytes: response.policy), !response.policy.isEmpty else {
            return "No policy is in force: every request is denied until the owners set one."
        }
        return PolicyText.explain(policy)
    }

    static func budget(_ window: WindowBudget) -> JSONValue {
        let asset = window.mint.isEmpty ? "SOL" : Base58.encode(window.mint)
        let amount = { (value: UInt64) in JSONValue.string(AmountText.decimal(value, decimals: window.decimals)) }
        return .object([
            ("asset", .string(asset)), ("symbol", .string(window.symbol)),
            ("window", .string(AmountText.spokenDuration(window.windowSeconds))), ("window_seconds", .integer(window.windowSeconds)),
            ("limit", amount(window.limit)), ("spent", amount(window.spent)), ("remaining", amount(window.remaining)),
            ("decimals", .integer(window.decimals)),
        ])
    }

    func balances() async throws -> CallTool.Result {
        let balances = try await link.call { client throws(RPCError) in try await client.getBalances(timeout: .seconds(20)) }
        return ToolResult.success([
            ("SOL", .object([("amount", .string(AmountText.decimal(balances.lamports, decimals: 9))), ("lamports", .integer(balances.lamports))])),
            ("tokens", .array(balances.tokens.map { token in
                .object([
                    ("mint", .base58(token.mint)), ("amount", .string(AmountText.decimal(token.amount, decimals: token.decimals))),
                    ("base_units", .integer(token.amount)), ("decimals", .integer(token.decimals)),
                    ("account", .base58(token.account)), ("token_program", .base58(token.tokenProgram)),
                ])
            })),
            ("slot", .integer(balances.slot)),
        ])
    }

    func explainPolicy() async throws -> CallTool.Result {
        let response = try await link.call { client throws(RPCError) in try await client.getPolicy(timeout: .seconds(10)) }
        guard !response.policy.isEmpty, let policy = try? Policy(serializedBytes: response.policy) else {
            return ToolResult.success([("version", .integer(0)), ("summary", .string(Self.policySummary(response))), ("policy", .null)])
        }
        return ToolResult.success([
            ("version", .integer(response.version)), ("policy_hash", .string(Hex.encode(response.policyHash))),
            ("signed_by", .array(response.signatures.map { .base58($0.publicKey) })),
            ("summary", .string(PolicyText.explain(policy))),
            ("policy", PolicyText.jsonValue(policy)),
        ])
    }

    func proposalStatus(_ input: ToolArguments) async throws -> CallTool.Result {
        guard let index = try input.unsigned("transaction_index", in: 1...UInt64(Int64.max)) else {
            throw ToolInputError("\"transaction_index\" is required")
        }
        let proposal = try await link.call { client throws(RPCError) in
            try await client.getProposal(GetProposalRequest(transactionIndex: index), timeout: .seconds(20))
        }
        return ToolResult.success([
            ("transaction_index", .integer(proposal.transactionIndex)), ("status", .string(Self.name(proposal.status))),
            ("approvals", .integer(proposal.approvals)), ("rejections", .integer(proposal.rejections)),
            ("threshold", .integer(proposal.threshold)), ("time_lock_seconds", .integer(proposal.timeLockSeconds)),
            ("status_time_unix", .integer(proposal.statusTimeUnix)),
            ("proposal", .base58(proposal.proposal)), ("multisig", .base58(proposal.multisig)),
        ])
    }

    static func name(_ status: ProposalStatus) -> String {
        switch status {
        case .noProposal: "no_proposal"
        case .draft: "draft"
        case .active: "active"
        case .approved: "approved"
        case .rejected: "rejected"
        case .executing: "executing"
        case .executed: "executed"
        case .cancelled: "cancelled"
        case .stale: "stale"
        default: "unknown"
        }
    }

    func attest(_ input: ToolArguments) async throws -> CallTool.Result {
        let nonce: [UInt8]
        if let text = try input.optionalString("nonce") {
            guard let bytes = Hex.decode(text), (16...64).contains(bytes.count) else {
                throw ToolInputError("\"nonce\" must be 16 to 64 bytes as hex")
            }
            nonce = bytes
        } else {
            var generator = SystemRandomNumberGenerator()
            nonce = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        let response = try await link.call { client throws(RPCError) in
            try await client.attest(AttestRequest(nonce: nonce), timeout: .seconds(20))
        }
        var fields: [(String, JSONValue)] = [("nonce", .string(Hex.encode(nonce)))]
        if let report = try? AttestationReport(serializedBytes: response.report) {
            fields += [
                ("agent", .base58(report.agentPublicKey)), ("owners", .array(report.ownerPublicKeys.map { .base58($0) })),
                ("owner_threshold", .integer(report.ownerThreshold)),
                ("policy_version", .integer(report.policyVersion)), ("policy_hash", .string(Hex.encode(report.policyHash))),
                ("ledger_sequence", .integer(report.ledgerHead?.sequence ?? 0)), ("ledger_hash", .string(Hex.encode(report.ledgerHead?.hash ?? []))),
                ("executable_sha384", .string(Hex.encode(report.measurement?.executableSHA384 ?? []))),
                ("platform", .string(report.platform == .nitro ? "nitro" : "software")),
            ]
        }
        fields += [("report", .base64(response.report)), ("signature", .base64(response.signature))]
        if !response.nitroDocument.isEmpty { fields.append(("nitro_document", .base64(response.nitroDocument))) }
        fields.append(("verify", .string("The signature is the agent key's over 0xFF || \"waiaas attestation report v1\" || report; on Nitro the document chains to AWS's root. waiaas attest verify checks both.")))
        return ToolResult.success(fields)
    }
}
