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
    /// A field element mod p = 2^255 − 19 in five 51-bit limbs, little
    /// endian. Limbs may exceed 51 bits a little between reductions (never
    /// 2^54), so the 128-bit sums of products in `*` never overflow. Stored
    /// properties rather than an array: one test is about 270
    /// multiplications, and policy compilation runs thousands of tests (one
    /// per associated token account it derives).
    struct FieldElement: Equatable {
        var l0, l1, l2, l3, l4: UInt64

        static let mask: UInt64 = (1 << 51) - 1
        static let zero = FieldElement(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0)
        static let one = FieldElement(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0)

        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
            (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
        }

        /// From 32 little-endian bytes, ignoring bit 255 (as dalek does).
        init(bytes: [UInt8]) {
            func word(_ i: Int) -> UInt64 {
                (0..<8).reduce(0) { $0 | UInt64(bytes[8 * i + $1]) << (8 * $1) }
            }
            let (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3) & ~(1 << 63))
            self.init(l0: w0 & Self.mask, l1: (w0 >> 51 | w1 << 13) & Self.mask, l2: (w1 >> 38 | w2 << 26) & Self.mask,
                      l3: (w2 >> 25 | w3 << 39) & Self.mask, l4: w3 >> 12)
        }

        /// Carries each limb's excess into the next; the top one wraps
        /// around multiplied by 19 (2^255 ≡ 19 mod p).
        static func reduce(_ r0: UInt128, _ r1: UInt128, _ r2: UInt128, _ r3: UInt128, _ r4: UInt128) -> FieldElement {
            let m = UInt128(mask)
            var (r0, r1, r2, r3, r4) = (r0, r1, r2, r3, r4)
            r1 += r0 >> 51; r0 &= m
            r2 += r1 >> 51; r1 &= m
            r3 += r2 >> 51; r2 &= m
            r4 += r3 >> 51; r3 &= m
            r0 += 19 * (r4 >> 51); r4 &= m
            r1 += r0 >> 51; r0 &= m
            return FieldElement(l0: UInt64(r0), l1: UInt64(r1), l2: UInt64(r2), l3: UInt64(r3), l4: UInt64(r4))
        }

        static func + (a: FieldElement, b: FieldElement) -> FieldElement {
            reduce(UInt128(a.l0 + b.l0), UInt128(a.l1 + b.l1), UInt128(a.l2 + b.l2), UInt128(a.l3 + b.l3), UInt128(a.l4 + b.l4))
        }

        /// a − b, computed as a + 4p − b so that no limb goes below zero.
        static func - (a: FieldElement, b: FieldElement) -> FieldElement {
            let low = 4 * ((1 << 51) - 19) as UInt64, high = 4 * mask
            return reduce(UInt128(a.l0 + low - b.l0), UInt128(a.l1 + high - b.l1), UInt128(a.l2 + high - b.l2),
                          UInt128(a.l3 + high - b.l3), UInt128(a.l4 + high - b.l4))
        }

        static func * (a: FieldElement, b: FieldElement) -> FieldElement {
            func p(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) * UInt128(y) }
            // Products that land at 2^255 and above come back multiplied by 19.
            let (b1, b2, b3, b4) = (19 * b.l1, 19 * b.l2, 19 * b.l3, 19 * b.l4)
            let r0 = p(a.l0, b.l0) + p(a.l1, b4) + p(a.l2, b3) + p(a.l3, b2) + p(a.l4, b1)
            let r1 = p(a.l0, b.l1) + p(a.l1, b.l0) + p(a.l2, b4) + p(a.l3, b3) + p(a.l4, b2)
            let r2 = p(a.l0, b.l2) + p(a.l1, b.l1) + p(a.l2, b.l0) + p(a.l3, b4) + p(a.l4, b3)
            let r3 = p(a.l0, b.l3) + p(a.l1, b.l2) + p(a.l2, b.l1) + p(a.l3, b.l0) + p(a.l4, b4)
            let r4 = p(a.l0, b.l4) + p(a.l1, b.l3) + p(a.l2, b.l2) + p(a.l3, b.l1) + p(a.l4, b.l0)
            return reduce(r0, r1, r2, r3, r4)
        }

        /// self^(2^n).
        func squared(times n: Int) -> FieldElement {
            var r = self
            for _ in 0..<n { r = r * r }
            return r
        }

        /// The unique representative in [0, p).
        var canonical: FieldElement {
            // A reduce leaves every limb below 2^51 except l1, which can
            // exceed it by the last carry; three passes leave all five
            // below 2^51 (the third carries at most 1 from l0 into l1 when
            // l0 is small).
            var r = self
            for _ in 0..<3 { r = Self.reduce(UInt128(r.l0), UInt128(r.l1), UInt128(r.l2), UInt128(r.l3), UInt128(r.l4)) }
            // The value is now below 2^255 (< 2p); q = 1 iff it is at least p, i.e. value + 19 ≥ 2^255.
            var q = (r.l0 + 19) >> 51
            q = (r.l1 + q) >> 51
            q = (r.l2 + q) >> 51
            q = (r.l3 + q) >> 51
            q = (r.l4 + q) >> 51
            // Subtract q·p: add 19q, drop bit 255.
            var c = r.l0 + 19 * q
            r.l0 = c & Self.mask; c = r.l1 + (c >> 51)
            r.l1 = c & Self.mask; c = r.l2 + (c >> 51)
            r.l2 = c & Self.mask; c = r.l3 + (c >> 51)
            r.l3 = c & Self.mask; c = r.l4 + (c >> 51)
            r.l4 = c & Self.mask
            return r
        }
    }

    /// d = −121665/121666 mod p, the Edwards curve constant.
    static let d = FieldElement(bytes: [
        0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
        0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
    ])

    /// x^((p−1)/2) = x^(2^254 − 10) = (x^(2^250 − 1))^(2^4) · x^6, with the
    /// usual addition chain for x^(2^250 − 1): 254 squarings, 12 multiplications.
    static func legendre(_ x: FieldElement) -> FieldElement {
        let x2 = x * x
        let x9 = x2.squared(times: 2) * x
        let x11 = x9 * x2
        let e5 = (x11 * x11) * x9                 // 2^5 − 1 (x^22 · x^9 = x^31)
        let e10 = e5.squared(times: 5) * e5
        let e20 = e10.squared(times: 10) * e10
        let e40 = e20.squared(times: 20) * e20
        let e50 = e40.squared(times: 10) * e10
        let e100 = e50.squared(times: 50) * e50
        let e200 = e100.squared(times: 100) * e100
        let e250 = e200.squared(times: 50) * e50
        let x6 = x2 * x2 * x2
        return e250.squared(times: 4) * x6
    }

    static func isOnCurve(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        let y = FieldElement(bytes: bytes)
        let y2 = y * y
        let u = y2 - FieldElement.one
        let v = d * y2 + FieldElement.one
        // 0 (u = 0, x = 0) and 1 are squares; anything else is p − 1.
        let e = legendre(u * v).canonical
        return e == .zero || e == .one
    }
}
