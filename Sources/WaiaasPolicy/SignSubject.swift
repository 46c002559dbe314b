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

    /// Why a request could not be decoded: a stable code and a sentence.
    public struct Refusal: Error, Sendable {
        public var code: String
        public var message: String
    }

    public static func make(_ request: SignRequest, agent: PublicKey) -> Result<SignSubject, Refusal> {
        switch request.payload {
        case nil:
            return .failure(Refusal(code: "empty_request", message: "SignRequest names neither a transaction nor an off-chain message"))
        case .offchainMessage(let bytes):
            do {
                let message = try OffchainMessage.parse(bytes)
                return .success(SignSubject(subject: .offchainMessage(message), messageBytes: bytes))
            } catch {
                return .failure(Refusal(code: error.code, message: "off-chain message: \(error.message)"))
            }
        case .transaction(let bytes):
            let transaction: SolanaTransaction
            do {
                transaction = try SolanaTransaction.decode(bytes)
            } catch {
                return .failure(Refusal(code: error.code, message: "transaction: \(error)"))
            }
            var tables: [PublicKey: [PublicKey]] = [:]
            for table in request.lookupTables {
                guard let address = PublicKey(bytes: table.address) else {
                    return .failure(Refusal(code: "invalid_lookup_table", message: "lookup table address must be 32 bytes, got \(table.address.count)"))
                }
                var entries: [PublicKey] = []
                for entry in table.addresses {
                    guard let key = PublicKey(bytes: entry) else {
                        return .failure(Refusal(code: "invalid_lookup_table", message: "lookup table \(address.base58) has an entry of \(entry.count) bytes"))
                    }
                    entries.append(key)
                }
                tables[address] = entries
            }
            let resolved: ResolvedAccounts
            do {
                resolved = try transaction.message.resolve(lookupTables: tables)
            } catch {
                return .failure(Refusal(code: error.code, message: "lookup tables: \(error)"))
            }
            let effects = EffectsSummary.compute(transaction: transaction, resolved: resolved, signer: agent)
            return .success(SignSubject(
                subject: .transaction(effects), messageBytes: transaction.messageBytes, transaction: transaction,
                agentSlot: transaction.message.signerKeys.firstIndex(of: agent)))
        }
    }
}
