/// Borsh, the encoding of Anchor programs' accounts and arguments: fixed
/// little-endian integers, `Vec` as a u32 count then the items, `Option` as
/// a 0/1 tag then the value, `String` as a `Vec<u8>` of UTF-8. Reads are as
/// strict as the rest of the codec: a tag other than 0 or 1, text that is
/// not UTF-8, or a count the remaining bytes cannot hold is refused.
extension ByteReader {
    mutating func readBool(_ what: String) throws(SolanaDecodeError) -> Bool {
        try readFlag(what, "bool byte")
    }

    mutating func readI64LE(_ what: String) throws(SolanaDecodeError) -> Int64 {
        Int64(bitPattern: try readU64LE(what))
    }

    /// An `Option` tag: true when a value follows.
    mutating func readOptionTag(_ what: String) throws(SolanaDecodeError) -> Bool {
        try readFlag(what, "option tag")
    }

    /// A byte that must be 0 (false) or 1 (true).
    private mutating func readFlag(_ what: String, _ kind: String) throws(SolanaDecodeError) -> Bool {
        let start = position
        switch try readU8(what) {
        case 0: return false
        case 1: return true
        case let byte: throw SolanaDecodeError(.invalidOption, offset: start, "\(what): \(kind) \(byte) is not 0 or 1")
        }
    }

    /// A collection count, refused when the remaining bytes cannot hold that
    /// many items of at least `minimumItemSize` bytes (so a forged count
    /// never makes the decoder reserve memory the input does not back).
    mutating func readCount(_ width: Int, minimumItemSize: Int, _ what: String) throws(SolanaDecodeError) -> Int {
        let start = position
        let count: Int = switch width {
        case 1: Int(try readU8(what))
        case 2: Int(try readU16LE(what))
        default: Int(try readU32LE(what))
        }
        guard minimumItemSize == 0 || count <= remaining / minimumItemSize else {
            throw SolanaDecodeError.truncated(at: start, needed: count * minimumItemSize - remaining, "\(what) (\(count) items)")
        }
        return count
    }

    mutating func readBorshKeys(_ what: String) throws(SolanaDecodeError) -> [PublicKey] {
        let count = try readCount(4, minimumItemSize: 32, what)
        var keys: [PublicKey] = []
        keys.reserveCapacity(count)
        for _ in 0..<count { keys.append(try readPublicKey(what)) }
        return keys
    }

    mutating func readBorshBytes(_ what: String) throws(SolanaDecodeError) -> [UInt8] {
        try readBytes(try readCount(4, minimumItemSize: 1, what), what)
    }

    mutating func readBorshOptionalString(_ what: String) throws(SolanaDecodeError) -> String? {
        guard try readOptionTag(what) else { return nil }
        let start = position
        let bytes = try readBorshBytes(what)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SolanaDecodeError(.invalidUTF8, offset: start, "\(what) is not UTF-8")
        }
        return text
    }

    mutating func readOptionalPublicKey(_ what: String) throws(SolanaDecodeError) -> PublicKey? {
        try readOptionTag(what) ? try readPublicKey(what) : nil
    }
}

extension Array where Element == UInt8 {
    mutating func appendBorshBytes(_ bytes: [UInt8]) {
        appendU32LE(UInt32(bytes.count))
        append(contentsOf: bytes)
    }

    mutating func appendBorshOptionalString(_ text: String?) {
        guard let text else { return append(0) }
        append(1)
        appendBorshBytes(Array(text.utf8))
    }
}
