internal import COpenSSL
internal import CWaiaasAttestationShims
import Foundation

/// One parsed X.509 certificate, owning its libcrypto `X509`. The pointer
/// never leaves this module; the class exists so it is freed exactly once.
final class X509Certificate {
    /// `X509 *`, owned.
    let pointer: OpaquePointer
    /// The DER bytes it was parsed from (fingerprints are over these).
    let derBytes: [UInt8]

    /// Parses exactly one DER certificate; trailing bytes are refused.
    init(derEncoded der: [UInt8]) throws(AttestationError) {
        guard !der.isEmpty else { throw AttestationError(.certificateMalformed, "an empty certificate") }
        let parsed = der.withUnsafeBytes { waiaas_x509_from_der($0.baseAddress, $0.count) }
        guard let parsed else { throw AttestationError(.certificateMalformed, "not DER X.509") }
        pointer = parsed
        derBytes = der
    }

    deinit { X509_free(pointer) }

    var sha256Fingerprint: [UInt8] { Digest.sha256(derBytes) }

    /// notBefore ... notAfter, as the certificate states them.
    var validity: ClosedRange<Date>? {
        var notBefore: Int64 = 0
        var notAfter: Int64 = 0
        guard waiaas_x509_validity(pointer, &notBefore, &notAfter) == 1, notBefore <= notAfter else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(notBefore)) ... Date(timeIntervalSince1970: TimeInterval(notAfter))
    }

    /// The subject's public key, if libcrypto can decode it.
    func publicKey() -> EVPPublicKey? {
        guard let key = X509_get_pubkey(pointer) else { return nil }
        return EVPPublicKey(owning: key)
    }

    /// Whether the certificate may act as a CA (basicConstraints CA:TRUE,
    /// or a v1 self-signed root), per libcrypto's X509_check_ca.
    var isCA: Bool { X509_check_ca(pointer) != 0 }

    /// False only when a keyUsage extension is present without
    /// digitalSignature; an absent extension allows every use (RFC 5280).
    var allowsDigitalSignature: Bool {
        let usage = X509_get_key_usage(pointer)
        return usage == UInt32.max || usage & UInt32(KU_DIGITAL_SIGNATURE) != 0
    }
}
