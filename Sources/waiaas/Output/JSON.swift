import WaiaasAttestation
import WaiaasSolana

/// The CLI's one JSON writer is `JSONValue` (ordered keys, exact integers);
/// these are the shorthands its `--json` outputs share.
extension JSONValue {
    /// Any integer, exactly.
    static func integer<Integer: BinaryInteger>(_ value: Integer) -> JSONValue {
        value < 0 ? .int(Int64(value)) : .uint(UInt64(value))
    }

    /// Lower-case hex, as digests and hashes are shown.
    static func hexString(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }

    /// Base58, as Solana shows keys and signatures.
    static func base58(_ bytes: [UInt8]) -> JSONValue { .string(Base58.encode(bytes)) }

    /// A policy reason: `{"code", "message"}`.
    static func reason(code: String, message: String) -> JSONValue {
        .object([("code", .string(code)), ("message", .string(message))])
    }

    /// The value on one line, for text output: strings bare, booleans
    /// yes/no, lists comma-separated, objects as key=value.
    var plain: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "yes" : "no"
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .number(let text): text
        case .string(let text): text
        case .array(let items): items.map(\.plain).joined(separator: ", ")
        case .object(let pairs): pairs.map { "\($0.0)=\($0.1.plain)" }.joined(separator: " ")
        }
    }
}
