import WaiaasSolana

/// The chain encoding's SHA-256 (WaiaasSolana.SHA256, OpenSSL), fed piece by
/// piece so a row is hashed without first being copied into one buffer.
struct StreamingSHA256: ~Copyable {
    private var hasher = SHA256.Hasher()

    init() {}

    mutating func update(_ bytes: [UInt8]) {
        hasher.update(bytes)
    }

    mutating func updateU32(_ value: UInt32) {
        hasher.update(bigEndian: value)
    }

    mutating func updateU64(_ value: UInt64) {
        hasher.update(bigEndian: value)
    }

    /// bytes(b) of the chain encoding: u32 length, then the bytes.
    mutating func updateLengthPrefixed(_ bytes: [UInt8]) {
        updateU32(UInt32(truncatingIfNeeded: bytes.count))
        update(bytes)
    }

    mutating func finish() -> [UInt8] {
        hasher.finish()
    }

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = StreamingSHA256()
        hasher.update(bytes)
        return hasher.finish()
    }
}
