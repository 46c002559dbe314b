internal import COpenSSL
internal import CSodium

/// SHA-256 through OpenSSL's EVP interface, which uses the CPU's SHA
/// extensions where it has them (this machine's Xeon does): about 7× faster
/// than libsodium's portable C for an 800-byte ledger row, and the Sign path
/// hashes three times (the message digest, the request digest, the chain
/// link). Where OpenSSL offers no SHA-256 (a provider configuration without
/// it), libsodium computes the same function.
public enum SHA256 {
    public static func hash(_ parts: [[UInt8]]) -> [UInt8] {
        var hasher = Hasher()
        for part in parts { hasher.update(part) }
        return hasher.finish()
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] { hash([bytes]) }

    /// SHA-256 fed piece by piece, so that a value is hashed without first
    /// being copied into one buffer. Not copyable: it owns an OpenSSL context.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer?
        private var fallback = crypto_hash_sha256_state()

        public init() {
            self.init(openSSL: fetchedAlgorithm)
        }

        /// `openSSL` nil: libsodium (what a configuration without SHA-256 gets; tests use it directly).
        init(openSSL algorithm: OpaquePointer?) {
            if let algorithm, let context = EVP_MD_CTX_new() {
                if EVP_DigestInit_ex(context, algorithm, nil) == 1 {
                    self.context = context
                    return
                }
                EVP_MD_CTX_free(context)
            }
            context = nil
            crypto_hash_sha256_init(&fallback)
        }

        deinit {
            if let context { EVP_MD_CTX_free(context) }
        }

        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// The value's 8 bytes, most significant first.
        public mutating func update(bigEndian value: UInt64) {
            withUnsafeBytes(of: value.bigEndian) { update($0) }
        }

        /// The value's 4 bytes, most significant first.
        public mutating func update(bigEndian value: UInt32) {
            withUnsafeBytes(of: value.bigEndian) { update($0) }
        }

        private mutating func update(_ raw: UnsafeRawBufferPointer) {
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            if let context {
                // Fails only on a context that did not initialise, which `init` rules out.
                _ = EVP_DigestUpdate(context, base, raw.count)
            } else {
                _ = crypto_hash_sha256_update(&fallback, base.assumingMemoryBound(to: UInt8.self), UInt64(raw.count))
            }
        }

        /// The digest; the hasher must not be fed after this.
        public mutating func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: 32)
            digest.withUnsafeMutableBufferPointer { buffer in
                // A 32-element buffer always has a base address.
                guard let base = buffer.baseAddress else { return }
                if let context {
                    var length: UInt32 = 0
                    _ = EVP_DigestFinal_ex(context, base, &length)
                } else {
                    _ = crypto_hash_sha256_final(&fallback, base)
                }
            }
            return digest
        }
    }
}

/// Fetched once: an implicit fetch on every init costs about as much as
/// hashing a short message. EVP_MD objects are immutable and safe to share
/// between threads, hence nonisolated(unsafe) on an immutable global.
nonisolated(unsafe) private let fetchedAlgorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
