/// Encodes CBOR items with the shortest head for every argument (RFC 8949
/// section 4.2.1 preferred serialization) and maps in the order given, which
/// is what the NSM's serde-based decoder accepts.
public enum CBOREncoder {
    public static func encode(_ item: CBOR) -> [UInt8] {
        var out: [UInt8] = []
        append(item, to: &out)
        return out
    }

    private static func head(_ major: UInt8, _ argument: UInt64, to out: inout [UInt8]) {
        let m = major << 5
        switch argument {
        case 0 ..< 24:
            out.append(m | UInt8(argument))
        case 24 ... 0xFF:
            out.append(m | 24)
            out.append(UInt8(argument))
        case 0x100 ... 0xFFFF:
            out.append(m | 25)
            bigEndian(argument, byteCount: 2, to: &out)
        case 0x1_0000 ... 0xFFFF_FFFF:
            out.append(m | 26)
            bigEndian(argument, byteCount: 4, to: &out)
        default:
            out.append(m | 27)
            bigEndian(argument, byteCount: 8, to: &out)
        }
    }

    private static func bigEndian(_ value: UInt64, byteCount: Int, to out: inout [UInt8]) {
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    private static func append(_ item: CBOR, to out: inout [UInt8]) {
        switch item {
        case .unsigned(let n): head(0, n, to: &out)
        case .negative(let n): head(1, n, to: &out)
        case .bytes(let b):
            head(2, UInt64(b.count), to: &out)
            out += b
        case .text(let t):
            let utf8 = Array(t.utf8)
            head(3, UInt64(utf8.count), to: &out)
            out += utf8
        case .array(let items):
            head(4, UInt64(items.count), to: &out)
            for element in items { append(element, to: &out) }
        case .map(let pairs):
            head(5, UInt64(pairs.count), to: &out)
            for pair in pairs {
                append(pair.key, to: &out)
                append(pair.value, to: &out)
            }
        case .tagged(let tag, let inner):
            head(6, tag, to: &out)
            append(inner, to: &out)
        case .bool(let flag): out.append(flag ? 0xF5 : 0xF4)
        case .null: out.append(0xF6)
        }
    }
}
