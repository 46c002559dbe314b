import NIOCore
import WaiaasChain
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// Transfer and GetBalances: the daemon builds the transaction itself from
/// chain facts every endpoint agrees on, then puts it through exactly the
/// Sign path (policy, ledger, signature) with submission, so a transfer is
/// judged and counted as the same bytes from the agent would be.
struct TransferService: Sendable {
    let core: WalletCore
    let computeUnitPrice: UInt64

    /// Enough for a System transfer with its compute-budget instructions.
    static let solComputeUnits: UInt32 = 1_000
    /// Enough for CreateIdempotent and TransferChecked under Token-2022.
    static let tokenComputeUnits: UInt32 = 80_000

    func balances(_ call: ServerCall) async -> Result<GetBalancesResponse, RPCError> {
        guard let chain = core.chain else {
            return .failure(RPCError(.failedPrecondition, "GetBalances needs an RPC endpoint (waiaasd serve --rpc-url)"))
        }
        if let exhausted = core.admitChainRead(call) { return .failure(exhausted) }
        switch await chain.balances(of: core.agent) {
        case .failure(let error):
            return .failure(RPCError(chain: error, doing: "reading the balances"))
        case .success(let balances):
            return .success(GetBalancesResponse(
                lamports: balances.lamports,
                tokens: balances.tokens.map {
                    TokenBalance(mint: $0.mint.bytes, amount: $0.amount, decimals: UInt32($0.decimals), tokenProgram: $0.program.bytes, account: $0.account.bytes)
                },
                slot: balances.slot))
        }
    }

    func transfer(_ request: TransferRequest, _ call: ServerCall, respond: @escaping @Sendable (Result<TransferResponse, RPCError>) -> Void) {
        guard let chain = core.chain else {
            return respond(.failure(RPCError(.failedPrecondition, "Transfer needs an RPC endpoint (waiaasd serve --rpc-url); nothing was signed")))
        }
        if let exhausted = core.admitChainRead(call) { return respond(.failure(exhausted)) }
        guard let destination = PublicKey(bytes: request.destination) else {
            return respond(.failure(RPCError(.invalidArgument, "destination must be 32 bytes, got \(request.destination.count)")))
        }
        guard request.amount > 0 else { return respond(.failure(RPCError(.invalidArgument, "amount must be more than 0"))) }
        guard request.mint.isEmpty || request.mint.count == 32 else {
            return respond(.failure(RPCError(.invalidArgument, "mint must be empty (SOL) or 32 bytes, got \(request.mint.count)")))
        }
        guard request.memo.utf8.count <= 256 else { return respond(.failure(RPCError(.invalidArgument, "memo is longer than 256 bytes"))) }
        guard destination != core.agent else { return respond(.failure(RPCError(.invalidArgument, "the destination is the agent itself"))) }
        let sign = SignService(core: core)
        Task {
            let built = await build(request, destination: destination, chain: chain)
            switch built {
            case .failure(let error):
                respond(.failure(error))
            case .success(let transaction):
                let signRequest = SignRequest(payload: .transaction(transaction), clientReference: request.clientReference, submit: true)
                sign.sign(signRequest, call) { result in
                    guard request.proposeIfApprovalRequired, case .failure(let error) = result, error.code == .failedPrecondition,
                          error.status.reasons.contains(where: { $0.code == ReasonCode.approvalRequired.rawValue }), let vault = core.vault else {
                        return respond(result.map { TransferResponse(sign: $0) })
                    }
                    Task { respond(await proposeInstead(request, destination: destination, vault: vault, chain: chain, call)) }
                }
            }
        }
    }

    /// The same transfer out of vault 0, as a proposal the owners approve:
    /// Propose judges and records it, and submits it.
    private func proposeInstead(
        _ request: TransferRequest, destination: PublicKey, vault: PublicKey, chain: ChainQuorum, _ call: ServerCall
    ) async -> Result<TransferResponse, RPCError> {
        var plain = request
        plain.memo = ""  // the memo goes into the proposal, not the vault's transaction
        let built = await build(plain, destination: destination, chain: chain, from: vault, computeBudget: false)
        guard case .success(let transaction) = built else { return built.map { _ in TransferResponse() } }
        let propose = ProposeRequest(transaction: transaction, vaultIndex: 0, submit: true, memo: request.memo)
        return await ProposeService(core: core).propose(propose, call).map { TransferResponse(proposal: $0) }
    }

    /// The transfer from `from` (the agent, or the vault for a proposal), which is also its fee payer.
    private func build(
        _ request: TransferRequest, destination: PublicKey, chain: ChainQuorum, from: PublicKey? = nil, computeBudget: Bool = true
    ) async -> Result<[UInt8], RPCError> {
        let agent = from ?? core.agent
        var instructions: [TransactionInstruction] = []
        if computeBudget {
            instructions.append(TransferInstructions.computeUnitLimit(request.mint.isEmpty ? Self.solComputeUnits : Self.tokenComputeUnits))
            if computeUnitPrice > 0 { instructions.append(TransferInstructions.computeUnitPrice(computeUnitPrice)) }
        }
        if let mint = PublicKey(bytes: request.mint) {
            let info: MintInfo
            switch await chain.mints([mint]) {
            case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the mint"))
            case .success(let infos):
                guard let found = infos[0] else {
                    return .failure(RPCError(.failedPrecondition, "\(mint.base58) is not an initialized SPL Token or Token-2022 mint"))
                }
                info = found
            }
            guard let source = ProgramAddress.associatedTokenAddress(wallet: agent, mint: mint, tokenProgram: info.program),
                  let target = ProgramAddress.associatedTokenAddress(wallet: destination, mint: mint, tokenProgram: info.program) else {
                return .failure(RPCError(.invalidArgument, "no associated token account exists for this mint and destination"))
            }
            switch await chain.existing([target]) {
            case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the destination's token account"))
            case .success(let exists):
                if !exists[0] {
                    instructions.append(TransferInstructions.createAssociatedTokenAccountIdempotent(
                        funder: agent, account: target, owner: destination, mint: mint, tokenProgram: info.program))
                }
            }
            instructions.append(TransferInstructions.transferChecked(
                source: source, mint: mint, destination: target, owner: agent, amount: request.amount, decimals: info.decimals, tokenProgram: info.program))
        } else {
            instructions.append(TransferInstructions.systemTransfer(from: agent, to: destination, lamports: request.amount))
        }
        if !request.memo.isEmpty { instructions.append(TransferInstructions.memo(request.memo, signer: agent)) }
        let blockhash: Blockhash
        switch await chain.anyLatestBlockhash() {
        case .success(let hash): blockhash = hash
        case .failure(let error): return .failure(RPCError(chain: error, doing: "fetching a blockhash"))
        }
        do {
            return .success(try SolanaTransaction.unsigned(try Message.legacy(payer: agent, instructions: instructions, blockhash: blockhash)).encoded())
        } catch {
            return .failure(RPCError(.internal, "the transfer could not be encoded: \(error)"))
        }
    }
}
