/// A bounds-checked cursor over untrusted bytes. Every read either returns
/// data that is really there or throws `truncated` naming the offset, so
/// decoders never index out of range and never trap on attacker input.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// Offset of `bytes[0]` in the caller's coordinate system, so errors from
    /// nested decoders (an instruction's data) still point into the whole input.
    let base: Int

    init(_ bytes: [UInt8], base: Int = 0) {
        self.bytes = bytes
        self.offset = 0
        self.base = base
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }
    /// Absolute position, for error messages.
    var position: Int { base &+ offset }

    mutating func readU8(_ what: String) throws(SolanaDecodeError) -> UInt8 {
        guard offset < bytes.count else {
            throw SolanaDecodeError.truncated(at: position, needed: 1, what)
        }
        let v = bytes[offset]
        offset += 1
        return v
    }

    func peekU8() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    mutating func readBytes(_ count: Int, _ what: String) throws(SolanaDecodeError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw SolanaDecodeError.truncated(at: position, needed: count - remaining, what)
        }
        let out = Array(bytes[offset..<(offset + count)])
        offset += count
        return out
    }

    mutating func readU16LE(_ what: String) throws(SolanaDecodeError) -> UInt16 {
        let b = try readBytes(2, what)
        return UInt16(b[0]) | (UInt16(b[1]) << 8)
    }

    mutating func readU32LE(_ what: String) throws(SolanaDecodeError) -> UInt32 {
        let b = try readBytes(4, what)
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = (v << 8) | UInt32(b[i]) }
        return v
    }

    mutating func readU64LE(_ what: String) throws(SolanaDecodeError) -> UInt64 {
        let b = try readBytes(8, what)
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = (v << 8) | UInt64(b[i]) }
        return v
    }

    mutating func readPublicKey(_ what: String) throws(SolanaDecodeError) -> PublicKey {
        let b = try readBytes(32, what)
        // Exactly 32 bytes were read, so the failable initializer cannot fail.
        guard let key = PublicKey(bytes: b) else {
            throw SolanaDecodeError(.internal, offset: position, "public key length")
        }
        return key
    }

    /// A canonical compact-u16 (see `CompactU16`).
    mutating func readCompactU16(_ what: String) throws(SolanaDecodeError) -> Int {
        let (value, length) = try CompactU16.decode(bytes, at: offset, base: base, what: what)
        offset += length
        return Int(value)
    }

    /// Refuses trailing bytes: the runtime's deserializers for transactions
    /// reject them, and anything we cannot account for must not be signed.
    func expectEnd(_ what: String) throws(SolanaDecodeError) {
        if offset != bytes.count {
            throw SolanaDecodeError(.trailingBytes, offset: position, "\(bytes.count - offset) unexpected byte(s) after \(what)")
        }
    }
}

/// Little-endian appenders for the encoder side.
extension Array where Element == UInt8 {
    mutating func appendU16LE(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func appendU32LE(_ v: UInt32) {
        for i in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    mutating func appendU64LE(_ v: UInt64) {
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    mutating func appendCompactU16(_ v: Int) {
        append(contentsOf: CompactU16.encode(v))
    }
}
