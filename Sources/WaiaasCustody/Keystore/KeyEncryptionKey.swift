/// Where the key that seals the agent key comes from (docs/ARCHITECTURE.md).
public enum KeyEncryptionKey: Sendable {
    /// Development default: 32 random bytes in a file of mode 0600 (created
    /// by `Keystore.create` when missing). Anyone who can read both files has
    /// the agent key, so this protects only against copying the keystore alone.
    case devFile(path: String)
    /// A passphrase stretched with Argon2id (see `Passphrase` for its sources;
    /// never a command-line argument).
    case passphrase(SecureBytes)

    /// The conventional dev KEK file of a daemon home: HOME/kek-dev.key.
    public static func devFile(home: String) -> KeyEncryptionKey {
        .devFile(path: HomeLayout(home).devKEK)
    }

    public var kekKind: KEKKind {
        switch self {
        case .devFile: .devFile
        case .passphrase: .passphrase
        }
    }

    /// The name recorded in the keystore header: "passphrase" or "dev-file".
    public var kind: String { kekKind.rawValue }
}

/// Which kind of key-encryption key seals a keystore, as the keystore header
/// and config.json name it.
public enum KEKKind: String, Sendable, Codable {
    case passphrase
    case devFile = "dev-file"
}
