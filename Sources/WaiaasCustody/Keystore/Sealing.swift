internal import CSodium

/// XChaCha20-Poly1305 (IETF construction, libsodium) around the 32-byte
/// seed, and the key-encryption keys that feed it.
enum Sealing {
    static let keyCount = 32

    static func seal(seed: SecureBytes, key: SecureBytes, nonce: [UInt8], associatedData: [UInt8]) -> [UInt8] {
        precondition(key.count == keyCount && nonce.count == KeystoreHeader.nonceCount)
        var ciphertext = [UInt8](repeating: 0, count: seed.count + KeystoreHeader.tagCount)
        var length: UInt64 = 0
        seed.withUnsafeBytes { plain in
            key.withUnsafeBytes { k in
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                    &ciphertext, &length,
                    plain.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(plain.count),
                    associatedData, UInt64(associatedData.count),
                    nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        precondition(Int(length) == ciphertext.count)
        return ciphertext
    }

    /// The seed, decrypted straight into guarded memory, or `wrongKey` when
    /// authentication fails (wrong key, or any sealed or bound byte changed).
    static func open(header: KeystoreHeader, key: SecureBytes) throws(KeystoreError) -> SecureBytes {
        precondition(key.count == keyCount)
        let seed = try SecureBytes(count: header.ciphertext.count - KeystoreHeader.tagCount)
        let associatedData = header.associatedData()
        var length: UInt64 = 0
        let status = seed.withUnsafeMutableBytes { plain in
            key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    plain.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, nil,
                    header.ciphertext, UInt64(header.ciphertext.count),
                    associatedData, UInt64(associatedData.count),
                    header.nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard status == 0, Int(length) == seed.count else {
            throw KeystoreError(
                .wrongKey,
                "authentication failed: wrong passphrase or key-encryption key, or the keystore was modified")
        }
        return seed
    }

    /// Argon2id13 over the passphrase, into guarded memory.
    static func passphraseKey(_ passphrase: SecureBytes, kdf: KeystoreHeader.KDF) throws(KeystoreError) -> SecureBytes {
        guard (1...Passphrase.maximumLength).contains(passphrase.count) else {
            throw KeystoreError(.invalidPassphrase, "a passphrase is 1 to \(Passphrase.maximumLength) bytes, not \(passphrase.count)")
        }
        let key = try SecureBytes(count: keyCount)
        let status = key.withUnsafeMutableBytes { out in
            passphrase.withUnsafeBytes { password in
                crypto_pwhash(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(out.count),
                    password.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(password.count),
                    kdf.salt, kdf.parameters.opsLimit, kdf.parameters.memLimit,
                    crypto_pwhash_alg_argon2id13())
            }
        }
        guard status == 0 else {
            // Out of memory, in practice: the parameters were range-checked.
            throw KeystoreError(.io, "Argon2id failed (memlimit \(kdf.parameters.memLimit) bytes)")
        }
        return key
    }

    /// The header fields of a KMS data key, after checking what KMS returned.
    static func kmsHeader(_ dataKey: KMSDataKey) throws(KeystoreError) -> KeystoreHeader.KMS {
        guard dataKey.plaintext.count == keyCount else {
            throw KeystoreError(.wrongKey, "a KMS data key is \(keyCount) bytes, not \(dataKey.plaintext.count)")
        }
        guard KMSDataKey.isAcceptableKeyID(dataKey.keyID) else {
            throw KeystoreError(.unsupportedFormat, "\"\(dataKey.keyID.prefix(64))\" is not a KMS key id, ARN or alias")
        }
        guard (1...KMSDataKey.maximumEncryptedCount).contains(dataKey.encryptedDataKey.count) else {
            throw KeystoreError(.unsupportedFormat, "an encrypted data key is 1 to \(KMSDataKey.maximumEncryptedCount) bytes, not \(dataKey.encryptedDataKey.count)")
        }
        return KeystoreHeader.KMS(keyID: dataKey.keyID, encryptedDataKey: dataKey.encryptedDataKey)
    }

    /// The dev KEK file's 32 bytes, after checking its permissions.
    static func devFileKey(path: String) throws(KeystoreError) -> SecureBytes {
        let key: SecureBytes
        do {
            key = try FileAccess.readSecret(path, limit: keyCount)
        } catch where error.code == .notFound {
            throw KeystoreError(.notFound, "the dev key-encryption key file \(path) does not exist")
        }
        guard key.count == keyCount else {
            throw KeystoreError(.truncated, "\(path) holds \(key.count) bytes, not a \(keyCount)-byte key")
        }
        return key
    }

    /// Creates a dev KEK file of 32 random bytes (mode 0600) unless one exists.
    static func createDevFileKeyIfMissing(path: String) throws(KeystoreError) {
        let key = try SecureBytes.random(count: keyCount)
        do {
            try key.withUnsafeBytes { bytes throws(KeystoreError) in try FileAccess.createNew(path, bytes: bytes) }
        } catch where error.code == .alreadyExists {
            // Another keystore of this home (or an earlier attempt) made it: use that one.
        }
    }
}
