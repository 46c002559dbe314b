internal import WaiaasSolana

internal import CSodium

/// Ed25519 (RFC 8032, libsodium) as Solana uses it: 32-byte public keys,
/// 64-byte signatures over the exact message bytes.
public enum Ed25519 {
    public static let publicKeyCount = 32
    public static let seedCount = 32
    public static let secretKeyCount = 64
    public static let signatureCount = 64

    /// True only for a valid signature; false on any wrong length, never a trap.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        message.withUnsafeBytes { verify(signature: signature, message: $0, publicKey: publicKey) }
    }

    public static func verify(signature: [UInt8], message: UnsafeRawBufferPointer, publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureCount, publicKey.count == publicKeyCount else { return false }
        Sodium.ensureReady()
        let start = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        return crypto_sign_verify_detached(signature, start, UInt64(message.count), publicKey) == 0
    }

    /// The public key of a 32-byte seed, without keeping the secret key.
    static func publicKey(seed: SecureBytes) throws(KeystoreError) -> [UInt8] {
        try SigningKey(seed: seed).publicKey
    }
}

/// An ed25519 key pair whose 64-byte secret key (seed || public key) sits in
/// read-only-for-life guarded memory; shared by AgentSigner and OwnerKey.
/// Signing is lock-free and safe from any number of threads: libsodium's
/// crypto_sign_detached only reads the secret key.
final class SigningKey: Sendable {
    let publicKey: [UInt8]
    private let secretKey: SecureBytes

    init(seed: SecureBytes) throws(KeystoreError) {
        guard seed.count == Ed25519.seedCount else {
            throw KeystoreError(.invalidImport, "an ed25519 seed is \(Ed25519.seedCount) bytes, not \(seed.count)")
        }
        Sodium.ensureReady()
        var publicKey = [UInt8](repeating: 0, count: Ed25519.publicKeyCount)
        secretKey = try SecureBytes(readOnlyCount: Ed25519.secretKeyCount) { secret in
            seed.withUnsafeBytes { seedBytes in
                _ = crypto_sign_seed_keypair(
                    &publicKey,
                    secret.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    seedBytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        self.publicKey = publicKey
    }

    /// A 32-byte key for `purpose`, derived from the seed (keyed BLAKE2b:
    /// the seed is the key, the purpose the message) into guarded memory.
    /// Who can derive it holds the agent key, so it authenticates files the
    /// daemon writes into its home.
    func derivedKey(purpose: String) throws(KeystoreError) -> SecureBytes {
        try secretKey.withUnsafeBytes { secret throws(KeystoreError) in
            try SecureBytes(readOnlyCount: 32) { out in
                let context = Array(purpose.utf8)
                // The first 32 bytes of libsodium's secret key are the seed.
                _ = crypto_generichash(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, context, UInt64(context.count),
                                       secret.baseAddress!.assumingMemoryBound(to: UInt8.self), 32)
            }
        }
    }

    func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        secretKey.withUnsafeBytes { secret in
            [UInt8](unsafeUninitializedCapacity: Ed25519.signatureCount) { signature, initialized in
                // crypto_sign_detached cannot fail for a well-formed key.
                _ = crypto_sign_detached(
                    signature.baseAddress!, nil,
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                    secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
                initialized = Ed25519.signatureCount
            }
        }
    }
}

extension PublicKey {
    /// A key libsodium derived, or one a keystore header already checked to
    /// be 32 bytes: anything else is a bug, not input.
    init(checkedBytes bytes: [UInt8]) {
        guard let key = PublicKey(bytes: bytes) else { preconditionFailure("an ed25519 public key is 32 bytes, got \(bytes.count)") }
        self = key
    }
}
