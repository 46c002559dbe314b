internal import CSodium

/// Tags for the files the daemon keeps in its home that decide trust but
/// hold no secret: the configuration (owner set and threshold) and the
/// ledger's head anchor. Each tag is keyed BLAKE2b-256 under a key derived
/// from the agent's sealed seed, so making one needs the keystore's KEK:
/// who can only write the home cannot swap the owners for their own key,
/// nor roll the ledger back, without the daemon noticing at start.
public final class HomeAuthenticator: Sendable {
    public enum Purpose: String, Sendable, CaseIterable {
        case configuration = "waiaas home configuration v1"
        case ledgerAnchor = "waiaas ledger anchor v1"
    }

    private let configurationKey: SecureBytes
    private let ledgerAnchorKey: SecureBytes

    public init(signer: AgentSigner) throws(KeystoreError) {
        configurationKey = try signer.key.derivedKey(purpose: Purpose.configuration.rawValue)
        ledgerAnchorKey = try signer.key.derivedKey(purpose: Purpose.ledgerAnchor.rawValue)
    }

    public static let tagCount = 32

    public func tag(_ purpose: Purpose, _ message: [UInt8]) -> [UInt8] {
        let key = purpose == .configuration ? configurationKey : ledgerAnchorKey
        return key.withUnsafeBytes { key in
            var out = [UInt8](repeating: 0, count: Self.tagCount)
            _ = crypto_generichash(&out, Self.tagCount, message, UInt64(message.count), key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count)
            return out
        }
    }

    /// Compares in constant time.
    public func verify(_ purpose: Purpose, _ message: [UInt8], tag: [UInt8]) -> Bool {
        let expected = self.tag(purpose, message)
        guard tag.count == expected.count else { return false }
        return expected.withUnsafeBytes { a in tag.withUnsafeBytes { b in Sodium.constantTimeEqual(a, b) } }
    }
}
