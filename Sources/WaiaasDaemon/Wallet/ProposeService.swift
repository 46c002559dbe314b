import Foundation
import NIOCore
import WaiaasChain
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// Propose: the vault's transaction becomes a Squads v4 proposal the owners
/// approve on chain (docs/SQUADS.md). The daemon reads the multisig through
/// every RPC endpoint, checks the agent may initiate, builds
/// vault_transaction_create and proposal_create at the chain's next index
/// with the agent as creator and rent payer, judges the cost and the rate
/// with the policy's `propose` rules, records the row, and only then
/// answers with the signed outer transaction (and, with `submit`, sends it).
///
/// Every fact the plan rests on is the chain's, never the caller's: the
/// index and members come from the multisig account, the rent from the
/// endpoints. A transaction index another member took first is seen before
/// signing (its accounts exist), and the plan is made again from a fresh
/// read, at most `maximumAttempts` times.
struct ProposeService: Sendable {
    let core: WalletCore

    static let maximumAttempts = 3
    static let maximumMemoBytes = 256
    static let maximumEphemeralSigners: UInt32 = 8
    static let lamportsPerSignature: UInt64 = 5_000

    func propose(_ request: ProposeRequest, _ call: ServerCall) async -> Result<ProposeResponse, RPCError> {
        guard request.memo.utf8.count <= Self.maximumMemoBytes else {
            return .failure(RPCError(.invalidArgument, "memo is longer than \(Self.maximumMemoBytes) bytes"))
        }
        guard request.vaultIndex <= UInt32(UInt8.max) else { return .failure(RPCError(.invalidArgument, "vault_index \(request.vaultIndex) is not 0 to 255")) }
        guard request.ephemeralSigners <= Self.maximumEphemeralSigners else {
            return .failure(RPCError(.invalidArgument, "ephemeral_signers \(request.ephemeralSigners) is more than \(Self.maximumEphemeralSigners)"))
        }
        guard request.lookupTables.isEmpty else {
            return .failure(RPCError(.invalidArgument, "lookup_tables: Propose does not support lookup tables yet; give the vault's transaction with every account in it"))
        }
        guard request.recentBlockhash.isEmpty || request.recentBlockhash.count == 32 else {
            return .failure(RPCError(.invalidArgument, "recent_blockhash is \(request.recentBlockhash.count) bytes, not 32"))
        }
        guard let multisig = core.multisig else {
            return .failure(RPCError(.failedPrecondition, "no multisig is configured (waiaasd init --multisig, or serve --multisig); nothing was proposed"))
        }
        guard let chain = core.chain else {
            return .failure(RPCError(.failedPrecondition, "Propose reads the multisig through RPC (waiaasd serve --rpc-url); nothing was proposed"))
        }
        if let exhausted = core.admitChainRead(call) { return .failure(exhausted) }
        let draft: @Sendable (SquadsMultisig) -> Result<Draft, RPCError>
        if let grant = request.spendingLimit {
            guard request.transaction.isEmpty else {
                return .failure(RPCError(.invalidArgument, "give a transaction or a spending_limit, not both"))
            }
            let (agent, policy) = (core.agent, core.policyState.compiled)
            draft = { account in Self.spendingLimitDraft(grant, multisig: multisig, account: account, agent: agent, policy: policy, memo: request.memo) }
        } else {
            let inner: Message
            switch Self.innerMessage(request.transaction) {
            case .success(let message): inner = message
            case .failure(let error): return .failure(RPCError(.invalidArgument, "transaction: \(error)", reasons: [Reason(code: error.code.rawValue, message: error.message)]))
            }
            let agent = core.agent
            draft = { account in Self.vaultDraft(request, multisig: multisig, account: account, agent: agent, inner: inner) }
        }
        for attempt in 1...Self.maximumAttempts {
            switch await attemptOnce(request, call, multisig: multisig, chain: chain, draft: draft) {
            case .answered(let result): return result
            case .indexTaken(let index) where attempt < Self.maximumAttempts:
                core.logger.info("proposal index taken; reading the multisig again", metadata: ["index": "\(index)", "attempt": "\(attempt)"])
            case .indexTaken(let index):
                return .failure(RPCError(.aborted, "transaction index \(index) was taken by another member \(Self.maximumAttempts) times running; nothing was proposed, retry later"))
            }
        }
        return .failure(RPCError(.internal, "unreachable"))
    }

    private enum Attempt {
        case answered(Result<ProposeResponse, RPCError>)
        case indexTaken(UInt64)
    }

    private func attemptOnce(
        _ request: ProposeRequest, _ call: ServerCall, multisig: PublicKey, chain: ChainQuorum, draft makeDraft: (SquadsMultisig) -> Result<Draft, RPCError>
    ) async -> Attempt {
        let account: SquadsMultisig
        switch await chain.squadsMultisig(multisig) {
        case .success(let value): account = value
        case .failure(let error): return .answered(.failure(RPCError(chain: error, doing: "reading the multisig")))
        }
        guard let permissions = account.permissions(of: core.agent), permissions.contains(.initiate) else {
            let message = "the multisig \(multisig.base58) does not let the agent \(core.agent.base58) initiate proposals; the owners must give it Initiate"
            return .answered(.failure(RPCError(.permissionDenied, message, reasons: [Reason(.multisigPermissionMissing, message)])))
        }
        let plan: Draft
        switch makeDraft(account) {
        case .success(let value): plan = value
        case .failure(let error): return .answered(.failure(error))
        }
        switch await chain.existing([plan.transaction, plan.proposal]) {
        case .success(let found) where found.contains(true): return .indexTaken(plan.index)
        case .success: break
        case .failure(let error): return .answered(.failure(RPCError(chain: error, doing: "checking the next transaction index")))
        }
        let rent: UInt64
        switch await Self.rent(chain, sizes: plan.accountSizes) {
        case .success(let value): rent = value
        case .failure(let error): return .answered(.failure(RPCError(chain: error, doing: "reading the rent of the proposal's accounts")))
        }
        let blockhash: Blockhash
        switch await chain.blockhash(given: request.recentBlockhash) {
        case .success(let value): blockhash = value
        case .failure(let error): return .answered(.failure(RPCError(chain: error, doing: "fetching a recent blockhash")))
        }
        let transaction: SolanaTransaction
        do {
            transaction = try SolanaTransaction.unsigned(try Message.legacy(payer: core.agent, instructions: plan.instructions, blockhash: blockhash))
        } catch {
            return .answered(.failure(RPCError(.invalidArgument, "the proposal's transaction: \(error)")))
        }
        guard transaction.encoded().count <= SolanaLimits.packetDataSize else {
            return .answered(.failure(RPCError(.invalidArgument,
                "the proposal's transaction would be \(transaction.encoded().count) bytes, more than \(SolanaLimits.packetDataSize): the vault's transaction is too large for one (transaction buffers are not supported yet)")))
        }
        let fee = Self.lamportsPerSignature * UInt64(transaction.message.header.numRequiredSignatures)
        let subject = ProposalSubject(innerPrograms: plan.innerPrograms, rentLamports: rent, feeLamports: fee)
        let audited = Self.audited(request)
        switch core.decideBuilt(proposal: true, { policy, book, now in
            PolicyEngine.evaluateProposal(policy: policy, subject: subject, book: book, nowMilliseconds: now)
        }) {
        case .reserved(let evaluation, let version, let time):
            let result = await commit(evaluation, plan: plan, transaction: transaction, request: request, audited: audited,
                                      version: version, time: time, chain: chain, deadline: call.deadline)
            // Another member's proposal landed between the check and this one:
            // the nodes refuse it (its accounts are "already in use"). It stays
            // recorded, as everything signed does; the next attempt reads the
            // multisig again.
            if case .success(let response) = result, let submission = response.submission, submission.status == .failed,
               submission.error.contains("already in use") {
                return .indexTaken(plan.index)
            }
            return .answered(result)
        case .notReserved(let evaluation, let version, let time):
            let recorder = BuiltTransactionRecorder(core: core, kind: .propose)
            return .answered(.failure(await recorder.refuse(evaluation, call: call, request: audited, version: version, time: time)))
        case .frozen(let freeze):
            return .answered(.failure(.frozen(freeze)))
        case .duplicateInFlight, .possibleReplay:
            return .answered(.failure(RPCError(.internal, "unexpected reservation state")))
        }
    }

    /// Signs, records, answers after the commit; with `submit`, sends and watches first.
    private func commit(
        _ evaluation: PolicyEvaluation, plan: Draft, transaction: SolanaTransaction, request: ProposeRequest, audited: [UInt8],
        version: UInt64, time: UInt64, chain: ChainQuorum, deadline: NIODeadline
    ) async -> Result<ProposeResponse, RPCError> {
        let recorder = BuiltTransactionRecorder(core: core, kind: .propose)
        let recorded: BuiltTransactionRecorder.Recorded
        switch await recorder.signAndRecord(evaluation, transaction: transaction, request: audited, version: version, time: time) {
        case .success(let value): recorded = value
        case .failure(let error): return .failure(error)
        }
        var response = ProposeResponse(
            multisig: plan.multisig.bytes, vault: plan.vault.bytes, transactionIndex: plan.index, vaultTransaction: plan.transaction.bytes,
            proposal: plan.proposal.bytes, signedTransaction: recorded.signed.encoded(), signature: recorded.signature.bytes, submitted: false,
            ledgerSequence: recorded.sequence, reasons: plan.notes + evaluation.reasons.map(Reason.init), spendingLimit: plan.spendingLimit?.bytes ?? [])
        if request.submit {
            let submission = await BuiltTransactionRecorder.submit(recorded, through: chain, deadline: deadline)
            response.submitted = submission.status != .failed
            response.submission = submission
        }
        return .success(response)
    }

    /// `text` cut to at most `bytes` UTF-8 bytes, at a character boundary.
    static func bounded(_ text: String, bytes: Int) -> String {
        var out = ""
        for character in text {
            guard out.utf8.count + character.utf8.count <= bytes else { break }
            out.append(character)
        }
        return out
    }

    /// The vault's transaction: a whole transaction (its message is used) or a bare message.
    static func innerMessage(_ bytes: [UInt8]) -> Result<Message, SolanaDecodeError> {
        if let transaction = try? SolanaTransaction.decode(bytes) { return .success(transaction.message) }
        do { return .success(try Message.decode(bytes)) } catch { return .failure(error) }
    }

    /// The rent-exempt minimum of each size, as every endpoint says, summed.
    static func rent(_ chain: ChainQuorum, sizes: [Int]) async -> Result<UInt64, ChainError> {
        await chain.agreed("the rent-exempt minimum") { endpoint throws(ChainError) in
            var total: UInt64 = 0
            for size in sizes { total += try endpoint.getMinimumBalanceForRentExemption(dataLength: size) }
            return total
        }
    }

    /// The request as the ledger keeps it: everything Propose used, nothing the caller can inflate.
    static func audited(_ request: ProposeRequest) -> [UInt8] {
        ProposeRequest(transaction: request.transaction, vaultIndex: request.vaultIndex, submit: request.submit,
                       recentBlockhash: request.recentBlockhash, memo: request.memo, ephemeralSigners: request.ephemeralSigners,
                       spendingLimit: request.spendingLimit).serializedBytes()
    }
}
