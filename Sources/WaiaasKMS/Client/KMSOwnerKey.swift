public import WaiaasSolana
internal import WaiaasCustody

/// An owner key held in AWS KMS: KeySpec `ECC_NIST_EDWARDS25519`, KeyUsage
/// `SIGN_VERIFY`. The public key is read once and checked; every signature
/// KMS returns is verified against it before anyone sees it, so a wrong key,
/// alias or algorithm can never put a bad signature into a file.
public struct KMSOwnerKey: Sendable {
    public let keyID: String
    public let publicKey: PublicKey
    private let client: KMSClient

    public init(client: KMSClient, keyID: String) throws(KMSError) {
        let info = try client.getPublicKey(keyID: keyID)
        guard info.keySpec == "ECC_NIST_EDWARDS25519" else {
            throw KMSError(.wrongKey, "KMS key \(keyID) has KeySpec \(info.keySpec), not ECC_NIST_EDWARDS25519")
        }
        guard info.keyUsage == "SIGN_VERIFY" else {
            throw KMSError(.wrongKey, "KMS key \(keyID) has KeyUsage \(info.keyUsage), not SIGN_VERIFY")
        }
        guard info.signingAlgorithms.contains("ED25519_SHA_512") else {
            throw KMSError(.wrongKey, "KMS key \(keyID) does not offer ED25519_SHA_512")
        }
        self.keyID = keyID
        self.publicKey = try Ed25519SubjectPublicKeyInfo.publicKey(info.subjectPublicKeyInfo)
        self.client = client
    }

    /// A 64-byte PureEdDSA signature that verifies under `publicKey`.
    public func sign(_ message: [UInt8]) throws(KMSError) -> [UInt8] {
        let signature = try client.signEd25519(keyID: keyID, message: message)
        guard signature.count == Ed25519.signatureCount else {
            throw KMSError(.badSignature, "KMS returned a \(signature.count)-byte signature, not \(Ed25519.signatureCount)")
        }
        guard Ed25519.verify(signature: signature, message: message, publicKey: publicKey.bytes) else {
            throw KMSError(.badSignature, "the signature KMS returned for key \(keyID) does not verify under its public key \(publicKey.base58); nothing was written")
        }
        return signature
    }
}

/// RFC 8410's id-Ed25519 SubjectPublicKeyInfo, which has exactly one DER
/// encoding: SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (0 unused) 32 bytes }.
public enum Ed25519SubjectPublicKeyInfo {
    static let prefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    public static func publicKey(_ der: [UInt8]) throws(KMSError) -> PublicKey {
        guard der.count == prefix.count + 32, der.starts(with: prefix), let key = PublicKey(bytes: Array(der[prefix.count...])) else {
            throw KMSError(.wrongKey, "the public key is not an Ed25519 SubjectPublicKeyInfo (\(der.count) bytes)")
        }
        return key
    }
}
