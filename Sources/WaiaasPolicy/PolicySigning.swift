import WaiaasSolana

/// The message owners sign to put a policy in force (docs/ARCHITECTURE.md).
///
/// `tag || agent public key (32) || version (u64 big-endian) || SHA-256(policy bytes)`.
/// The tag begins with 0xFF, so the message can never be a Solana transaction
/// message (whose first byte is never 0xFF) nor an off-chain message (whose
/// domain continues "solana offchain"); the agent key binds it to one wallet;
/// the version makes replaying an older policy useless; the hash binds the
/// exact bytes. Hashing keeps the message short enough for KMS's ED25519 RAW
/// signing (at most 4096 bytes) whatever the policy's size.
public enum PolicySigning {
    public static let tag: [UInt8] = [0xFF] + Array("waiaas set-policy v1".utf8) + [0]

    public static func message(agent: PublicKey, version: UInt64, policy: [UInt8]) -> [UInt8] {
        var out = tag + agent.bytes
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: version >> UInt64(shift))) }
        return out + SHA256.hash(policy)
    }
}
