/// A strict CBOR decoder: definite lengths only, bounded depth and size,
/// duplicate map keys refused, exactly one item per input. Attacker-supplied
/// documents reach it before any signature is checked, so every length is
/// checked against the remaining input before anything is allocated, and
/// recursion is bounded by `maximumDepth`.
public struct CBORDecoder: Sendable {
    /// NSM responses are at most 12 KiB; 64 KiB leaves room for documents
    /// from other producers without letting a caller allocate without bound.
    public static let defaultMaximumSize = 64 * 1024
    /// A Nitro document nests four levels (COSE array, payload map, pcrs or
    /// cabundle, items); 16 is generous and keeps the recursion shallow.
    public static let defaultMaximumDepth = 16

    public var maximumSize: Int
    public var maximumDepth: Int

    public init(maximumSize: Int = CBORDecoder.defaultMaximumSize, maximumDepth: Int = CBORDecoder.defaultMaximumDepth) {
        self.maximumSize = maximumSize
        self.maximumDepth = maximumDepth
    }

    /// Decodes exactly one item from `bytes`.
    public func decode(_ bytes: [UInt8]) throws(AttestationError) -> CBOR {
        guard bytes.count <= maximumSize else { throw AttestationError(.cborTooLarge, "CBOR input or length larger than \(maximumSize) bytes") }
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth)
        let item = try reader.item(depth: 0)
        guard reader.offset == bytes.count else { throw .cbor(.cborTrailingBytes, at: reader.offset, "trailing bytes after the CBOR item") }
        return item
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var offset = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(AttestationError) -> UInt8 {
        guard offset < bytes.count else { throw .cbor(.cborTruncated, at: offset, "CBOR input ends inside an item") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int) throws(AttestationError) -> [UInt8] {
        guard count <= remaining else { throw .cbor(.cborTruncated, at: offset, "CBOR input ends inside an item") }
        defer { offset += count }
        return Array(bytes[offset ..< offset + count])
    }

    /// The argument of an item head: the value in the additional info or
    /// the 1, 2, 4 or 8 bytes after it.
    mutating func argument(_ info: UInt8, at start: Int) throws(AttestationError) -> UInt64 {
        switch info {
        case 0 ... 23: return UInt64(info)
        case 24 ... 27:
            var value: UInt64 = 0
            for _ in 0 ..< (1 << Int(info - 24)) { value = value << 8 | UInt64(try byte()) }
            return value
        case 31: throw .cbor(.cborIndefiniteLength, at: start, "indefinite-length CBOR item (only definite lengths are accepted)")
        default: throw .cbor(.cborReservedAdditionalInfo, at: start, "reserved CBOR additional information")
        }
    }

    /// A declared length as an Int, refused when the input cannot hold it
    /// (every element takes at least one byte), so a huge count never
    /// reaches an allocation.
    /// Reads the head's argument first, so the check sees the offset after it.
    mutating func length(_ info: UInt8, at start: Int, minimumBytesEach: Int) throws(AttestationError) -> Int {
        let value = try argument(info, at: start)
        guard value <= UInt64(remaining / minimumBytesEach) else { throw .cbor(.cborTruncated, at: offset, "CBOR input ends inside an item") }
        return Int(value)
    }

    mutating func item(depth: Int) throws(AttestationError) -> CBOR {
        let start = offset
        let head = try byte()
        let major = head >> 5
        let info = head & 0x1F
        switch major {
        case 0:
            return .unsigned(try argument(info, at: start))
        case 1:
            return .negative(try argument(info, at: start))
        case 2:
            let count = try length(info, at: start, minimumBytesEach: 1)
            return .bytes(try take(count))
        case 3:
            let count = try length(info, at: start, minimumBytesEach: 1)
            let raw = try take(count)
            guard let text = String(validating: raw, as: UTF8.self) else { throw .cbor(.cborInvalidUTF8, at: start, "CBOR text string is not UTF-8") }
            return .text(text)
        case 4:
            let count = try length(info, at: start, minimumBytesEach: 1)
            guard depth < maximumDepth else { throw AttestationError(.cborTooDeep, "CBOR nesting deeper than \(maximumDepth)") }
            var items: [CBOR] = []
            items.reserveCapacity(count)
            for _ in 0 ..< count { items.append(try item(depth: depth + 1)) }
            return .array(items)
        case 5:
            let count = try length(info, at: start, minimumBytesEach: 2)
            guard depth < maximumDepth else { throw AttestationError(.cborTooDeep, "CBOR nesting deeper than \(maximumDepth)") }
            var pairs: [CBOR.Pair] = []
            pairs.reserveCapacity(count)
            var seen = Set<CBOR>()
            for _ in 0 ..< count {
                let keyOffset = offset
                let key = try item(depth: depth + 1)
                guard seen.insert(key).inserted else { throw .cbor(.cborDuplicateMapKey, at: keyOffset, "duplicate CBOR map key") }
                pairs.append(CBOR.Pair(key, try item(depth: depth + 1)))
            }
            return .map(pairs)
        case 6:
            let tag = try argument(info, at: start)
            guard depth < maximumDepth else { throw AttestationError(.cborTooDeep, "CBOR nesting deeper than \(maximumDepth)") }
            return .tagged(tag, try item(depth: depth + 1))
        default:
            switch info {
            case 20: return .bool(false)
            case 21: return .bool(true)
            case 22: return .null
            case 31: throw .cbor(.cborIndefiniteLength, at: start, "indefinite-length CBOR item (only definite lengths are accepted)")  // a "break" with no indefinite item open
            case 28 ... 30: throw .cbor(.cborReservedAdditionalInfo, at: start, "reserved CBOR additional information")
            default: throw .cbor(.cborUnsupportedSimpleValue, at: start, "unsupported CBOR simple value or float")
            }
        }
    }
}
