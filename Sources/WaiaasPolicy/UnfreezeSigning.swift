import WaiaasSolana

/// The message owners sign to lift a freeze (docs/FREEZE.md).
///
/// `tag || agent public key (32) || freeze ledger sequence (u64 big-endian)`.
/// Like `PolicySigning` the tag begins with 0xFF, so the message is never a
/// Solana transaction, an off-chain message or a policy approval; the agent
/// key binds it to one wallet; the sequence binds it to one freeze, so an
/// unfreeze signed for an earlier freeze can never lift a later one.
public enum UnfreezeSigning {
    public static let tag: [UInt8] = [0xFF] + Array("waiaas unfreeze v1".utf8) + [0]

    public static func message(agent: PublicKey, freezeSequence: UInt64) -> [UInt8] {
        var out = tag + agent.bytes
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: freezeSequence >> UInt64(shift))) }
        return out
    }
}
