internal import CSodium

/// SHA-256 through libsodium, which the daemon links anyway for its keys.
public enum SHA256 {
    public static func hash(_ parts: [[UInt8]]) -> [UInt8] {
        var state = crypto_hash_sha256_state()
        crypto_hash_sha256_init(&state)
        for part in parts {
            part.withUnsafeBufferPointer { buf in
                _ = crypto_hash_sha256_update(&state, buf.baseAddress, UInt64(buf.count))
            }
        }
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBufferPointer { buf in
            // A 32-element buffer always has a base address.
            if let base = buf.baseAddress { _ = crypto_hash_sha256_final(&state, base) }
        }
        return out
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] { hash([bytes]) }
}
