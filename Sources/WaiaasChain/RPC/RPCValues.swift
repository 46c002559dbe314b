import Foundation
import WaiaasSolana

/// An account as a node reports it.
public struct AccountState: Sendable, Equatable {
    public var lamports: UInt64
    public var owner: PublicKey
    public var data: [UInt8]
    public var executable: Bool

    public init(lamports: UInt64, owner: PublicKey, data: [UInt8], executable: Bool) {
        self.lamports = lamports
        self.owner = owner
        self.data = data
        self.executable = executable
    }
}

/// A value and the slot the node read it at.
public struct Contextual<Value: Sendable>: Sendable {
    public var slot: UInt64
    public var value: Value
}

extension Contextual: Equatable where Value: Equatable {}

public struct LatestBlockhash: Sendable, Equatable {
    public var blockhash: PublicKey
    public var lastValidBlockHeight: UInt64
}

public struct SignatureStatus: Sendable, Equatable {
    public var slot: UInt64
    /// The transaction's error as the node wrote it, or nil when it succeeded.
    public var error: String?
    /// `processed`, `confirmed` or `finalized`; nil when the node does not say.
    public var confirmation: Commitment?
}

public struct Simulation: Sendable, Equatable {
    /// The error as the node wrote it, or nil when the transaction succeeded.
    public var error: String?
    public var logs: [String]
    /// The requested accounts after the transaction, in request order.
    public var accounts: [AccountState?]
    public var unitsConsumed: UInt64?
}

/// Reading typed values out of a node's JSON, strictly: a field of the
/// wrong type, or a missing one, is a malformed answer, never a default.
struct Field {
    let method: String

    func fail(_ what: String) -> ChainError { ChainError(.malformed, "\(method): \(what)") }

    func object(_ value: JSONValue?, _ name: String) throws(ChainError) -> JSONValue {
        guard let value, case .object = value else { throw fail("\(name) is not an object") }
        return value
    }

    func array(_ value: JSONValue?, _ name: String) throws(ChainError) -> [JSONValue] {
        guard case .array(let items)? = value else { throw fail("\(name) is not an array") }
        return items
    }

    func uint(_ value: JSONValue?, _ name: String) throws(ChainError) -> UInt64 {
        guard case .uint(let number)? = value else { throw fail("\(name) is not a non-negative integer") }
        return number
    }

    func bool(_ value: JSONValue?, _ name: String) throws(ChainError) -> Bool {
        guard case .bool(let flag)? = value else { throw fail("\(name) is not a boolean") }
        return flag
    }

    func string(_ value: JSONValue?, _ name: String) throws(ChainError) -> String {
        guard case .string(let text)? = value else { throw fail("\(name) is not a string") }
        return text
    }

    func key(_ value: JSONValue?, _ name: String) throws(ChainError) -> PublicKey {
        guard let key = PublicKey(base58: try string(value, name)) else { throw fail("\(name) is not a base58 public key") }
        return key
    }

    /// `{"context": {"slot": n, ...}, "value": v}`.
    func contextual<Value>(_ result: JSONValue, _ read: (JSONValue) throws(ChainError) -> Value) throws(ChainError) -> Contextual<Value> {
        let context = try object(result["context"], "context")
        let slot = try uint(context["slot"], "context.slot")
        guard let value = result["value"] else { throw fail("value is missing") }
        return Contextual(slot: slot, value: try read(value))
    }

    /// An account object, or nil for `null`; data must be `[base64, "base64"]`.
    func account(_ value: JSONValue, _ name: String) throws(ChainError) -> AccountState? {
        if value == .null { return nil }
        let account = try object(value, name)
        let data = try array(account["data"], "\(name).data")
        guard data.count == 2, data[1] == .string("base64"), case .string(let encoded) = data[0],
              let bytes = Data(base64Encoded: encoded) else {
            throw fail("\(name).data is not [base64, \"base64\"]")
        }
        return AccountState(
            lamports: try uint(account["lamports"], "\(name).lamports"), owner: try key(account["owner"], "\(name).owner"),
            data: Array(bytes), executable: try bool(account["executable"], "\(name).executable"))
    }

    /// A transaction error is kept as the node's JSON text: it is shown, never interpreted.
    func transactionError(_ value: JSONValue?) -> String? {
        guard let value, value != .null else { return nil }
        return value.serialized()
    }
}
