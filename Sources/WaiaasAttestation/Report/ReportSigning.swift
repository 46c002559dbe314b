internal import CSodium

/// How the agent key signs reports (docs/ARCHITECTURE.md): over a domain tag
/// that begins with 0xFF, then the report bytes. A Solana message never
/// begins with 0xFF, and off-chain messages carry a different header, so no
/// signed report can be replayed as a transaction or an off-chain message.
public enum ReportSigning {
    public static let domainTag: [UInt8] = [0xFF] + Array("waiaas attestation report v1".utf8)

    /// The exact bytes the agent key signs: tag || report.
    public static func signingMessage(report: [UInt8]) -> [UInt8] { domainTag + report }

    /// Ed25519 (libsodium) over `signingMessage(report:)`.
    public static func isValidSignature(_ signature: [UInt8], report: [UInt8], agentPublicKey: [UInt8]) -> Bool {
        guard signature.count == Int(crypto_sign_BYTES), agentPublicKey.count == Int(crypto_sign_PUBLICKEYBYTES) else { return false }
        _ = SodiumInitialisation.done
        let message = signingMessage(report: report)
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), agentPublicKey) == 0
    }
}

/// sodium_init once per process; it is idempotent but not free.
enum SodiumInitialisation {
    static let done: Bool = sodium_init() >= 0
}
