/// The "is this on the ed25519 curve" test that decides whether a program
/// derived address is valid.
///
/// Solana calls an address on-curve iff curve25519-dalek's
/// `CompressedEdwardsY::decompress` succeeds. That decompression reads y from
/// the low 255 bits (the sign bit is ignored for the test, and y >= p is
/// reduced rather than refused) and succeeds iff x² = (y² − 1)/(d·y² + 1) has
/// a solution. libsodium's `crypto_core_ed25519_is_valid_point` is NOT the same
/// predicate: it also refuses small-order points, points outside the
/// prime-order subgroup and non-canonical encodings, so using it would call
/// some on-curve addresses off-curve and accept PDAs Solana refuses.
///
/// d·y² + 1 is never zero (−1/d is not a square mod p), so the fraction is a
/// square iff u·v is (u/v = u·v/v²), which Euler's criterion decides:
/// (u·v)^((p−1)/2) is 0 or 1 for squares and −1 otherwise. Nothing here is
/// secret, so the arithmetic need not be constant-time; it only must be exact.
enum Curve25519 {
    /// Field element mod p = 2^255 − 19 as sixteen 16-bit limbs (little
    /// endian), held in Int64 so that products and borrows never overflow.
    struct FieldElement {
        var limb: [Int64]

        init(limbs: [Int64]) { limb = limbs }

        static let one = FieldElement(limbs: [1] + [Int64](repeating: 0, count: 15))

        /// From 32 little-endian bytes, ignoring bit 255 (as dalek does).
        init(bytes: [UInt8]) {
            var l = [Int64](repeating: 0, count: 16)
            for i in 0..<16 {
                l[i] = Int64(bytes[2 * i]) | (Int64(bytes[2 * i + 1]) << 8)
            }
            l[15] &= 0x7FFF
            limb = l
        }

        static func + (a: FieldElement, b: FieldElement) -> FieldElement {
            var r = a
            for i in 0..<16 { r.limb[i] += b.limb[i] }
            return r
        }

        static func - (a: FieldElement, b: FieldElement) -> FieldElement {
            var r = a
            for i in 0..<16 { r.limb[i] -= b.limb[i] }
            return r
        }

        /// Propagates carries so each limb is back in [0, 2^16) (the top
        /// carry wraps around multiplied by 38, since 2^256 ≡ 38 mod p).
        static func carry(_ t: inout [Int64]) {
            for i in 0..<16 {
                let c = t[i] >> 16 // arithmetic shift: floor division, also for negatives
                t[i] -= c << 16
                if i < 15 { t[i + 1] += c } else { t[0] += 38 * c }
            }
        }

        static func * (a: FieldElement, b: FieldElement) -> FieldElement {
            var t = [Int64](repeating: 0, count: 31)
            for i in 0..<16 {
                for j in 0..<16 { t[i + j] += a.limb[i] * b.limb[j] }
            }
            for i in 16..<31 { t[i - 16] += 38 * t[i] }
            var r = Array(t[0..<16])
            carry(&r)
            carry(&r)
            return FieldElement(limbs: r)
        }

        /// The unique representative in [0, p) as 32 little-endian bytes.
        var canonicalBytes: [UInt8] {
            var t = limb
            Self.carry(&t); Self.carry(&t); Self.carry(&t)
            // Now 0 <= value < 2^256 with limbs normalized; subtract p up to twice.
            for _ in 0..<2 {
                var m = [Int64](repeating: 0, count: 16)
                m[0] = t[0] - 0xFFED
                for i in 1..<15 {
                    m[i] = t[i] - 0xFFFF - ((m[i - 1] >> 16) & 1)
                    m[i - 1] &= 0xFFFF
                }
                m[15] = t[15] - 0x7FFF - ((m[14] >> 16) & 1)
                m[14] &= 0xFFFF
                let borrow = (m[15] >> 16) & 1
                if borrow == 0 { // t >= p: keep t − p
                    m[15] &= 0xFFFF
                    t = m
                }
            }
            var out = [UInt8](repeating: 0, count: 32)
            for i in 0..<16 {
                out[2 * i] = UInt8(truncatingIfNeeded: t[i])
                out[2 * i + 1] = UInt8(truncatingIfNeeded: t[i] >> 8)
            }
            return out
        }
    }

    /// d = −121665/121666 mod p, the Edwards curve constant.
    static let d = FieldElement(bytes: [
        0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
        0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
    ])

    /// x^((p−1)/2). (p−1)/2 = 2^254 − 10: bits 253…4 set, bit 3 clear, bits 2 and 1 set, bit 0 clear.
    static func legendre(_ x: FieldElement) -> FieldElement {
        var r = FieldElement.one
        for bit in stride(from: 253, through: 0, by: -1) {
            r = r * r
            let set = bit >= 4 || bit == 2 || bit == 1
            if set { r = r * x }
        }
        return r
    }

    static func isOnCurve(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        let y = FieldElement(bytes: bytes)
        let y2 = y * y
        let u = y2 - FieldElement.one
        let v = d * y2 + FieldElement.one
        let e = legendre(u * v).canonicalBytes
        // 0 (u = 0, x = 0) and 1 are squares; anything else is p − 1.
        if e.allSatisfy({ $0 == 0 }) { return true }
        return e[0] == 1 && e[1...].allSatisfy { $0 == 0 }
    }
}
