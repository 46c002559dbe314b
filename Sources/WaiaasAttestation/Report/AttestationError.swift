/// Why the daemon could not produce an attestation. `invalidNonce` is the
/// caller's fault (INVALID_ARGUMENT); the others are the daemon's
/// (INTERNAL or UNAVAILABLE). Messages name no key material.
public enum AttestationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The nonce must be 16 to 64 bytes.
    case invalidNonce(length: Int)
    /// A configured key or threshold is malformed (a daemon set-up error).
    case invalidConfiguration(String)
    case measurement(MeasurementError)
    /// The signing closure threw; its error is not repeated, since it may
    /// come from a key store.
    case signingFailed
    /// The signature produced does not verify under the agent key, so the
    /// signer holds another key or is broken; nothing is returned.
    case signatureDoesNotVerify
    case nitro(NSMError)

    public var description: String {
        switch self {
        case .invalidNonce(let length):
            "the nonce must be \(AttestationBuilder.nonceLengths.lowerBound) to \(AttestationBuilder.nonceLengths.upperBound) bytes, not \(length)"
        case .invalidConfiguration(let problem): "attestation configuration: \(problem)"
        case .measurement(let error): "code measurement: \(error)"
        case .signingFailed: "the agent key could not sign the report"
        case .signatureDoesNotVerify: "the report signature does not verify under the agent key"
        case .nitro(let error): "Nitro Secure Module: \(error)"
        }
    }
}
