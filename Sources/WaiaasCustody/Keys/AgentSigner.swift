public import WaiaasSolana

/// The agent's ed25519 key, opened from the keystore. The secret key never
/// leaves guarded memory and no API returns it: only signatures come out.
///
/// Thread-safe and fast: any number of threads may sign at once without a
/// lock (libsodium crypto_sign_detached on read-only guarded memory).
public final class AgentSigner: Sendable {
    public let publicKey: PublicKey
    let key: SigningKey

    /// Derives the key pair from a 32-byte seed; the seed may be freed after.
    public init(seed: SecureBytes) throws(KeystoreError) {
        key = try SigningKey(seed: seed)
        publicKey = PublicKey(checkedBytes: key.publicKey)
    }

    /// Signs exactly `message` (a Solana transaction signs its message bytes).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { key.sign($0) }
    }

    public func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        key.sign(message)
    }
}

extension AgentSigner: CustomStringConvertible {
    public var description: String { "AgentSigner(\(publicKey.base58))" }
}
