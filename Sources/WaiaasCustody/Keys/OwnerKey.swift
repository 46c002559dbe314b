public import WaiaasSolana

/// A local owner key, for development and for offline signing by the CLI.
/// In production the owner key lives in AWS KMS or with a person, never on
/// the daemon's host. The file is solana-keygen's JSON keypair format.
public final class OwnerKey: Sendable {
    public let publicKey: PublicKey
    private let key: SigningKey

    /// Loads a keypair file (see `SolanaKeypairFile.read`: private permissions,
    /// public key consistent with the seed).
    public static func load(path: String) throws(KeystoreError) -> OwnerKey {
        let (seed, _) = try SolanaKeypairFile.read(path: path)
        return try OwnerKey(seed: seed)
    }

    public init(seed: SecureBytes) throws(KeystoreError) {
        key = try SigningKey(seed: seed)
        publicKey = PublicKey(checkedBytes: key.publicKey)
    }

    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { key.sign($0) }
    }
}

extension OwnerKey: CustomStringConvertible {
    public var description: String { "OwnerKey(\(publicKey.base58))" }
}
