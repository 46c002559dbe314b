/// Solana's `short_vec` length: 7 bits per byte, least significant group
/// first, bit 7 = "more follows", one to three bytes, value at most 0xFFFF.
///
/// Only the canonical (shortest) encoding is accepted. The runtime rejects
/// aliases such as `80 00`, and accepting them here would let two different
/// byte strings decode to the same transaction, i.e. the message we judged
/// would not be the message that was signed.
public enum CompactU16 {
    public static func encode(_ value: Int) -> [UInt8] {
        precondition(value >= 0 && value <= 0xFFFF, "compact-u16 out of range")
        var v = value
        var out: [UInt8] = []
        while true {
            let low = UInt8(v & 0x7F)
            v >>= 7
            if v == 0 {
                out.append(low)
                return out
            }
            out.append(low | 0x80)
        }
    }

    /// Decodes at `index` of `bytes`; returns the value and the number of bytes used.
    /// `base` only shifts the offsets reported in errors.
    public static func decode(_ bytes: [UInt8], at index: Int, base: Int = 0, what: String = "compact-u16") throws(SolanaDecodeError) -> (value: UInt16, length: Int) {
        var value: UInt32 = 0
        for i in 0..<3 {
            let pos = index + i
            guard pos < bytes.count else {
                throw SolanaDecodeError.truncated(at: base &+ pos, needed: 1, what)
            }
            let byte = bytes[pos]
            // A zero byte after the first adds nothing: a non-minimal alias.
            if i > 0 && byte == 0 {
                throw SolanaDecodeError(.nonCanonicalCompactU16, offset: base &+ pos, "\(what): zero continuation byte (alias encoding)")
            }
            if i == 2 && byte & 0x80 != 0 {
                throw SolanaDecodeError(.invalidCompactU16, offset: base &+ pos, "\(what): more than three bytes")
            }
            value |= UInt32(byte & 0x7F) << (7 * UInt32(i))
            if value > 0xFFFF {
                throw SolanaDecodeError(.invalidCompactU16, offset: base &+ pos, "\(what): value exceeds 0xFFFF")
            }
            if byte & 0x80 == 0 {
                return (UInt16(value), i + 1)
            }
        }
        // Unreachable: the third byte either ends the value or threw above.
        throw SolanaDecodeError(.invalidCompactU16, offset: base &+ index, "\(what): malformed")
    }
}
