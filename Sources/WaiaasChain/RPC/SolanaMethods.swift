import Foundation
import WaiaasSolana

/// The Solana JSON-RPC methods the daemon uses, with the field names and
/// shapes of Solana's RPC documentation. Each blocks its thread.
extension RPCEndpoint {
    /// The most keys one getMultipleAccounts may name (Solana's limit).
    public static let maximumAccountsPerCall = 100

    private var commitmentField: (String, JSONValue) { ("commitment", .string(settings.commitment.rawValue)) }

    public func getMultipleAccounts(_ keys: [PublicKey]) throws(ChainError) -> Contextual<[AccountState?]> {
        precondition(keys.count <= Self.maximumAccountsPerCall, "split the keys into calls of at most 100")
        let field = Field(method: "getMultipleAccounts")
        let result = try call("getMultipleAccounts", .array([
            .array(keys.map { .string($0.base58) }), .object([commitmentField, ("encoding", .string("base64"))]),
        ]))
        return try field.contextual(result) { value throws(ChainError) in
            let items = try field.array(value, "value")
            guard items.count == keys.count else { throw field.fail("\(items.count) accounts for \(keys.count) keys") }
            var accounts: [AccountState?] = []
            for (i, item) in items.enumerated() { accounts.append(try field.account(item, "value[\(i)]")) }
            return accounts
        }
    }

    public func getAccountInfo(_ key: PublicKey) throws(ChainError) -> Contextual<AccountState?> {
        let field = Field(method: "getAccountInfo")
        let result = try call("getAccountInfo", .array([.string(key.base58), .object([commitmentField, ("encoding", .string("base64"))])]))
        return try field.contextual(result) { value throws(ChainError) in try field.account(value, "value") }
    }

    public func getBalance(_ key: PublicKey) throws(ChainError) -> Contextual<UInt64> {
        let field = Field(method: "getBalance")
        let result = try call("getBalance", .array([.string(key.base58), .object([commitmentField])]))
        return try field.contextual(result) { value throws(ChainError) in try field.uint(value, "value") }
    }

    public func getSlot() throws(ChainError) -> UInt64 {
        try Field(method: "getSlot").uint(try call("getSlot", .array([.object([commitmentField])])), "result")
    }

    public func getLatestBlockhash() throws(ChainError) -> Contextual<LatestBlockhash> {
        let field = Field(method: "getLatestBlockhash")
        let result = try call("getLatestBlockhash", .array([.object([commitmentField])]))
        return try field.contextual(result) { value throws(ChainError) in
            LatestBlockhash(blockhash: try field.key(value["blockhash"], "value.blockhash"),
                            lastValidBlockHeight: try field.uint(value["lastValidBlockHeight"], "value.lastValidBlockHeight"))
        }
    }

    public func isBlockhashValid(_ blockhash: PublicKey) throws(ChainError) -> Contextual<Bool> {
        let field = Field(method: "isBlockhashValid")
        let result = try call("isBlockhashValid", .array([.string(blockhash.base58), .object([commitmentField])]))
        return try field.contextual(result) { value throws(ChainError) in try field.bool(value, "value") }
    }

    public func getMinimumBalanceForRentExemption(dataLength: Int) throws(ChainError) -> UInt64 {
        try Field(method: "getMinimumBalanceForRentExemption").uint(
            try call("getMinimumBalanceForRentExemption", .array([.uint(UInt64(dataLength)), .object([commitmentField])])), "result")
    }

    /// The token accounts `owner` holds under one token program.
    public func getTokenAccountsByOwner(_ owner: PublicKey, programId: PublicKey) throws(ChainError) -> Contextual<[(PublicKey, AccountState)]> {
        let field = Field(method: "getTokenAccountsByOwner")
        let result = try call("getTokenAccountsByOwner", .array([
            .string(owner.base58), .object([("programId", .string(programId.base58))]),
            .object([commitmentField, ("encoding", .string("base64"))]),
        ]))
        return try field.contextual(result) { value throws(ChainError) in
            var accounts: [(PublicKey, AccountState)] = []
            for (i, item) in try field.array(value, "value").enumerated() {
                let key = try field.key(item["pubkey"], "value[\(i)].pubkey")
                guard let account = try field.account(item["account"] ?? .null, "value[\(i)].account") else {
                    throw field.fail("value[\(i)].account is null")
                }
                accounts.append((key, account))
            }
            return accounts
        }
    }

    /// Simulates `transaction` as it is: signatures unchecked, its own
    /// blockhash kept, and `accounts` returned as they would be after it.
    public func simulateTransaction(_ transaction: [UInt8], accounts: [PublicKey], minContextSlot: UInt64? = nil) throws(ChainError) -> Contextual<Simulation> {
        let field = Field(method: "simulateTransaction")
        var config: [(String, JSONValue)] = [
            ("encoding", .string("base64")), commitmentField, ("sigVerify", .bool(false)), ("replaceRecentBlockhash", .bool(false)),
            ("accounts", .object([("encoding", .string("base64")), ("addresses", .array(accounts.map { .string($0.base58) }))])),
        ]
        if let minContextSlot { config.append(("minContextSlot", .uint(minContextSlot))) }
        let result = try call("simulateTransaction", .array([.string(Data(transaction).base64EncodedString()), .object(config)]))
        return try field.contextual(result) { value throws(ChainError) in
            let states = try field.array(value["accounts"], "value.accounts")
            guard states.count == accounts.count else { throw field.fail("\(states.count) accounts for \(accounts.count) asked") }
            var after: [AccountState?] = []
            for (i, state) in states.enumerated() { after.append(try field.account(state, "value.accounts[\(i)]")) }
            var logs: [String] = []
            if let list = value["logs"], list != .null {
                for (i, line) in try field.array(list, "value.logs").enumerated() { logs.append(try field.string(line, "value.logs[\(i)]")) }
            }
            let units = value["unitsConsumed"].flatMap { $0 == .null ? nil : $0 }
            return Simulation(error: field.transactionError(value["err"]), logs: logs, accounts: after,
                              unitsConsumed: try units.map { v throws(ChainError) in try field.uint(v, "value.unitsConsumed") })
        }
    }

    /// Sends a signed transaction; the node's answer must be its first signature.
    public func sendTransaction(_ transaction: [UInt8], expecting signature: Signature) throws(ChainError) {
        let field = Field(method: "sendTransaction")
        let result = try call("sendTransaction", .array([
            .string(Data(transaction).base64EncodedString()),
            .object([("encoding", .string("base64")), ("preflightCommitment", .string(settings.commitment.rawValue))]),
        ]))
        let returned = try field.string(result, "result")
        guard returned == signature.base58 else { throw field.fail("the node returned signature \(returned), not \(signature.base58)") }
    }

    public func getSignatureStatuses(_ signatures: [Signature], searchHistory: Bool) throws(ChainError) -> Contextual<[SignatureStatus?]> {
        let field = Field(method: "getSignatureStatuses")
        let result = try call("getSignatureStatuses", .array([
            .array(signatures.map { .string($0.base58) }), .object([("searchTransactionHistory", .bool(searchHistory))]),
        ]))
        return try field.contextual(result) { value throws(ChainError) in
            let items = try field.array(value, "value")
            guard items.count == signatures.count else { throw field.fail("\(items.count) statuses for \(signatures.count) signatures") }
            var statuses: [SignatureStatus?] = []
            for (i, item) in items.enumerated() {
                if item == .null { statuses.append(nil); continue }
                _ = try field.object(item, "value[\(i)]")
                let status = item["confirmationStatus"].flatMap { $0 == .null ? nil : $0 }
                let confirmation: Commitment? = try status.map { value throws(ChainError) in
                    guard let level = Commitment(rawValue: try field.string(value, "value[\(i)].confirmationStatus")) else {
                        throw field.fail("value[\(i)].confirmationStatus is not processed, confirmed or finalized")
                    }
                    return level
                }
                statuses.append(SignatureStatus(slot: try field.uint(item["slot"], "value[\(i)].slot"),
                                                error: field.transactionError(item["err"]), confirmation: confirmation))
            }
            return statuses
        }
    }
}
