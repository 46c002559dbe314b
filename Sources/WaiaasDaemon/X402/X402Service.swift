import Foundation
import WaiaasChain
import WaiaasCustody
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// PayX402: an x402 `exact` payment on Solana (docs/X402.md). The daemon
/// builds the transaction x402 2.x facilitators verify (v0; fee payer the
/// facilitator; SetComputeUnitLimit, SetComputeUnitPrice, TransferChecked
/// of exactly the amount to payTo's token account, Memo) with the mint's
/// program and decimals read from the chain, then puts it through exactly
/// the Sign path, policy and ledger, with the payment's facts for the
/// policy's x402 checks. The agent fills only its own signature slot.
struct X402Service: Sendable {
    let core: WalletCore

    /// x402 2.25's defaults: 20,000 units at 1 micro-lamport (facilitators refuse above 5,000,000).
    static let computeUnitLimit: UInt32 = 20_000
    static let computeUnitPrice: UInt64 = 1

    typealias Respond = @Sendable (Result<PayX402Response, RPCError>) -> Void

    func pay(_ request: PayX402Request, _ call: ServerCall, respond: @escaping Respond) {
        guard let chain = core.chain else {
            return respond(.failure(RPCError(.failedPrecondition, "PayX402 needs an RPC endpoint (waiaasd serve --rpc-url) to read the mint; nothing was signed")))
        }
        if let exhausted = core.admitChainRead(call) { return respond(.failure(exhausted)) }
        guard request.clientReference.utf8.count <= 256 else {
            return respond(.failure(RPCError(.invalidArgument, "client_reference is longer than 256 bytes")))
        }
        guard request.resource.utf8.count <= 2048, let origin = X402Rules.origin(of: request.resource) else {
            return respond(.failure(RPCError(.invalidArgument, "resource must be the http(s) URL being paid for (at most 2048 bytes)")))
        }
        let requirements: X402Requirements
        do {
            requirements = try X402Requirements.parse(request.requirements)
        } catch {
            return respond(.failure(RPCError(.invalidArgument, "requirements: \(error.message)")))
        }
        guard requirements.payTo != core.agent else {
            return respond(.failure(RPCError(.invalidArgument, "payTo is the agent itself")))
        }
        let sign = SignService(core: core)
        let agent = core.agent
        Task {
            let built: (transaction: [UInt8], payment: X402Payment)
            switch await build(requirements, origin: origin, chain: chain) {
            case .failure(let error): return respond(.failure(error))
            case .success(let value): built = value
            }
            let signRequest = SignRequest(payload: .transaction(built.transaction), dryRun: request.dryRun, clientReference: request.clientReference)
            sign.sign(signRequest, call, payment: built.payment) { result in
                respond(result.map { answer in
                    Self.response(answer, requirements: requirements, resource: request.resource, agent: agent, payment: built.payment)
                })
            }
        }
    }

    private func build(_ requirements: X402Requirements, origin: String, chain: ChainQuorum) async -> Result<([UInt8], X402Payment), RPCError> {
        let mint: MintInfo
        switch await chain.mints([requirements.asset]) {
        case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the payment's mint"))
        case .success(let infos):
            guard let found = infos[0] else {
                return .failure(RPCError(.failedPrecondition, "\(requirements.asset.base58) is not an initialized SPL Token or Token-2022 mint; nothing was signed"))
            }
            mint = found
        }
        let agent = core.agent
        guard let source = ProgramAddress.associatedTokenAddress(wallet: agent, mint: requirements.asset, tokenProgram: mint.program),
              let destination = ProgramAddress.associatedTokenAddress(wallet: requirements.payTo, mint: requirements.asset, tokenProgram: mint.program) else {
            return .failure(RPCError(.invalidArgument, "no associated token account exists for this mint and payTo"))
        }
        let blockhash: Blockhash
        if let given = requirements.recentBlockhash {
            blockhash = given
        } else {
            switch await chain.anyLatestBlockhash() {
            case .success(let hash): blockhash = hash
            case .failure(let error): return .failure(RPCError(chain: error, doing: "fetching a blockhash"))
            }
        }
        // A random nonce when the server names no memo, so two equal payments are two transactions.
        let memo = requirements.memo ?? Array((0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined().utf8)
        let instructions = [
            TransferInstructions.computeUnitLimit(Self.computeUnitLimit),
            TransferInstructions.computeUnitPrice(Self.computeUnitPrice),
            TransferInstructions.transferChecked(
                source: source, mint: requirements.asset, destination: destination, owner: agent, amount: requirements.amount,
                decimals: mint.decimals, tokenProgram: mint.program),
            TransferInstructions.memo(bytes: memo),
        ]
        let message: Message
        do {
            message = try Message.v0(payer: requirements.feePayer, instructions: instructions, blockhash: blockhash)
        } catch {
            return .failure(RPCError(.internal, "the payment could not be encoded: \(error)"))
        }
        // From the built bytes: does any instruction name the fee payer?
        let feePayerIndex = message.accountKeys.firstIndex(of: requirements.feePayer).map(UInt8.init)
        let named = message.instructions.contains { instruction in
            instruction.programIdIndex == feePayerIndex || instruction.accounts.contains { $0 == feePayerIndex }
        }
        let payment = X402Payment(payTo: requirements.payTo, origin: origin, mint: requirements.asset, tokenProgram: mint.program,
                                  amount: requirements.amount, feePayer: requirements.feePayer, feePayerInInstructions: named)
        do {
            return .success((try SolanaTransaction.unsigned(message).encoded(), payment))
        } catch {
            return .failure(RPCError(.internal, "the payment could not be encoded: \(error)"))
        }
    }

    /// The signed answer with the x402 payload: v2 `{x402Version, resource,
    /// accepted, payload}` for `PAYMENT-SIGNATURE`, v1 `{x402Version,
    /// scheme, network, payload}` for `X-PAYMENT`. Empty when nothing was signed.
    static func response(_ answer: SignResponse, requirements: X402Requirements, resource: String, agent: PublicKey, payment: X402Payment) -> PayX402Response {
        var response = PayX402Response(
            sign: answer, x402Version: requirements.version, network: requirements.network,
            payTo: payment.payTo.bytes, mint: payment.mint.bytes, amount: payment.amount)
        guard !answer.signedTransaction.isEmpty else { return response }
        let transaction = Data(answer.signedTransaction).base64EncodedString()
        let inner: JSONValue = .object([("transaction", .string(transaction))])
        let payload: JSONValue
        if requirements.version == 1 {
            payload = .object([("x402Version", .uint(1)), ("scheme", .string("exact")), ("network", .string(requirements.network)), ("payload", inner)])
            response.headerName = "X-PAYMENT"
        } else {
            payload = .object([
                ("x402Version", .uint(2)), ("resource", .object([("url", .string(resource))])), ("accepted", requirements.object), ("payload", inner),
            ])
            response.headerName = "PAYMENT-SIGNATURE"
        }
        response.payloadJSON = payload.serialized()
        response.headerValue = Data(response.payloadJSON.utf8).base64EncodedString()
        return response
    }
}
