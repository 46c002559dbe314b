/// A CBOR data item (RFC 8949), restricted to what attestation documents and
/// NSM messages use: integers, byte and text strings, arrays, maps, tags,
/// booleans and null. Floats, `undefined` and other simple values are not
/// representable, so the decoder refuses them instead of guessing.
public enum CBOR: Sendable, Hashable {
    /// Major type 0: 0 ... 2^64-1.
    case unsigned(UInt64)
    /// Major type 1: the value is `-1 - n`, so the full range -2^64 ... -1 fits.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBOR])
    /// Pairs in encoded order; the decoder refuses duplicate keys.
    case map([Pair])
    indirect case tagged(UInt64, CBOR)
    case bool(Bool)
    case null

    public struct Pair: Sendable, Hashable {
        public var key: CBOR
        public var value: CBOR
        public init(_ key: CBOR, _ value: CBOR) {
            self.key = key
            self.value = value
        }
    }

    /// An integer item for `value`, picking the major type by sign.
    public static func int(_ value: Int64) -> CBOR {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-(value + 1)))
    }

    /// The value for `key` when this is a map, else nil.
    public subscript(key: CBOR) -> CBOR? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The value for a text key when this is a map, else nil.
    public subscript(text key: String) -> CBOR? { self[.text(key)] }

    /// The integer value when it fits an Int64.
    public var int64Value: Int64? {
        switch self {
        case .unsigned(let n): n <= UInt64(Int64.max) ? Int64(n) : nil
        case .negative(let n): n <= UInt64(Int64.max) ? -1 - Int64(n) : nil
        default: nil
        }
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    public var textValue: String? {
        if case .text(let t) = self { return t }
        return nil
    }

    public var arrayValue: [CBOR]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var mapValue: [Pair]? {
        if case .map(let m) = self { return m }
        return nil
    }

    public var isNull: Bool { self == .null }
}
