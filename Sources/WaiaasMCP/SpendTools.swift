import Foundation
import MCP
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// The tools that ask for the agent's signature, and the freeze. Every one
/// is a request the daemon judges against the owner's policy; nothing here
/// decides anything.
extension WalletTools {
    func transfer(_ input: ToolArguments) async throws -> CallTool.Result {
        let asset = try input.string("asset")
        let mint: PublicKey?
        if asset.uppercased() == "SOL" {
            mint = nil
        } else {
            guard let key = PublicKey(base58: asset) else { throw ToolInputError("\"asset\" must be \"SOL\" or a mint address (base58)") }
            mint = key
        }
        guard let destination = PublicKey(base58: try input.string("to")) else { throw ToolInputError("\"to\" is not a base58 address") }
        let amountText = try input.string("amount")
        let memo = try input.optionalString("memo") ?? ""
        guard memo.utf8.count <= 256 else { throw ToolInputError("\"memo\" is \(memo.utf8.count) bytes; at most 256") }
        let response = try await link.call { client throws(RPCError) -> Result<(TransferResponse, UInt64, UInt32), ToolInputError> in
            var decimals: UInt32 = 9
            if let mint {
                // The mint's decimals as the chain says, through the daemon: the
                // amount the model wrote means the same thing the policy's does.
                let balances = try await client.getBalances(timeout: .seconds(20))
                guard let held = balances.tokens.first(where: { $0.mint == mint.bytes }) else {
                    return .failure(ToolInputError("the wallet holds no token account for \(mint.base58); get_balances lists what it holds"))
                }
                decimals = held.decimals
            }
            let units: UInt64
            do {
                units = try PolicyJSON.baseUnits(amountText, decimals: decimals, path: "amount")
            } catch {
                return .failure(ToolInputError("\(error)"))
            }
            guard units > 0 else { return .failure(ToolInputError("\"amount\" must be more than 0")) }
            let request = TransferRequest(mint: mint?.bytes ?? [], destination: destination.bytes, amount: units, memo: memo,
                                          proposeIfApprovalRequired: true)
            return .success((try await client.transfer(request, timeout: .seconds(60)), units, decimals))
        }
        let (answer, units, decimals) = try response.get()
        let fields: [(String, JSONValue)] = [
            ("asset", .string(mint?.base58 ?? "SOL")), ("to", .string(destination.base58)),
            ("amount", .string(AmountText.decimal(units, decimals: decimals))), ("base_units", .integer(units)),
        ]
        if let proposal = answer.proposal { return Self.proposed(proposal, fields) }
        // The mint's decimals are known here even when the instruction does not carry them.
        return Self.signed(answer.sign ?? SignResponse(), fields, decimals: mint.map { [$0.bytes: decimals] } ?? [:])
    }

    func signTransaction(_ input: ToolArguments) async throws -> CallTool.Result {
        let transaction = try Self.base64(input.string("transaction"), "transaction")
        let request = SignRequest(payload: .transaction(transaction), dryRun: try input.bool("dry_run", default: false),
                                  submit: try input.bool("submit", default: false))
        let answer = try await link.call { client throws(RPCError) in try await client.sign(request, timeout: .seconds(60)) }
        var fields: [(String, JSONValue)] = []
        if !answer.signedTransaction.isEmpty { fields.append(("signed_transaction", .base64(answer.signedTransaction))) }
        return Self.signed(answer, fields)
    }

    func signMessage(_ input: ToolArguments) async throws -> CallTool.Result {
        let text = try input.string("message")
        let body = Array(text.utf8)
        guard (1...OffchainMessage.maximumLength).contains(body.count) else {
            throw ToolInputError("\"message\" is \(body.count) bytes; it must be 1 to \(OffchainMessage.maximumLength)")
        }
        let dryRun = try input.bool("dry_run", default: false)
        let (answer, message) = try await link.call { client throws(RPCError) in
            let agent = try await client.getStatus(timeout: .seconds(10)).agentPublicKey
            guard let signer = PublicKey(bytes: agent) else { throw RPCError(.failedPrecondition, "the daemon has no agent key yet") }
            let message = OffchainMessage(applicationDomain: [UInt8](repeating: 0, count: 32), format: Self.format(of: body),
                                          signers: [signer], message: body).encoded()
            return (try await client.sign(SignRequest(payload: .offchainMessage(message), dryRun: dryRun), timeout: .seconds(30)), message)
        }
        return Self.signed(answer, [("signed_message", .base64(message))])
    }

    /// The narrowest format that holds the text: wallets show format 0 as is.
    static func format(of body: [UInt8]) -> OffchainMessage.Format {
        if body.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A }) { return .restrictedASCII }
        return body.count <= 1212 ? .limitedUTF8 : .extendedUTF8
    }

    func propose(_ input: ToolArguments) async throws -> CallTool.Result {
        let transaction = try Self.base64(input.string("transaction"), "transaction")
        let memo = try input.optionalString("memo") ?? ""
        let vault = try input.unsigned("vault_index", in: 0...255) ?? 0
        let request = ProposeRequest(transaction: transaction, vaultIndex: UInt32(vault), submit: true, memo: memo)
        let answer = try await link.call { client throws(RPCError) in try await client.propose(request, timeout: .seconds(60)) }
        return Self.proposed(answer, [])
    }

    /// A proposal the agent signed: "proposed" once it was sent, or
    /// "proposal_failed" when the chain refused or dropped it, so that a model
    /// never waits for owners to vote on a proposal that does not exist.
    static func proposed(_ proposal: ProposeResponse, _ extra: [(String, JSONValue)]) -> CallTool.Result {
        let failed = proposal.submission.map { $0.status == .failed || $0.status == .expired } ?? false
        var fields: [(String, JSONValue)] = [("decision", .string(failed ? "proposal_failed" : "proposed"))] + extra + Self.proposalFields(proposal)
        if let error = proposal.submission?.error, !error.isEmpty { fields.append(("error", .string(error))) }
        if failed { return ToolResult.failure(fields) }
        fields.append(("next", .string("The owners must approve proposal #\(proposal.transactionIndex); check it with proposal_status.")))
        return ToolResult.success(fields)
    }

    func payX402(_ input: ToolArguments) async throws -> CallTool.Result {
        let requirements: String
        switch input.value("requirements") {
        case .string(let text)?: requirements = text
        case .object(let object)?: requirements = Self.json(.object(object)).serialized()
        case nil: throw ToolInputError("\"requirements\" is required")
        default: throw ToolInputError("\"requirements\" must be the PaymentRequirements JSON, as an object or a string")
        }
        let request = PayX402Request(requirements: requirements, resource: try input.string("resource"),
                                     dryRun: try input.bool("dry_run", default: false))
        let answer = try await link.call { client throws(RPCError) in try await client.payX402(request, timeout: .seconds(30)) }
        var fields: [(String, JSONValue)] = [
            ("x402_version", .integer(answer.x402Version)), ("network", .string(answer.network)),
            ("pay_to", .base58(answer.payTo)), ("asset", .base58(answer.mint)), ("base_units", .integer(answer.amount)),
        ]
        if !answer.headerValue.isEmpty {
            fields += [("header_name", .string(answer.headerName)), ("header_value", .string(answer.headerValue)),
                       ("next", .string("Retry the request to the resource with the header \(answer.headerName) set to header_value."))]
        }
        return Self.signed(answer.sign ?? SignResponse(), fields)
    }

    func freeze(_ input: ToolArguments) async throws -> CallTool.Result {
        let reason = try input.string("reason")
        let answer = try await link.call { client throws(RPCError) in try await client.freeze(FreezeRequest(reason: reason), timeout: .seconds(10)) }
        let state = answer.freeze ?? FreezeState()
        return ToolResult.success([
            ("frozen", .bool(true)), ("already_frozen", .bool(answer.alreadyFrozen)),
            ("reason", .string(state.reason)), ("ledger_sequence", .integer(state.ledgerSequence)),
            ("next", .string("Nothing is signed until M of the owners unfreeze the wallet (waiaas unfreeze). Tell the owner why.")),
        ])
    }

    // MARK: - Shared shapes

    /// A Sign answer: the decision and reasons verbatim, what it counts, and
    /// how far a submission got. A dry run that is not allowed, and a
    /// submission that failed or expired, are errors: nothing happened.
    static func signed(_ answer: SignResponse, _ extra: [(String, JSONValue)], decimals known: [[UInt8]: UInt32] = [:]) -> CallTool.Result {
        var fields: [(String, JSONValue)] = [("decision", .string(decisionName(answer.decision)))]
        if !answer.signature.isEmpty { fields.append(("signature", .base58(answer.signature))) }
        fields += extra
        fields.append(("reasons", ToolResult.reasonList(answer.reasons)))
        fields.append(("outflows", .array(answer.outflows.map { outflow in
            let decimals: UInt32? = outflow.mint.isEmpty ? 9 : (outflow.decimalsKnown ? outflow.decimals : known[outflow.mint])
            return .object([
                ("asset", .string(outflow.mint.isEmpty ? "SOL" : Base58.encode(outflow.mint))),
                ("amount", .string(decimals.map { AmountText.decimal(outflow.amount, decimals: $0) } ?? "\(outflow.amount) base units")),
                ("base_units", .integer(outflow.amount)),
            ])
        })))
        if answer.maxFeeLamports > 0 { fields.append(("max_fee_lamports", .integer(answer.maxFeeLamports))) }
        if answer.ledgerSequence > 0 { fields.append(("ledger_sequence", .integer(answer.ledgerSequence))) }
        if answer.replayed { fields.append(("replayed", .bool(true))) }
        var failed = answer.decision != .allow
        if let submission = answer.submission {
            let status = submissionName(submission.status)
            fields.append(("status", .string(status)))
            if submission.slot > 0 { fields.append(("slot", .integer(submission.slot))) }
            if !submission.error.isEmpty { fields.append(("error", .string(submission.error))) }
            failed = failed || status == "failed" || status == "expired"
        }
        if answer.decision != .allow { fields.append(("advice", .string(ToolResult.refusalAdvice))) }
        return failed ? ToolResult.failure(fields) : ToolResult.success(fields)
    }

    static func proposalFields(_ proposal: ProposeResponse) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("transaction_index", .integer(proposal.transactionIndex)), ("proposal", .base58(proposal.proposal)),
            ("multisig", .base58(proposal.multisig)), ("vault", .base58(proposal.vault)),
            ("signature", .base58(proposal.signature)), ("submitted", .bool(proposal.submitted)),
        ]
        if let submission = proposal.submission { fields.append(("status", .string(submissionName(submission.status)))) }
        fields.append(("reasons", ToolResult.reasonList(proposal.reasons)))
        if proposal.ledgerSequence > 0 { fields.append(("ledger_sequence", .integer(proposal.ledgerSequence))) }
        return fields
    }

    static func decisionName(_ decision: Decision) -> String {
        switch decision {
        case .allow: "allow"
        case .deny: "deny"
        case .approvalRequired: "approval_required"
        default: "unspecified"
        }
    }

    /// `processed`, `confirmed`, `finalized`, `failed`, `expired`, or `sent` (not seen by the deadline).
    static func submissionName(_ status: SubmissionStatus) -> String {
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

    static func base64(_ text: String, _ name: String) throws(ToolInputError) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let data = Data(base64Encoded: trimmed) else { throw ToolInputError("\"\(name)\" is not base64") }
        return Array(data)
    }

    /// The host's JSON, as the daemon reads it. Numbers keep their value;
    /// x402 writes amounts as strings, so none is rounded here.
    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(Int64(number))
        case .double(let number): .number(String(number))
        case .string(let text): .string(text)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let items): .array(items.map(json))
        case .object(let object): .object(object.keys.sorted().map { ($0, json(object[$0]!)) })
        }
    }
}
