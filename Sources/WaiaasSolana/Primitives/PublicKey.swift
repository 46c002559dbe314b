/// A 32-byte Solana address (an ed25519 public key or a program-derived
/// address). Stored as four words so it is cheap to hash and compare; the
/// policy engine uses these as dictionary keys constantly.
public struct PublicKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Big-endian words so that `<` orders like the raw bytes (as Solana's
    // `Pubkey` Ord does), which keeps sorted outputs identical to solders'.
    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    public static let byteCount = 32

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        func word(_ i: Int) -> UInt64 {
            var v: UInt64 = 0
            for j in 0..<8 { v = (v << 8) | UInt64(bytes[i * 8 + j]) }
            return v
        }
        w0 = word(0); w1 = word(1); w2 = word(2); w3 = word(3)
    }

    public init?(base58: String) {
        // 32 bytes are at most 44 base58 characters; refuse longer strings
        // before doing quadratic work on them.
        guard base58.utf8.count <= 44, let bytes = Base58.decode(base58) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for w in [w0, w1, w2, w3] {
            for j in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: w >> (8 * UInt64(j)))) }
        }
        return out
    }

    public var base58: String { Base58.encode(bytes) }
    public var description: String { base58 }

    public static let zero = PublicKey(bytes: [UInt8](repeating: 0, count: 32))!

    public static func < (a: PublicKey, b: PublicKey) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }

    /// True iff these 32 bytes decompress to a point of the ed25519 curve,
    /// with the semantics of curve25519-dalek that Solana uses (see `Curve25519`).
    public var isOnCurve: Bool { Curve25519.isOnCurve(bytes) }
}

/// The recent blockhash (or, for durable-nonce transactions, the nonce) has
/// the same 32-byte shape and base58 spelling as a key.
public typealias Blockhash = PublicKey

/// An ed25519 signature: 64 bytes.
public struct Signature: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 64 else { return nil }
        self.bytes = bytes
    }

    /// The placeholder solders and web3.js put where a signer has not signed yet.
    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }
    public var base58: String { Base58.encode(bytes) }
    public var description: String { base58 }
}
