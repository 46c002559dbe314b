/// solana-keygen's JSON keypair file: a JSON array of 64 numbers, the
/// 32-byte seed followed by the 32-byte public key, e.g. `[12,250,...]`.
/// The file is read into guarded memory and parsed there, so the seed
/// never passes through Foundation's JSON objects or the ordinary heap.
public enum SolanaKeypairFile {
    /// Keypair files are about 250 bytes; allow generous whitespace.
    static let maximumFileSize = 4096

    /// Reads a keypair file. Refused: group/world access (like ssh with
    /// private keys; solana-keygen writes 0600), anything but exactly 64
    /// integers 0...255, and a public key that is not the seed's.
    public static func read(path: String) throws(KeystoreError) -> (seed: SecureBytes, publicKey: [UInt8]) {
        let text = try FileAccess.readSecret(path, limit: maximumFileSize)
        let keypair = try SecureBytes(count: 64)
        do {
            try text.withUnsafeBytes { input throws(KeystoreError) in
                try keypair.withUnsafeMutableBytes { output throws(KeystoreError) in
                    try KeypairJSON.parse(input, into: output)
                }
            }
        } catch {
            throw KeystoreError(error.code, "\(path): \(error.message)")
        }
        let seed = try keypair.copy(0..<32)
        let recorded = keypair.withUnsafeBytes { Array($0[32..<64]) }
        let derived = try Ed25519.publicKey(seed: seed)
        let matches = derived.withUnsafeBytes { a in recorded.withUnsafeBytes { b in Sodium.constantTimeEqual(a, b) } }
        guard matches else {
            throw KeystoreError(.invalidImport, "\(path): its public key does not belong to its secret key")
        }
        return (seed, derived)
    }

    /// Generates a new key and writes it as a keypair file (mode 0600,
    /// atomically, never over an existing file). Returns the public key.
    @discardableResult
    public static func generate(path: String) throws(KeystoreError) -> [UInt8] {
        let seed = try SecureBytes.random(count: Ed25519.seedCount)
        let key = try SigningKey(seed: seed)
        let text = try SecureBytes(count: KeypairJSON.maximumLength)
        let length = try seed.withUnsafeBytes { seedBytes throws(KeystoreError) in
            text.withUnsafeMutableBytes { out in
                KeypairJSON.format(seed: seedBytes, publicKey: key.publicKey, into: out)
            }
        }
        try text.withUnsafeBytes { bytes throws(KeystoreError) in
            try FileAccess.createNew(path, bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
        return key.publicKey
    }
}
