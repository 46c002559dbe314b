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
        .devFile(path: home + "/" + Keystore.devKEKFileName)
    }

    /// The name recorded in the keystore header: "passphrase" or "dev-file".
    public var kind: String {
        switch self {
        case .devFile: KEKKind.devFile.rawValue
        case .passphrase: KEKKind.passphrase.rawValue
        }
    }
}

enum KEKKind: String {
    case passphrase
    case devFile = "dev-file"
}
