/// Why bytes are not a CBOR item this codec accepts. Offsets are byte
/// positions in the input, to point at the problem without echoing content.
public enum CBORError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended inside an item.
    case truncated(offset: Int)
    /// An indefinite-length string, array or map (additional info 31).
    case indefiniteLength(offset: Int)
    /// Additional info 28...30, which RFC 8949 reserves.
    case reservedAdditionalInfo(offset: Int)
    /// Floats, `undefined`, and simple values other than false/true/null.
    case unsupportedSimpleValue(offset: Int)
    /// A text string that is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// A map has the same key twice, so its meaning would depend on the reader.
    case duplicateMapKey(offset: Int)
    /// Arrays, maps and tags nested deeper than the limit.
    case tooDeep(limit: Int)
    /// The input, or a declared length, is larger than the limit.
    case tooLarge(limit: Int)
    /// Bytes remain after the single top-level item.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let o): "CBOR input ends inside an item (at byte \(o))"
        case .indefiniteLength(let o): "indefinite-length CBOR item at byte \(o) (only definite lengths are accepted)"
        case .reservedAdditionalInfo(let o): "reserved CBOR additional information at byte \(o)"
        case .unsupportedSimpleValue(let o): "unsupported CBOR simple value or float at byte \(o)"
        case .invalidUTF8(let o): "CBOR text string at byte \(o) is not UTF-8"
        case .duplicateMapKey(let o): "duplicate CBOR map key at byte \(o)"
        case .tooDeep(let limit): "CBOR nesting deeper than \(limit)"
        case .tooLarge(let limit): "CBOR input or length larger than \(limit) bytes"
        case .trailingBytes(let o): "trailing bytes after the CBOR item, from byte \(o)"
        }
    }
}
