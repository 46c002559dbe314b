import WaiaasSolana

/// One x402 `exact` requirement on Solana, parsed from what the agent
/// passed (the resource server's answer, relayed by the agent: untrusted).
/// Only its shape is checked here; what the payment does is judged on the
/// transaction the daemon builds from it, with the mint read from the chain.
struct X402Requirements: Sendable {
    /// The requirements object exactly as given: echoed in v2's `accepted`.
    var object: JSONValue
    var version: UInt32
    var network: String
    var payTo: PublicKey
    var asset: PublicKey
    var amount: UInt64
    var feePayer: PublicKey
    var memo: [UInt8]?
    var recentBlockhash: Blockhash?

    static let maximumBytes = 64 * 1024
    static let maximumMemoBytes = 256

    /// CAIP-2 (v2) and v1's names of Solana's clusters.
    static let solanaNetworks: Set<String> = [
        "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z",
        "solana", "solana-devnet", "solana-testnet",
    ]

    struct Refusal: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// A requirements object, or a 402 body whose `accepts` holds one
    /// `exact` entry for a Solana network (the first such entry is taken).
    static func parse(_ text: String) throws(Refusal) -> X402Requirements {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumBytes else { throw Refusal("requirements must be 1 to \(maximumBytes) bytes of JSON, got \(bytes.count)") }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw Refusal("requirements are not JSON: \(error)")
        }
        guard case .object = root else { throw Refusal("requirements must be a JSON object") }
        let declared = root["x402Version"].flatMap(integer)
        if let accepts = root["accepts"] {
            guard case .array(let entries) = accepts else { throw Refusal("\"accepts\" must be a list") }
            guard let chosen = entries.first(where: { string($0["scheme"]) == "exact" && solanaNetworks.contains(string($0["network"]) ?? "") }) else {
                throw Refusal("the 402 body accepts no \"exact\" payment on a Solana network (\(entries.count) entries)")
            }
            return try requirement(chosen, version: declared ?? 2)
        }
        return try requirement(root, version: declared ?? (root["maxAmountRequired"] != nil ? 1 : 2))
    }

    private static func requirement(_ object: JSONValue, version: UInt64) throws(Refusal) -> X402Requirements {
        guard case .object = object else { throw Refusal("a payment requirement must be an object") }
        guard version == 1 || version == 2 else { throw Refusal("x402Version \(version) is not 1 or 2") }
        guard string(object["scheme"]) == "exact" else { throw Refusal("scheme \"\(string(object["scheme"]) ?? "")\" is not \"exact\"") }
        let network = string(object["network"]) ?? ""
        guard solanaNetworks.contains(network) else { throw Refusal("network \"\(network)\" is not a Solana network") }
        let amountField = version == 1 ? "maxAmountRequired" : "amount"
        guard let amountText = string(object[amountField]), !amountText.isEmpty, amountText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let amount = UInt64(amountText), amount > 0 else {
            throw Refusal("\"\(amountField)\" must be a positive integer in base units, as a string")
        }
        let payTo = try key(object["payTo"], "payTo")
        let asset = try key(object["asset"], "asset")
        let extra = object["extra"] ?? .object([])
        guard case .object = extra else { throw Refusal("\"extra\" must be an object") }
        let feePayer = try key(extra["feePayer"], "extra.feePayer")
        var memo: [UInt8]?
        if let value = extra["memo"] {
            guard let text = string(value) else { throw Refusal("\"extra.memo\" must be a string") }
            guard text.utf8.count <= maximumMemoBytes else { throw Refusal("\"extra.memo\" is longer than \(maximumMemoBytes) bytes") }
            if !text.isEmpty { memo = Array(text.utf8) }
        }
        var blockhash: Blockhash?
        if let value = extra["recentBlockhash"] {
            guard let text = string(value), let hash = Blockhash(base58: text) else {
                throw Refusal("\"extra.recentBlockhash\" must be a base58 32-byte hash")
            }
            blockhash = hash
        }
        return X402Requirements(object: object, version: UInt32(version), network: network, payTo: payTo, asset: asset, amount: amount,
                                feePayer: feePayer, memo: memo, recentBlockhash: blockhash)
    }

    private static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private static func integer(_ value: JSONValue) -> UInt64? {
        switch value {
        case .uint(let n): n
        case .int(let n) where n >= 0: UInt64(n)
        default: nil
        }
    }

    private static func key(_ value: JSONValue?, _ name: String) throws(Refusal) -> PublicKey {
        guard let text = string(value), let key = PublicKey(base58: text) else { throw Refusal("\"\(name)\" must be a base58 32-byte address") }
        return key
    }
}
