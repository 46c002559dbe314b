internal import CSodium

/// SHA-256 fed piece by piece (libsodium), so a row is hashed without first
/// being copied into one buffer.
struct StreamingSHA256 {
    private var state = crypto_hash_sha256_state()

    init() {
        crypto_hash_sha256_init(&state)
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = crypto_hash_sha256_update(&state, buffer.baseAddress, UInt64(buffer.count))
        }
    }

    mutating func updateU32(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { raw in
            _ = crypto_hash_sha256_update(&state, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), 4)
        }
    }

    mutating func updateU64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { raw in
            _ = crypto_hash_sha256_update(&state, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), 8)
        }
    }

    /// bytes(b) of the chain encoding: u32 length, then the bytes.
    mutating func updateLengthPrefixed(_ bytes: [UInt8]) {
        updateU32(UInt32(truncatingIfNeeded: bytes.count))
        update(bytes)
    }

    mutating func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { buffer in
            // A 32-element buffer always has a base address.
            if let base = buffer.baseAddress { _ = crypto_hash_sha256_final(&state, base) }
        }
        return digest
    }

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = StreamingSHA256()
        hasher.update(bytes)
        return hasher.finish()
    }
}
