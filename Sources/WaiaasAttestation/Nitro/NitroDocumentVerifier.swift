import Foundation
import WaiaasSolana

/// What verifying a Nitro document found: every check, and the decoded
/// payload when it could be decoded (whether or not it verified).
public struct NitroDocumentVerification: Sendable {
    public let result: VerificationResult
    public let document: NitroAttestationDocument?
}

/// Verifies an NSM attestation document: COSE_Sign1 structure, ES384 by the
/// leaf certificate, the chain leaf → cabundle intermediates → the pinned
/// root at a given time, the root's fingerprint, and then what the caller
/// expects of user_data, nonce and PCRs.
public struct NitroDocumentVerifier: Sendable {
    public var trustAnchor: NitroTrustAnchor
    public var decoder: CBORDecoder

    public init(trustAnchor: NitroTrustAnchor = .awsNitroEnclavesRootG1, decoder: CBORDecoder = CBORDecoder()) {
        self.trustAnchor = trustAnchor
        self.decoder = decoder
    }

    /// Verifies against the AWS Nitro Enclaves root.
    public static func verify(
        document: [UInt8], at time: Date, expectedNonce: [UInt8]? = nil,
        expectedUserData: [UInt8]? = nil, expectedPCRs: [Int: [UInt8]] = [:]
    ) -> VerificationResult {
        NitroDocumentVerifier().verify(document: document, at: time, expectedNonce: expectedNonce,
                                       expectedUserData: expectedUserData, expectedPCRs: expectedPCRs)
    }

    public func verify(
        document: [UInt8], at time: Date, expectedNonce: [UInt8]? = nil,
        expectedUserData: [UInt8]? = nil, expectedPCRs: [Int: [UInt8]] = [:]
    ) -> VerificationResult {
        evaluate(document: document, at: time, expectedNonce: expectedNonce,
                 expectedUserData: expectedUserData, expectedPCRs: expectedPCRs).result
    }

    public func evaluate(
        document bytes: [UInt8], at time: Date, expectedNonce: [UInt8]? = nil,
        expectedUserData: [UInt8]? = nil, expectedPCRs: [Int: [UInt8]] = [:]
    ) -> NitroDocumentVerification {
        var result = VerificationResult()
        var pending = [
            "nitro.cose_algorithm", "nitro.payload", "nitro.certificates", "nitro.root_fingerprint",
            "nitro.certificate_chain", "nitro.signature",
        ]
        if expectedUserData != nil { pending.append("nitro.user_data") }
        if expectedNonce != nil { pending.append("nitro.nonce") }
        pending += expectedPCRs.keys.sorted().map { "nitro.pcr\($0)" }

        // Records every expected check that has not run, then returns.
        func stop(_ reason: String, document: NitroAttestationDocument? = nil) -> NitroDocumentVerification {
            let recorded = Set(result.checks.map(\.name))
            result.notEvaluated(pending.filter { !recorded.contains($0) }, because: reason)
            return NitroDocumentVerification(result: result, document: document)
        }

        // 1. The envelope.
        let cose: COSESign1
        do {
            cose = try COSESign1(decoding: bytes, decoder: decoder)
            result.pass("nitro.cose_structure", "COSE_Sign1, \(bytes.first == 0xD2 ? "tagged" : "untagged")")
        } catch {
            result.fail("nitro.cose_structure", "\(error)")
            return stop("the document is not a COSE_Sign1 message")
        }
        guard cose.algorithm == COSESign1.es384 else {
            result.fail("nitro.cose_algorithm", "protected algorithm \(cose.algorithm.map(String.init) ?? "absent"), not ES384 (-35)")
            return stop("the algorithm is not ES384")
        }
        result.pass("nitro.cose_algorithm", "ES384")

        // 2. The payload.
        let document: NitroAttestationDocument
        do {
            document = try NitroAttestationDocument(payload: cose.payload, decoder: decoder)
            result.pass("nitro.payload", "module \(document.moduleID), \(document.pcrs.count) PCRs, \(document.caBundle.count) CA certificates")
        } catch {
            result.fail("nitro.payload", "\(error)")
            return stop("the payload is not a valid attestation document")
        }

        // 3. Certificates: all must parse, the leaf must hold a P-384 key.
        let leaf: X509Certificate
        let bundle: [X509Certificate]
        let leafKey: EVPPublicKey
        do {
            leaf = try X509Certificate(derEncoded: document.certificate)
            bundle = try document.caBundle.map { der throws(AttestationError) in try X509Certificate(derEncoded: der) }
        } catch {
            result.fail("nitro.certificates", "a certificate is not DER X.509")
            return stop("the certificates could not be used", document: document)
        }
        guard let key = leaf.publicKey(), key.isP384 else {
            result.fail("nitro.certificates", "the leaf certificate's key is not ECDSA P-384")
            return stop("the certificates could not be used", document: document)
        }
        // AWS's rules for the leaf: an end entity that signs. A CA leaf
        // could otherwise mint further "leaves" under the chain.
        guard !leaf.isCA, leaf.allowsDigitalSignature else {
            result.fail("nitro.certificates", leaf.isCA ? "the leaf certificate is a CA" : "the leaf certificate's key usage excludes digitalSignature")
            return stop("the certificates could not be used", document: document)
        }
        leafKey = key
        result.pass("nitro.certificates", "leaf and \(bundle.count) CA certificates parse; leaf key P-384, end entity")

        // 4. The root: cabundle[0] is the root, pinned by fingerprint.
        let bundleRootFingerprint = bundle[0].sha256Fingerprint
        let anchorFingerprint = Digest.sha256(trustAnchor.rootDER)
        if anchorFingerprint != trustAnchor.fingerprintSHA256 {
            result.fail("nitro.root_fingerprint", "the configured root does not match its own pin")
        } else if bundleRootFingerprint != trustAnchor.fingerprintSHA256 {
            result.fail("nitro.root_fingerprint", "cabundle[0] SHA-256 \(Hex.encode(bundleRootFingerprint)) is not the pinned \(Hex.encode(trustAnchor.fingerprintSHA256))")
        } else {
            result.pass("nitro.root_fingerprint", "cabundle[0] is the pinned root \(Hex.encode(trustAnchor.fingerprintSHA256))")
        }

        // 5. The chain, built by libcrypto, anchored only at the pinned root
        //    (never at cabundle[0] itself), every certificate valid at `time`.
        if let anchor = try? X509Certificate(derEncoded: trustAnchor.rootDER) {
            let intermediates = Array(bundle.dropFirst())
            if let failure = X509ChainVerifier.verify(leaf: leaf, intermediates: intermediates, root: anchor, at: time) {
                // The leaf lives about three hours; saying when helps pick --at.
                let window = leaf.validity.map { " (leaf valid \(Self.format($0.lowerBound)) to \(Self.format($0.upperBound)))" } ?? ""
                result.fail("nitro.certificate_chain", "\(failure) at \(Self.format(time))\(window)")
            } else {
                result.pass("nitro.certificate_chain", "leaf → \(intermediates.count) intermediates → root, valid at \(Self.format(time))")
            }
        } else {
            result.fail("nitro.certificate_chain", "the configured root is not DER X.509")
        }

        // 6. The COSE signature by the leaf.
        if leafKey.isValidES384Signature(cose.signature, for: cose.signedBytes) {
            result.pass("nitro.signature", "ES384 signature by the leaf certificate verifies")
        } else {
            result.fail("nitro.signature", cose.signature.count == 96
                ? "ES384 signature does not verify with the leaf key"
                : "signature is \(cose.signature.count) bytes, not 96")
        }

        // 7. What the caller expects.
        appendExpectations(&result, document, expectedNonce, expectedUserData, expectedPCRs)
        return NitroDocumentVerification(result: result, document: document)
    }

    private func appendExpectations(
        _ result: inout VerificationResult, _ document: NitroAttestationDocument,
        _ nonce: [UInt8]?, _ userData: [UInt8]?, _ pcrs: [Int: [UInt8]]
    ) {
        if let userData {
            Self.compare(&result, "nitro.user_data", expected: userData, actual: document.userData)
        }
        if let nonce {
            Self.compare(&result, "nitro.nonce", expected: nonce, actual: document.nonce)
        }
        for index in pcrs.keys.sorted() {
            Self.compare(&result, "nitro.pcr\(index)", expected: pcrs[index]!, actual: document.pcrs[index])
        }
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    static func compare(_ result: inout VerificationResult, _ name: String, expected: [UInt8], actual: [UInt8]?) {
        guard let actual else {
            result.fail(name, "absent from the document; expected \(Hex.encode(expected))")
            return
        }
        if actual == expected {
            result.pass(name, "matches \(Hex.encode(expected))")
        } else {
            result.fail(name, "is \(Hex.encode(actual)), expected \(Hex.encode(expected))")
        }
    }
}
