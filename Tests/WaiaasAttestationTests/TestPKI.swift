import COpenSSL
import Foundation
import XCTest
@testable import WaiaasAttestation

/// A self-made PKI shaped like the Nitro one (P-384 root → intermediate →
/// leaf, ecdsa-with-SHA384), made with libcrypto inside the test, and a
/// builder for COSE_Sign1 documents signed by its leaf the way the NSM signs.
enum TestPKI {
    struct Failure: Error, CustomStringConvertible {
        let step: String
        var description: String { "test PKI: \(step) failed" }
    }

    final class Key {
        let pointer: OpaquePointer
        init(curve: String = "P-384") throws {
            guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw Failure(step: "EVP_PKEY_CTX_new_from_name") }
            defer { EVP_PKEY_CTX_free(context) }
            var key: OpaquePointer?
            guard EVP_PKEY_keygen_init(context) == 1,
                  EVP_PKEY_CTX_set_group_name(context, curve) == 1,
                  EVP_PKEY_generate(context, &key) == 1, let key else { throw Failure(step: "keygen \(curve)") }
            pointer = key
        }
        deinit { EVP_PKEY_free(pointer) }

        /// ECDSA with SHA-384, returned as raw r||s of `2 * width` bytes.
        func signES384(_ message: [UInt8], width: Int = 48) throws -> [UInt8] {
            guard let context = EVP_MD_CTX_new() else { throw Failure(step: "EVP_MD_CTX_new") }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestSignInit(context, nil, EVP_sha384(), nil, pointer) == 1 else { throw Failure(step: "DigestSignInit") }
            var length = 0
            guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { throw Failure(step: "DigestSign size") }
            var der = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &der, &length, message, message.count) == 1 else { throw Failure(step: "DigestSign") }
            der = Array(der.prefix(length))
            let sig: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
                var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
                return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
            }
            guard let sig else { throw Failure(step: "d2i_ECDSA_SIG") }
            defer { ECDSA_SIG_free(sig) }
            var raw = [UInt8](repeating: 0, count: 2 * width)
            let ok = raw.withUnsafeMutableBufferPointer { out in
                BN_bn2binpad(ECDSA_SIG_get0_r(sig), out.baseAddress, Int32(width)) == Int32(width)
                    && BN_bn2binpad(ECDSA_SIG_get0_s(sig), out.baseAddress! + width, Int32(width)) == Int32(width)
            }
            guard ok else { throw Failure(step: "BN_bn2binpad") }
            return raw
        }
    }

    final class Certificate {
        let pointer: OpaquePointer
        let key: Key
        init(pointer: OpaquePointer, key: Key) {
            self.pointer = pointer
            self.key = key
        }
        deinit { X509_free(pointer) }

        var der: [UInt8] {
            let length = i2d_X509(pointer, nil)
            var out = [UInt8](repeating: 0, count: Int(length))
            out.withUnsafeMutableBufferPointer { buffer in
                var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
                _ = i2d_X509(pointer, &cursor)
            }
            return out
        }
    }

    struct Chain {
        let root: Certificate
        let intermediate: Certificate
        let leaf: Certificate
        var anchor: NitroTrustAnchor { NitroTrustAnchor(rootDER: root.der) }
    }

    enum Role {
        case root, intermediate(pathLength: Int), leaf, leafWithoutDigitalSignature
    }

    /// Validity defaults to one hour before and after `now`, like a young leaf.
    static func makeChain(
        now: Date = Date(), leafCurve: String = "P-384",
        leafValidity: ClosedRange<Date>? = nil
    ) throws -> Chain {
        let window = now.addingTimeInterval(-3600) ... now.addingTimeInterval(3600)
        let long = now.addingTimeInterval(-86_400 * 30) ... now.addingTimeInterval(86_400 * 30)
        let rootKey = try Key()
        let root = try makeCertificate(subject: "test.root", role: .root, key: rootKey, issuer: nil, validity: long, serial: 1)
        let intermediate = try makeCertificate(
            subject: "test.intermediate", role: .intermediate(pathLength: 0), key: try Key(), issuer: root, validity: long, serial: 2)
        let leaf = try makeCertificate(
            subject: "test.leaf", role: .leaf, key: try Key(curve: leafCurve), issuer: intermediate,
            validity: leafValidity ?? window, serial: 3)
        return Chain(root: root, intermediate: intermediate, leaf: leaf)
    }

    static func makeCertificate(
        subject: String, role: Role, key: Key, issuer: Certificate?, validity: ClosedRange<Date>, serial: Int
    ) throws -> Certificate {
        guard let cert = X509_new() else { throw Failure(step: "X509_new") }
        let made = Certificate(pointer: cert, key: key)
        guard X509_set_version(cert, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(cert), serial) == 1,
              ASN1_TIME_set(X509_getm_notBefore(cert), time_t(validity.lowerBound.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(cert), time_t(validity.upperBound.timeIntervalSince1970)) != nil,
              X509_set_pubkey(cert, key.pointer) == 1 else { throw Failure(step: "fields") }
        guard let name = X509_NAME_new() else { throw Failure(step: "X509_NAME_new") }
        defer { X509_NAME_free(name) }
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, subject, -1, -1, 0) == 1,
              X509_set_subject_name(cert, name) == 1,
              X509_set_issuer_name(cert, issuer.map { X509_get_subject_name($0.pointer) } ?? name) == 1
        else { throw Failure(step: "names") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.pointer ?? cert, cert, nil, nil, 0)
        var extensions: [(Int32, String)] = []
        switch role {
        case .root:
            extensions = [(NID_basic_constraints, "critical,CA:TRUE"), (NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature")]
        case .intermediate(let pathLength):
            extensions = [(NID_basic_constraints, "critical,CA:TRUE,pathlen:\(pathLength)"), (NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature")]
        case .leaf:
            extensions = [(NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature")]
        case .leafWithoutDigitalSignature:
            extensions = [(NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,keyEncipherment")]
        }
        extensions.append((NID_subject_key_identifier, "hash"))
        if issuer != nil { extensions.append((NID_authority_key_identifier, "keyid:always")) }
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else { throw Failure(step: "extension \(nid)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(cert, ext, -1) == 1 else { throw Failure(step: "add extension") }
        }
        let signer = issuer?.key.pointer ?? key.pointer
        guard X509_sign(cert, signer, EVP_sha384()) > 0 else { throw Failure(step: "X509_sign") }
        return made
    }

    /// The payload fields an NSM document carries, in the NSM's order.
    struct DocumentFields {
        var moduleID = "i-0123456789abcdef0-enc0123456789abcdef"
        var digest = "SHA384"
        var timestampMilliseconds: UInt64 = 1_700_000_000_000
        var pcrs: [Int: [UInt8]] = Dictionary(uniqueKeysWithValues: (0 ..< 16).map { ($0, [UInt8](repeating: UInt8($0), count: 48)) })
        var publicKey: [UInt8]?
        var userData: [UInt8]?
        var nonce: [UInt8]?
    }

    /// A COSE_Sign1 document like the NSM's, signed by `chain.leaf`.
    static func document(_ fields: DocumentFields, chain: Chain, tagged: Bool = false, algorithm: Int64 = -35) throws -> [UInt8] {
        let payload = CBOREncoder.encode(payloadItem(fields, chain: chain))
        let protected = CBOREncoder.encode(.map([.init(.unsigned(1), .int(algorithm))]))
        let toSign = CBOREncoder.encode(.array([.text("Signature1"), .bytes(protected), .bytes([]), .bytes(payload)]))
        let signature = try chain.leaf.key.signES384(toSign)
        let cose = CBOR.array([.bytes(protected), .map([]), .bytes(payload), .bytes(signature)])
        return CBOREncoder.encode(tagged ? .tagged(18, cose) : cose)
    }

    static func payloadItem(_ fields: DocumentFields, chain: Chain) -> CBOR {
        func optional(_ value: [UInt8]?) -> CBOR { value.map(CBOR.bytes) ?? .null }
        return .map([
            .init(.text("module_id"), .text(fields.moduleID)),
            .init(.text("digest"), .text(fields.digest)),
            .init(.text("timestamp"), .unsigned(fields.timestampMilliseconds)),
            .init(.text("pcrs"), .map(fields.pcrs.keys.sorted().map { .init(.unsigned(UInt64($0)), .bytes(fields.pcrs[$0]!)) })),
            .init(.text("certificate"), .bytes(chain.leaf.der)),
            .init(.text("cabundle"), .array([.bytes(chain.root.der), .bytes(chain.intermediate.der)])),
            .init(.text("public_key"), optional(fields.publicKey)),
            .init(.text("user_data"), optional(fields.userData)),
            .init(.text("nonce"), optional(fields.nonce)),
        ])
    }
}

/// A second owned reference to a test certificate (X509_dup copies it).
func X509_dup_for_test(_ certificate: TestPKI.Certificate) -> OpaquePointer {
    X509_dup(certificate.pointer)!
}
