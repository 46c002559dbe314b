import MCP

/// The wallet's tools as an MCP host lists them. Descriptions are written
/// for the model that reads them: what the tool does, what a refusal means,
/// and that a refused request must not be retried unchanged. The arguments
/// a call may name are exactly each schema's properties.
enum WalletTool: String, CaseIterable, Sendable {
    case walletStatus = "wallet_status"
    case getBalances = "get_balances"
    case transfer
    case signTransaction = "sign_transaction"
    case signMessage = "sign_message"
    case explainPolicy = "explain_policy"
    case propose
    case proposalStatus = "proposal_status"
    case payX402 = "pay_x402"
    case freeze
    case attest

    static let refusalSentence =
        " A refusal carries the owner's policy's reasons verbatim (decision \"deny\", \"approval_required\" or \"frozen\"); do not retry a refused request unchanged."

    var definition: Tool {
        Tool(name: rawValue, title: title, description: description, inputSchema: schema.value, annotations: annotations)
    }

    /// The names `schema` declares: the only ones a call may use.
    var accepted: Set<String> { Set(schema.properties.map(\.name)) }

    var title: String {
        switch self {
        case .walletStatus: "Wallet status"
        case .getBalances: "Balances"
        case .transfer: "Transfer SOL or a token"
        case .signTransaction: "Sign a transaction"
        case .signMessage: "Sign a message"
        case .explainPolicy: "Explain the policy"
        case .propose: "Propose to the owners"
        case .proposalStatus: "Proposal status"
        case .payX402: "Pay an x402 invoice"
        case .freeze: "Freeze the wallet"
        case .attest: "Attest the wallet"
        }
    }

    var description: String {
        switch self {
        case .walletStatus:
            return "The agent wallet's address, whether it is frozen, the owner's policy version and summary, and what remains of each spending window (amounts in the asset's units, e.g. \"0.5\" SOL). Read-only; call it before spending."
        case .getBalances:
            return "The wallet's SOL and token balances as the Solana RPC endpoints agree on them, amounts as decimal strings in each asset's units. Read-only."
        case .transfer:
            return "Send SOL or an SPL token from the agent wallet: the wallet builds the transaction, the owner's policy decides, and an allowed transfer is signed, submitted and confirmed. When the policy requires the owner's approval and a Squads multisig is set up, the transfer becomes a proposal for the owners instead (decision \"proposed\"; follow it with proposal_status)."
                + Self.refusalSentence
        case .signTransaction:
            return "Ask the wallet to sign a serialized Solana transaction (base64, legacy or v0, signature slots zeroed). The owner's policy judges every instruction; with dry_run true it only answers the decision and reasons. With submit true a signed transaction is also sent and confirmed. Lookup tables are resolved from the chain by the wallet, never taken from the caller."
                + Self.refusalSentence
        case .signMessage:
            return "Sign a text message with the agent key as a Solana off-chain message (it can never be a transaction). The owner's policy must allow off-chain messages; with dry_run true it only answers the decision."
                + Self.refusalSentence
        case .explainPolicy:
            return "The owner's policy in force, as sentences and as JSON: limits per asset and window, allowed programs and destinations, approval thresholds, x402 rules. Read-only; use it to understand a refusal before changing a request."
        case .propose:
            return "Turn a transaction the agent may not sign alone into a Squads v4 proposal the owners vote on: the multisig's vault executes it once approved. Give the transaction the vault should run (base64); the agent signs and submits only the proposal. Follow it with proposal_status."
                + Self.refusalSentence
        case .proposalStatus:
            return "Where a Squads proposal stands (draft, active, approved, rejected, executed, cancelled or stale) and its votes, read from the chain by its transaction index. Read-only."
        case .payX402:
            return "Pay an HTTP 402 invoice with the x402 \"exact\" scheme on Solana. Give the resource server's PaymentRequirements (one requirements object, or the whole 402 response body) and the URL being paid for; the wallet builds the payment, the owner's policy decides, and an allowed payment comes back as the header to send with the retried request (header_name: header_value). The facilitator pays the fee. With dry_run true it only answers the decision."
                + Self.refusalSentence
        case .freeze:
            return "Emergency stop: freeze the wallet so that nothing more is signed, for the reason given. Use it when something is wrong (a leaked prompt, unexpected requests). Only the owners can unfreeze it; the agent cannot."
        case .attest:
            return "A report signed by the agent key binding the wallet's key, owners, policy, code and ledger head to a nonce, with the Nitro enclave's attestation document where there is one: for a counterparty that wants proof of what controls this wallet. Read-only."
        }
    }

    var annotations: Tool.Annotations {
        switch self {
        case .walletStatus, .getBalances, .explainPolicy, .proposalStatus, .attest:
            Tool.Annotations(readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: self == .getBalances || self == .proposalStatus)
        case .signMessage:
            Tool.Annotations(readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false)
        case .freeze:
            Tool.Annotations(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)
        case .transfer, .signTransaction, .propose, .payX402:
            Tool.Annotations(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true)
        }
    }

    var schema: ToolSchema {
        switch self {
        case .walletStatus, .getBalances, .explainPolicy:
            return ToolSchema([])
        case .transfer:
            return ToolSchema([
                .string("asset", "\"SOL\", or the token's mint address (base58).", required: true),
                .string("to", "The recipient's wallet address (base58), not a token account.", required: true),
                .string("amount", "How much, as a decimal string in the asset's units, as in the policy: \"0.25\" SOL, \"10\" USDC.",
                        required: true, pattern: "^[0-9]*\\.?[0-9]+$"),
                .string("memo", "An optional memo recorded on chain (at most 256 bytes).", required: false),
            ])
        case .signTransaction:
            return ToolSchema([
                .string("transaction", "The serialized transaction, base64, with the signature slots zeroed.", required: true),
                .boolean("dry_run", "Only answer the decision and reasons: nothing is signed or counted. Default false."),
                .boolean("submit", "Also send the signed transaction and wait for confirmation. Default false."),
            ])
        case .signMessage:
            return ToolSchema([
                .string("message", "The text to sign (UTF-8, at most 65535 bytes).", required: true),
                .boolean("dry_run", "Only answer the decision. Default false."),
            ])
        case .propose:
            return ToolSchema([
                .string("transaction", "What the vault should execute: a serialized transaction or bare message, base64; the vault is its signer.", required: true),
                .string("memo", "A note stored with the proposal for the owners (at most 256 bytes).", required: false),
                .integer("vault_index", "The Squads vault (default 0).", minimum: 0, maximum: 255),
            ])
        case .proposalStatus:
            return ToolSchema([.integer("transaction_index", "The proposal's transaction index, as propose or transfer answered it.", minimum: 1, maximum: nil, required: true)])
        case .payX402:
            return ToolSchema([
                .stringOrObject("requirements", "The PaymentRequirements JSON (object or string): one requirements object, or the whole 402 response body with its accepts list.", required: true),
                .string("resource", "The URL being paid for.", required: true),
                .boolean("dry_run", "Only answer the decision: nothing is signed or counted. Default false."),
            ])
        case .freeze:
            return ToolSchema([.string("reason", "Why, in a sentence the owners will read (1 to 256 bytes).", required: true)])
        case .attest:
            return ToolSchema([.string("nonce", "The counterparty's challenge as hex (16 to 64 bytes); omitted: a random one.", required: false, pattern: "^([0-9a-fA-F]{2}){16,64}$")])
        }
    }
}

/// A tool's input: a JSON Schema object whose properties are listed once,
/// so the schema a host sees and the names a call may use agree.
struct ToolSchema {
    struct Property {
        let name: String
        let schema: [String: Value]
        let required: Bool

        static func string(_ name: String, _ description: String, required: Bool, pattern: String? = nil) -> Property {
            var schema: [String: Value] = ["type": "string", "description": .string(description)]
            if let pattern { schema["pattern"] = .string(pattern) }
            return Property(name: name, schema: schema, required: required)
        }

        static func boolean(_ name: String, _ description: String) -> Property {
            Property(name: name, schema: ["type": "boolean", "description": .string(description), "default": false], required: false)
        }

        static func integer(_ name: String, _ description: String, minimum: Int, maximum: Int?, required: Bool = false) -> Property {
            var schema: [String: Value] = ["type": "integer", "description": .string(description), "minimum": .int(minimum)]
            if let maximum { schema["maximum"] = .int(maximum) }
            return Property(name: name, schema: schema, required: required)
        }

        static func stringOrObject(_ name: String, _ description: String, required: Bool) -> Property {
            Property(name: name, schema: ["type": ["string", "object"], "description": .string(description)], required: required)
        }
    }

    let properties: [Property]

    init(_ properties: [Property]) { self.properties = properties }

    var value: Value {
        .object([
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, Value.object($0.schema)) })),
            "required": .array(properties.filter(\.required).map { .string($0.name) }),
            "additionalProperties": false,
        ])
    }
}
