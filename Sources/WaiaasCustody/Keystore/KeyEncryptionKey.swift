/// Where the key that seals the agent key comes from (docs/ARCHITECTURE.md).
public enum KeyEncryptionKey: Sendable {
    /// Development default: 32 random bytes in a file of mode 0600 (created
    /// by `Keystore.create` when missing). Anyone who can read both files has
    /// the agent key, so this protects only against copying the keystore alone.
    case devFile(path: String)
    /// A passphrase stretched with Argon2id (see `Passphrase` for its sources;
    /// never a command-line argument).
    case passphrase(SecureBytes)
    /// A data key from AWS KMS: the plaintext seals the seed, the key id and
    /// the KMS-sealed copy are stored in the keystore header (and bound into
    /// its associated data). This module never calls KMS; the daemon does.
    case kmsDataKey(KMSDataKey)

    /// The conventional dev KEK file of a daemon home: HOME/kek-dev.key.
    public static func devFile(home: String) -> KeyEncryptionKey {
        .devFile(path: HomeLayout(home).devKEK)
    }

    public var kekKind: KEKKind {
        switch self {
        case .devFile: .devFile
        case .passphrase: .passphrase
        case .kmsDataKey: .awsKMS
        }
    }

    /// The name recorded in the keystore header: "passphrase", "dev-file" or "aws-kms".
    public var kind: String { kekKind.rawValue }
}

/// Which kind of key-encryption key seals a keystore, as the keystore header
/// and config.json name it.
public enum KEKKind: String, Sendable, Codable {
    case passphrase
    case devFile = "dev-file"
    case awsKMS = "aws-kms"
}

/// A KMS data key: what `GenerateDataKey` returns and `Decrypt` recovers.
public struct KMSDataKey: Sendable {
    /// The KMS key as the operator named it (key id, ARN or alias).
    public var keyID: String
    /// The data key sealed by KMS (`CiphertextBlob`): public, and useless without KMS.
    public var encryptedDataKey: [UInt8]
    /// The 32-byte data key itself, in guarded memory.
    public var plaintext: SecureBytes

    public init(keyID: String, encryptedDataKey: [UInt8], plaintext: SecureBytes) {
        self.keyID = keyID
        self.encryptedDataKey = encryptedDataKey
        self.plaintext = plaintext
    }

    /// KMS key ids, ARNs and aliases: at most 2048 bytes of letters, digits
    /// and `:/_-.` (what AWS allows in each), so they never need escaping.
    public static func isAcceptableKeyID(_ keyID: String) -> Bool {
        let punctuation = Set(":/_-.".utf8)
        return (1...2048).contains(keyID.utf8.count)
            && keyID.utf8.allSatisfy { $0 < 0x80 && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber || punctuation.contains($0)) }
    }

    /// A KMS ciphertext blob is at most 6144 bytes.
    public static let maximumEncryptedCount = 6144
}
