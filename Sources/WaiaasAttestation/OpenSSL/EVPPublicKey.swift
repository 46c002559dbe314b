internal import COpenSSL
internal import CWaiaasAttestationShims

/// A public key owned from libcrypto (`EVP_PKEY *`), freed on deinit.
final class EVPPublicKey {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// The curve name when this is an EC key ("secp384r1" for P-384).
    var curveName: String? {
        guard EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC else { return nil }
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        let ok = buffer.withUnsafeMutableBufferPointer { EVP_PKEY_get_group_name(pointer, $0.baseAddress, $0.count, &length) }
        guard ok == 1 else { return nil }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var isP384: Bool { curveName == "secp384r1" }

    /// ES384 (RFC 8152): ECDSA over P-384 with SHA-384, the signature as raw
    /// r||s of 48 bytes each. Any other curve or length is a failure, so a
    /// P-256 leaf cannot pass for the NSM's key.
    func isValidES384Signature(_ rawSignature: [UInt8], for message: [UInt8]) -> Bool {
        guard isP384, rawSignature.count == 96 else { return false }
        var der = [UInt8](repeating: 0, count: 128)
        let derLength = rawSignature.withUnsafeBytes { raw in
            der.withUnsafeMutableBytes { out in
                waiaas_ecdsa_raw_to_der(raw.baseAddress, raw.count, out.baseAddress, out.count)
            }
        }
        guard derLength > 0 else { return false }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha384(), nil, pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = der.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, derLength, msg.baseAddress, msg.count)
            }
        }
        // A bad signature leaves an entry on the thread's error queue; drop it
        // so it cannot be misattributed to a later, unrelated call.
        ERR_clear_error()
        return result == 1
    }
}
