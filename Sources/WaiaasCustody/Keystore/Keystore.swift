public import WaiaasSolana

/// The agent keystore: the agent's ed25519 seed, sealed under a
/// key-encryption key, in `HOME/keystore.json` (mode 0600).
///
/// File format (JSON object, UTF-8, keys in this order when written):
/// ```
/// {
///   "format": "waiaas-keystore-v1",
///   "publicKey": "<base58, 32 bytes: the agent's address>",
///   "kek": "passphrase" | "dev-file" | "aws-kms",
///   "kdf": {                                   // only for "passphrase"
///     "algorithm": "argon2id13",               // libsodium crypto_pwhash ALG_ARGON2ID13
///     "opslimit": 2, "memlimit": 67108864,     // Argon2 passes and bytes
///     "salt": "<base64, 16 bytes>"
///   },
///   "kms": {                                   // only for "aws-kms"
///     "keyId": "<the KMS key id, ARN or alias>",
///     "encryptedDataKey": "<base64: GenerateDataKey's CiphertextBlob>"
///   },
///   "cipher": "xchacha20poly1305-ietf",
///   "nonce": "<base64, 24 bytes>",
///   "ciphertext": "<base64, 48 bytes: the sealed 32-byte seed and its 16-byte tag>"
/// }
/// ```
/// The AEAD's associated data binds every clear field but the nonce (which
/// is the AEAD's own input), so editing any of them fails authentication;
/// see `KeystoreHeader.associatedData()` for the exact bytes. After
/// decryption the public key is derived again from the seed and compared
/// (in constant time) with the header. Unknown fields, a missing field, an
/// unknown format, cipher, kek kind or KDF, or out-of-range Argon2 costs are
/// refused before any work is done. The dev-file KEK is 32 raw random bytes;
/// an AWS KMS KEK is the plaintext of the data key, which the daemon gets
/// from KMS `Decrypt` at every start (this module never calls KMS).
public enum Keystore {
    /// A keystore is about 600 bytes; anything far larger is not one.
    static let maximumFileSize = 64 * 1024

    /// Generates the agent key inside this process (or takes `seed`, e.g.
    /// from `SolanaKeypairFile.read`), seals it and writes HOME/keystore.json
    /// atomically, never over an existing one (`alreadyExists`). HOME is
    /// created (0700) when missing. For `.devFile`, the KEK file is created
    /// (32 random bytes, 0600) when missing.
    public static func create(
        home: String,
        kek: KeyEncryptionKey,
        importing importedSeed: SecureBytes? = nil,
        argon2: Argon2Parameters = .interactive
    ) throws(KeystoreError) -> AgentSigner {
        Sodium.ensureReady()
        try FileAccess.ensureDirectory(home)
        let path = HomeLayout(home).keystore
        // Checked first so that a refused create leaves no new KEK file behind;
        // the final link(2) is what actually guarantees no overwrite.
        guard !FileAccess.exists(path) else {
            throw KeystoreError(.alreadyExists, "\(path) already exists; refusing to overwrite it")
        }
        if let importedSeed, importedSeed.count != Ed25519.seedCount {
            throw KeystoreError(.invalidImport, "an imported seed is \(Ed25519.seedCount) bytes, not \(importedSeed.count)")
        }
        let seed: SecureBytes
        if let imported = importedSeed {
            seed = imported
        } else {
            seed = try SecureBytes.random(count: Ed25519.seedCount)
        }
        let signer = try AgentSigner(seed: seed)

        let key: SecureBytes
        var header = KeystoreHeader(publicKey: signer.publicKey.bytes, kek: .devFile, kdf: nil, nonce: [], ciphertext: [])
        switch kek {
        case .devFile(let kekPath):
            try Sealing.createDevFileKeyIfMissing(path: kekPath)
            key = try Sealing.devFileKey(path: kekPath)
        case .passphrase(let passphrase):
            guard argon2.isAcceptable else {
                throw KeystoreError(
                    .unsupportedFormat,
                    "Argon2 parameters out of range (opslimit \(argon2.opsLimit), memlimit \(argon2.memLimit))")
            }
            let kdf = KeystoreHeader.KDF(parameters: argon2, salt: Sodium.randomBytes(KeystoreHeader.saltCount))
            header.kek = .passphrase
            header.kdf = kdf
            key = try Sealing.passphraseKey(passphrase, kdf: kdf)
        case .kmsDataKey(let dataKey):
            header.kek = .awsKMS
            header.kms = try Sealing.kmsHeader(dataKey)
            key = dataKey.plaintext
        }
        header.nonce = Sodium.randomBytes(KeystoreHeader.nonceCount)
        header.ciphertext = Sealing.seal(seed: seed, key: key, nonce: header.nonce, associatedData: header.associatedData())
        try header.json().withBytes { bytes throws(KeystoreError) in try FileAccess.createNew(path, bytes: bytes) }
        return signer
    }

    /// Opens HOME/keystore.json. A wrong key, a truncated or a modified file
    /// each give their own error; nothing is ever written.
    public static func open(home: String, kek: KeyEncryptionKey) throws(KeystoreError) -> AgentSigner {
        Sodium.ensureReady()
        let header = try readHeader(home: home, requirePrivate: true)
        guard header.kek.rawValue == kek.kind else {
            throw KeystoreError(
                .wrongKey,
                "the keystore is sealed with a \(header.kek.rawValue) key-encryption key, not a \(kek.kind) one")
        }
        let key: SecureBytes
        switch kek {
        case .devFile(let kekPath):
            key = try Sealing.devFileKey(path: kekPath)
        case .passphrase(let passphrase):
            // Non-nil: parse() requires "kdf" exactly when the kind is passphrase.
            key = try Sealing.passphraseKey(passphrase, kdf: header.kdf!)
        case .kmsDataKey(let dataKey):
            // Non-nil: parse() requires "kms" exactly when the kind is aws-kms.
            guard try Sealing.kmsHeader(dataKey) == header.kms! else {
                throw KeystoreError(.wrongKey, "the data key given is not the one this keystore records (key \(header.kms!.keyID))")
            }
            key = dataKey.plaintext
        }
        let seed = try Sealing.open(header: header, key: key)
        let signer = try AgentSigner(seed: seed)
        let matches = signer.publicKey.bytes.withUnsafeBytes { derived in
            header.publicKey.withUnsafeBytes { recorded in Sodium.constantTimeEqual(derived, recorded) }
        }
        guard matches else {
            throw KeystoreError(.tampered, "the sealed key is not the key named in the keystore header")
        }
        return signer
    }

    /// The agent's public key from the clear header; no KEK needed. The
    /// whole file is still parsed and checked.
    public static func publicKey(home: String) throws(KeystoreError) -> PublicKey {
        PublicKey(checkedBytes: try readHeader(home: home).publicKey)
    }

    /// The KMS key and encrypted data key an `aws-kms` keystore records, for
    /// the daemon to `Decrypt`; nil for every other kind. No KEK needed.
    public static func kmsDataKeyReference(home: String) throws(KeystoreError) -> (keyID: String, encryptedDataKey: [UInt8], agent: PublicKey)? {
        let header = try readHeader(home: home, requirePrivate: true)
        guard let kms = header.kms else { return nil }
        return (kms.keyID, kms.encryptedDataKey, PublicKey(checkedBytes: header.publicKey))
    }

    /// "passphrase", "dev-file" or "aws-kms", from the clear header.
    public static func kekKind(home: String) throws(KeystoreError) -> String {
        try readHeader(home: home).kek.rawValue
    }

    /// The parsed keystore file. Opening it to unseal the key requires it to
    /// be private to this user (`requirePrivate`): the sealed seed is safe
    /// only as long as its key-encryption key is, and a passphrase-sealed
    /// file others can read invites an offline guessing attack. Reading the
    /// clear header alone (public key, KEK kind) does not.
    static func readHeader(home: String, requirePrivate: Bool = false) throws(KeystoreError) -> KeystoreHeader {
        let path = HomeLayout(home).keystore
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readPublic(path, limit: maximumFileSize, requirePrivate: requirePrivate)
        } catch where error.code == .notFound {
            throw KeystoreError(.notFound, "no keystore at \(path)")
        }
        do {
            return try KeystoreHeader.parse(bytes)
        } catch {
            throw KeystoreError(error.code, "\(path): \(error.message)")
        }
    }
}
