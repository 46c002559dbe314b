internal import COpenSSL
public import WaiaasCustody

/// The ephemeral RSA-2048 key an enclave names in KMS's `Recipient`
/// parameter (through the public key in its attestation document). KMS then
/// answers with `CiphertextForRecipient`: a CMS EnvelopedData (RFC 5652)
/// whose content key is wrapped with RSAES-OAEP-SHA-256 to this key and whose
/// content, the secret, is AES-256-CBC. The private key never leaves this
/// object and is freed (OpenSSL clears it) when the object goes.
public final class RecipientKey: @unchecked Sendable {
    private let key: OpaquePointer

    /// A new RSA-2048 key (e = 65537), as AWS's Nitro Enclaves SDK makes one.
    public init() throws(KMSError) {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw Self.failure("no RSA implementation") }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) == 1,
              EVP_PKEY_generate(context, &generated) == 1, let generated
        else { throw Self.failure("RSA-2048 key generation failed") }
        key = generated
    }

    /// A private key from DER (PKCS#8 or PKCS#1): for tests with a fixed envelope.
    public init(privateKeyDER der: [UInt8]) throws(KMSError) {
        var cursor: UnsafePointer<UInt8>? = nil
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            cursor = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw Self.failure("not a DER private key") }
        guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else {
            EVP_PKEY_free(parsed)
            throw KMSError(.envelope, "the recipient key is not RSA")
        }
        key = parsed
    }

    deinit { EVP_PKEY_free(key) }

    /// DER SubjectPublicKeyInfo: what the attestation document's `public_key` carries.
    public var subjectPublicKeyInfo: [UInt8] {
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_PUBKEY(key, &cursor)
        }
        return out
    }

    /// Opens a DER CMS ContentInfo holding EnvelopedData, into guarded memory.
    /// Errors are reported as they are (no decoy key on failure): the daemon
    /// opens one envelope from KMS at start, so it is no padding oracle.
    public func open(envelope der: [UInt8], expectedCount: Int? = nil) throws(KMSError) -> SecureBytes {
        ERR_clear_error()
        guard der.count <= 64 * 1024 else { throw KMSError(.envelope, "an envelope of \(der.count) bytes is larger than any KMS returns") }
        var cursor: UnsafePointer<UInt8>? = nil
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            cursor = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
        }
        guard let cms = parsed else { throw Self.failure("CiphertextForRecipient is not a DER CMS ContentInfo") }
        defer { CMS_ContentInfo_free(cms) }
        guard OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_enveloped else {
            throw KMSError(.envelope, "the CMS content is not EnvelopedData")
        }
        // Secure-heap memory BIO: its buffer is cleared when freed.
        guard let output = BIO_new(BIO_s_secmem()) else { throw Self.failure("no memory BIO") }
        defer { BIO_free(output) }
        let flags = UInt32(CMS_BINARY | CMS_DEBUG_DECRYPT)
        guard CMS_decrypt(cms, key, nil, nil, output, flags) == 1 else {
            throw Self.failure("the envelope does not open with the recipient key (wrong key, or modified)")
        }
        let pending = Int(BIO_ctrl_pending(output))
        guard pending > 0, pending <= 4096 else { throw KMSError(.envelope, "the envelope holds \(pending) bytes, not a KMS plaintext") }
        if let expectedCount, pending != expectedCount {
            throw KMSError(.envelope, "the envelope holds \(pending) bytes, not \(expectedCount)")
        }
        let secret: SecureBytes
        do { secret = try SecureBytes(count: pending) } catch { throw KMSError(.secureMemory, error.message) }
        let read = secret.withUnsafeMutableBytes { BIO_read(output, $0.baseAddress, Int32($0.count)) }
        guard Int(read) == pending else { throw KMSError(.envelope, "could not read the opened envelope") }
        return secret
    }

    private static func failure(_ what: String) -> KMSError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0, reasons.count < 4 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return KMSError(.envelope, reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }
}
