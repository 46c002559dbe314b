import WaiaasProto
import WaiaasSolana

/// A Sign request decoded into what the policy judges. Shared by the
/// daemon's Sign path and by `policy check --replay`, so a replay judges a
/// recorded request exactly as the daemon did.
public struct SignSubject: Sendable {
    public var subject: PolicySubject
    /// The exact bytes the agent signs.
    public var messageBytes: [UInt8]
    /// The transaction, to return with the agent's slot filled.
    public var transaction: SolanaTransaction?
    /// The agent's signature slot, when it is a required signer.
    public var agentSlot: Int?
    /// Every account the transaction may write, as far as it is known:
    /// the only accounts a simulation can see change.
    public var writableAccounts: [PublicKey] = []
    /// Set only by the daemon's PayX402 path, for the x402 checks; never
    /// from anything a caller sends.
    public var x402: X402Payment?

    /// Records the chain's simulation of the transaction for the policy to judge.
    public mutating func attach(simulation: SimulationReport) {
        guard case .transaction(var effects) = subject else { return }
        effects.simulation = simulation
        subject = .transaction(effects)
    }

    /// Why a request could not be decoded: a stable code and a sentence.
    public struct Refusal: Error, Sendable {
        public var code: ReasonCode
        public var message: String
    }

    /// `chain` is what the daemon's RPC endpoints agreed the transaction's
    /// lookup tables hold; nil when the daemon has no RPC endpoint, and then
    /// an instruction that depends on a loaded account is refused.
    public static func make(_ request: SignRequest, agent: PublicKey, chain: LookupTableReport? = nil) -> Result<SignSubject, Refusal> {
        switch request.payload {
        case nil:
            return .failure(Refusal(code: .emptyRequest, message: "SignRequest names neither a transaction nor an off-chain message"))
        case .offchainMessage(let bytes):
            do {
                let message = try OffchainMessage.parse(bytes)
                return .success(SignSubject(subject: .offchainMessage(message), messageBytes: bytes))
            } catch {
                return .failure(Refusal(code: .decoder(error.code.rawValue), message: "off-chain message: \(error.message)"))
            }
        case .transaction(let bytes):
            let transaction: SolanaTransaction
            do {
                transaction = try SolanaTransaction.decode(bytes)
            } catch {
                return .failure(Refusal(code: .decoder(error.code.rawValue), message: "transaction: \(error)"))
            }
            // The caller's table contents are untrusted: checked for shape and
            // bounded (no more than the tables the message refers to, 256
            // entries each), then compared with the chain's when there is a
            // chain to compare with, and never used: the decision rests on the
            // transaction's bytes and the chain (docs/POLICY.md, "Lookup tables").
            let referenced = Set(transaction.message.addressTableLookups.map(\.accountKey))
            for table in request.lookupTables {
                guard let address = PublicKey(bytes: table.address) else {
                    return .failure(Refusal(code: .invalidLookupTable, message: "lookup table address must be 32 bytes, got \(table.address.count)"))
                }
                guard referenced.contains(address) else {
                    return .failure(Refusal(code: .invalidLookupTable, message: "lookup table \(address.base58) is not one the transaction refers to"))
                }
                guard table.addresses.count <= 256, table.addresses.allSatisfy({ $0.count == 32 }) else {
                    return .failure(Refusal(code: .invalidLookupTable, message: "lookup table \(address.base58) must hold at most 256 addresses of 32 bytes"))
                }
            }
            guard request.lookupTables.count <= referenced.count else {
                return .failure(Refusal(code: .invalidLookupTable, message: "\(request.lookupTables.count) lookup tables for a transaction that refers to \(referenced.count)"))
            }
            let resolved: ResolvedAccounts
            do {
                resolved = try transaction.message.resolve(lookupTables: chain?.tables ?? [:], verified: chain != nil)
            } catch {
                return .failure(Refusal(code: .decoder(error.code.rawValue), message: "accounts: \(error)"))
            }
            var effects = EffectsSummary.compute(transaction: transaction, resolved: resolved, signer: agent)
            if let chain {
                effects.lookupTableProblems = chain.problems + mismatches(request.lookupTables, chain: chain.tables)
            }
            let writable = resolved.keys.indices.compactMap { transaction.message.isWritable($0) ? resolved.keys[$0] : nil }
            return .success(SignSubject(
                subject: .transaction(effects), messageBytes: transaction.messageBytes, transaction: transaction,
                agentSlot: transaction.message.signerKeys.firstIndex(of: agent), writableAccounts: writable))
        }
    }

    /// A caller's table that contradicts the chain's at an index both hold.
    /// Entries past the chain's copy are not judged: the daemon's copy may
    /// be a cached prefix, tables only grow, and the transaction reads none
    /// of them (or the report has an index problem).
    static func mismatches(_ claimed: [LookupTable], chain: [PublicKey: [PublicKey]]) -> [LookupTableProblem] {
        var problems: [LookupTableProblem] = []
        for table in claimed {
            guard let address = PublicKey(bytes: table.address), let known = chain[address] else { continue }
            for (i, bytes) in table.addresses.prefix(known.count).enumerated() where known[i].bytes != bytes {
                let said = PublicKey(bytes: bytes)?.base58 ?? Hex.encode(bytes)
                problems.append(LookupTableProblem(.mismatch, table: address, "the request says index \(i) holds \(said); the chain says \(known[i].base58)"))
                break
            }
        }
        return problems
    }
}
