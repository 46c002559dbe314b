import NIOCore
import WaiaasChain
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// ExecuteProposal: runs a proposal the owners approved, when the multisig
/// gives the agent Execute (docs/SQUADS.md). Everything comes from the
/// chain: the agent's permission from the multisig, the approval and its
/// time from the Proposal, what the vault runs from the VaultTransaction
/// (the caller names only the index). The agent's own spend is the fee,
/// judged like any signature's; the vault's transfers were the owners' to
/// judge, and they approved them.
struct ExecuteService: Sendable {
    let core: WalletCore
    /// The clock of the time-lock check, in Unix seconds (a test may fix it).
    var now: @Sendable () -> Int64 = { Int64(WalletCore.systemMilliseconds() / 1000) }

    func execute(_ request: ExecuteProposalRequest, _ call: ServerCall) async -> Result<ExecuteProposalResponse, RPCError> {
        guard request.recentBlockhash.isEmpty || request.recentBlockhash.count == 32 else {
            return .failure(RPCError(.invalidArgument, "recent_blockhash is \(request.recentBlockhash.count) bytes, not 32"))
        }
        guard request.transactionIndex > 0 else { return .failure(RPCError(.invalidArgument, "transaction_index starts at 1")) }
        guard let multisig = core.multisig, let chain = core.chain else {
            return .failure(RPCError(.failedPrecondition, "ExecuteProposal needs a multisig (--multisig) and an RPC endpoint (--rpc-url); nothing was signed"))
        }
        if let exhausted = core.admitChainRead(call) { return .failure(exhausted) }
        let account: SquadsMultisig
        switch await chain.squadsMultisig(multisig) {
        case .success(let value): account = value
        case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the multisig"))
        }
        guard account.permissions(of: core.agent)?.contains(.execute) == true else {
            let message = "the multisig \(multisig.base58) does not let the agent \(core.agent.base58) execute; the owners run approved proposals themselves"
            return .failure(RPCError(.permissionDenied, message, reasons: [Reason(.multisigPermissionMissing, message)]))
        }
        let index = request.transactionIndex
        guard let proposalAddress = Squads.proposal(multisig: multisig, index: index)?.address,
              let transactionAddress = Squads.transaction(multisig: multisig, index: index)?.address else {
            return .failure(RPCError(.internal, "no program address for index \(index)"))
        }
        switch await chain.squadsProposal(proposalAddress) {
        case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the proposal"))
        case .success(nil): return .failure(Self.notExecutable("no proposal exists for transaction \(index)"))
        case .success(let proposal?):
            guard proposal.multisig == multisig, proposal.transactionIndex == index else {
                return .failure(Self.notExecutable("the proposal account at index \(index) belongs to another multisig or index"))
            }
            guard case .approved(let at) = proposal.status else {
                return .failure(Self.notExecutable("proposal #\(index) is \(proposal.status.name), not approved"))
            }
            let ready = at + Int64(account.timeLock)
            guard now() >= ready else { return .failure(Self.notExecutable("proposal #\(index) is time-locked for \(ready - now()) more seconds")) }
        }
        let vaultTransaction: SquadsVaultTransaction
        switch await chain.squadsVaultTransaction(transactionAddress) {
        case .success(let value): vaultTransaction = value
        case .failure(let error): return .failure(RPCError(chain: error, doing: "reading the vault transaction"))
        }
        guard vaultTransaction.multisig == multisig, vaultTransaction.index == index else {
            return .failure(Self.notExecutable("the vault transaction at index \(index) belongs to another multisig or index"))
        }
        let transaction: SolanaTransaction
        do {
            let remaining = try vaultTransaction.executeAccounts(transactionAddress: transactionAddress)
            let instruction = SquadsInstruction.vaultTransactionExecute(.init(
                multisig: multisig, proposal: proposalAddress, transaction: transactionAddress, member: core.agent, remaining: remaining)).instruction()!
            let blockhash: Blockhash
            switch await chain.blockhash(given: request.recentBlockhash) {
            case .success(let value): blockhash = value
            case .failure(let error): return .failure(RPCError(chain: error, doing: "fetching a recent blockhash"))
            }
            transaction = try SolanaTransaction.unsigned(try Message.legacy(payer: core.agent, instructions: [instruction], blockhash: blockhash))
        } catch {
            return .failure(RPCError(.failedPrecondition, "proposal #\(index) cannot be executed here: \(error)", reasons: [Reason(code: error.code.rawValue, message: error.message)]))
        }
        guard transaction.encoded().count <= SolanaLimits.packetDataSize else {
            return .failure(RPCError(.failedPrecondition, "executing proposal #\(index) needs a transaction of \(transaction.encoded().count) bytes, more than \(SolanaLimits.packetDataSize)"))
        }
        let fee = ProposeService.lamportsPerSignature * UInt64(transaction.message.header.numRequiredSignatures)
        let audited = ExecuteProposalRequest(transactionIndex: index, submit: request.submit, recentBlockhash: request.recentBlockhash).serializedBytes()
        let recorder = BuiltTransactionRecorder(core: core, kind: .execute)
        switch core.decideBuilt(proposal: false, { policy, book, now in
            PolicyEngine.evaluateExecution(policy: policy, feeLamports: fee, book: book, nowMilliseconds: now)
        }) {
        case .notReserved(let evaluation, let version, let time):
            return .failure(await recorder.refuse(evaluation, call: call, request: audited, version: version, time: time))
        case .frozen(let freeze):
            return .failure(.frozen(freeze))
        case .duplicateInFlight, .possibleReplay:
            return .failure(RPCError(.internal, "unexpected reservation state"))
        case .reserved(let evaluation, let version, let time):
            let recorded: BuiltTransactionRecorder.Recorded
            switch await recorder.signAndRecord(evaluation, transaction: transaction, request: audited, version: version, time: time) {
            case .success(let value): recorded = value
            case .failure(let error): return .failure(error)
            }
            var response = ExecuteProposalResponse(
                signedTransaction: recorded.signed.encoded(), signature: recorded.signature.bytes, ledgerSequence: recorded.sequence,
                reasons: evaluation.reasons.map(Reason.init))
            if request.submit { response.submission = await BuiltTransactionRecorder.submit(recorded, through: chain, deadline: call.deadline) }
            return .success(response)
        }
    }

    static func notExecutable(_ message: String) -> RPCError {
        RPCError(.failedPrecondition, message, reasons: [Reason(.proposalNotExecutable, message)])
    }
}
