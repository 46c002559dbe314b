import Foundation
import XCTest
@testable import WaiaasAttestation

/// End-to-end verification of NSM-shaped documents signed by a P-384 chain
/// made in the test, with our own user_data and nonce.
final class NitroSelfMadeChainTests: XCTestCase {
    private let now = Date()
    private let userData = Digest.sha384(Array("a report".utf8))
    private let nonce = [UInt8](repeating: 0xA5, count: 32)

    private func fields() -> TestPKI.DocumentFields {
        var fields = TestPKI.DocumentFields()
        fields.userData = userData
        fields.nonce = nonce
        return fields
    }

    func testOwnChainVerifiesEndToEnd() throws {
        let chain = try TestPKI.makeChain(now: now)
        let verifier = NitroDocumentVerifier(trustAnchor: chain.anchor)
        for tagged in [false, true] {
            let document = try TestPKI.document(fields(), chain: chain, tagged: tagged)
            let result = verifier.verify(document: document, at: now, expectedNonce: nonce, expectedUserData: userData,
                                         expectedPCRs: [0: [UInt8](repeating: 0, count: 48), 4: [UInt8](repeating: 4, count: 48)])
            XCTAssertTrue(result.passed, "\(result.failures)")
            XCTAssertEqual(result.checks.count, 11)
        }
        // The AWS root does not anchor it.
        let document = try TestPKI.document(fields(), chain: chain)
        let againstAWS = NitroDocumentVerifier.verify(document: document, at: now)
        XCTAssertEqual(againstAWS.failedCheckNames, ["nitro.root_fingerprint", "nitro.certificate_chain"])
    }

    func testWrongNonceAndUserDataAreNamed() throws {
        let chain = try TestPKI.makeChain(now: now)
        let document = try TestPKI.document(fields(), chain: chain)
        var otherNonce = nonce
        otherNonce[31] ^= 1
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor)
            .verify(document: document, at: now, expectedNonce: otherNonce, expectedUserData: Digest.sha384([1]))
        XCTAssertEqual(result.failedCheckNames, ["nitro.user_data", "nitro.nonce"])
    }

    func testAbsentNonceIsAFailureWhenOneIsExpected() throws {
        let chain = try TestPKI.makeChain(now: now)
        var f = fields()
        f.nonce = nil
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(f, chain: chain), at: now, expectedNonce: nonce)
        XCTAssertEqual(result.failedCheckNames, ["nitro.nonce"])
    }

    func testExpiredAndNotYetValidLeafFailTheChain() throws {
        let expired = try TestPKI.makeChain(now: now, leafValidity: now.addingTimeInterval(-7200) ... now.addingTimeInterval(-3600))
        let future = try TestPKI.makeChain(now: now, leafValidity: now.addingTimeInterval(3600) ... now.addingTimeInterval(7200))
        for chain in [expired, future] {
            let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(fields(), chain: chain), at: now)
            XCTAssertEqual(result.failedCheckNames, ["nitro.certificate_chain"])
        }
        // The same expired document verifies at a time inside the leaf's window.
        let result = NitroDocumentVerifier(trustAnchor: expired.anchor)
            .verify(document: try TestPKI.document(fields(), chain: expired), at: now.addingTimeInterval(-5400))
        XCTAssertTrue(result.passed, "\(result.failures)")
    }

    func testMissingIntermediateFailsTheChain() throws {
        let chain = try TestPKI.makeChain(now: now)
        let document = try resign(chain: chain) { payload in
            payload.map { pair in
                pair.key == .text("cabundle") ? .init(pair.key, .array([.bytes(chain.root.der)])) : pair
            }
        }
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: document, at: now)
        XCTAssertEqual(result.failedCheckNames, ["nitro.certificate_chain"])
    }

    func testIntermediateFromAnotherRootFailsTheChain() throws {
        let chain = try TestPKI.makeChain(now: now)
        let other = try TestPKI.makeChain(now: now)
        // cabundle[0] is still the pinned root, but the intermediate and leaf
        // come from another PKI.
        let mixed = TestPKI.Chain(root: chain.root, intermediate: other.intermediate, leaf: other.leaf)
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(fields(), chain: mixed), at: now)
        XCTAssertEqual(result.failedCheckNames, ["nitro.certificate_chain"])
    }

    func testSignatureByAnotherKeyFails() throws {
        let chain = try TestPKI.makeChain(now: now)
        // Signed by the intermediate's key while naming the leaf.
        let impostor = TestPKI.Chain(root: chain.root, intermediate: chain.intermediate,
                                     leaf: TestPKI.Certificate(pointer: X509_dup_for_test(chain.leaf), key: chain.intermediate.key))
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(fields(), chain: impostor), at: now)
        XCTAssertEqual(result.failedCheckNames, ["nitro.signature"])
    }

    func testOtherAlgorithmsAreRefused() throws {
        let chain = try TestPKI.makeChain(now: now)
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(fields(), chain: chain, algorithm: -7), at: now)
        XCTAssertEqual(result.failedCheckNames.first, "nitro.cose_algorithm")
        XCTAssertFalse(result.passed)
    }

    func testP256LeafIsRefused() throws {
        let chain = try TestPKI.makeChain(now: now, leafCurve: "P-256")
        let payload = CBOREncoder.encode(TestPKI.payloadItem(fields(), chain: chain))
        let protected = CBOREncoder.encode(.map([.init(.unsigned(1), .int(-35))]))
        let toSign = CBOREncoder.encode(.array([.text("Signature1"), .bytes(protected), .bytes([]), .bytes(payload)]))
        let signature = try chain.leaf.key.signES384(toSign, width: 32)
        let document = CBOREncoder.encode(.array([.bytes(protected), .map([]), .bytes(payload), .bytes(signature)]))
        let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: document, at: now)
        XCTAssertFalse(result.check(named: "nitro.certificates")!.passed)
        XCTAssertTrue(result.check(named: "nitro.certificates")!.detail.contains("P-384"))
        XCTAssertFalse(result.passed)
    }

    func testLeafThatIsACAOrCannotSignIsRefused() throws {
        let base = try TestPKI.makeChain(now: now)
        let window = now.addingTimeInterval(-3600) ... now.addingTimeInterval(3600)
        for (label, role) in [("CA leaf", TestPKI.Role.intermediate(pathLength: 0)), ("keyCertSign only", .leafWithoutDigitalSignature)] {
            let leaf = try TestPKI.makeCertificate(subject: "test.leaf", role: role, key: try TestPKI.Key(), issuer: base.intermediate, validity: window, serial: 9)
            let chain = TestPKI.Chain(root: base.root, intermediate: base.intermediate, leaf: leaf)
            let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try TestPKI.document(fields(), chain: chain), at: now)
            XCTAssertFalse(result.check(named: "nitro.certificates")!.passed, label)
            XCTAssertFalse(result.passed, label)
        }
    }

    func testMalformedCertificatesAreRefused() throws {
        let chain = try TestPKI.makeChain(now: now)
        let cases: [(String, ([CBOR.Pair]) -> [CBOR.Pair])] = [
            ("leaf with a trailing byte", { replace($0, "certificate", .bytes(chain.leaf.der + [0])) }),
            ("leaf truncated", { replace($0, "certificate", .bytes(Array(chain.leaf.der.dropLast()))) }),
            ("bundle entry not DER", { replace($0, "cabundle", .array([.bytes(chain.root.der), .bytes([0x30, 0x03, 0x02, 0x01, 0x01])])) }),
        ]
        for (label, change) in cases {
            let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: try resign(chain: chain, change), at: now)
            XCTAssertEqual(result.failedCheckNames, ["nitro.certificates", "nitro.root_fingerprint", "nitro.certificate_chain", "nitro.signature"], label)
        }
    }

    func testCOSEStructureRules() throws {
        let chain = try TestPKI.makeChain(now: now)
        let good = try CBORDecoder().decode(try TestPKI.document(fields(), chain: chain))
        let parts = good.arrayValue!
        let cases: [(String, CBOR)] = [
            ("three elements", .array(Array(parts.prefix(3)))),
            ("detached payload", .array([parts[0], parts[1], .null, parts[3]])),
            ("protected not bytes", .array([.map([]), parts[1], parts[2], parts[3]])),
            ("unprotected alg", .array([parts[0], .map([.init(.unsigned(1), .int(-35))]), parts[2], parts[3]])),
            ("crit", .array([.bytes(CBOREncoder.encode(.map([.init(.unsigned(1), .int(-35)), .init(.unsigned(2), .array([.unsigned(99)]))]))), parts[1], parts[2], parts[3]])),
            ("not an array", .map([])),
            ("tag 98", .tagged(98, good)),
        ]
        for (label, item) in cases {
            let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: CBOREncoder.encode(item), at: now)
            XCTAssertEqual(result.failedCheckNames.first, "nitro.cose_structure", label)
            XCTAssertFalse(result.passed, label)
        }
    }

    func testPayloadFieldRules() throws {
        let chain = try TestPKI.makeChain(now: now)
        let cases: [(String, String, ([CBOR.Pair]) -> [CBOR.Pair])] = [
            ("digest", "SHA256", { replace($0, "digest", .text("SHA256")) }),
            ("module_id", "empty", { replace($0, "module_id", .text("")) }),
            ("timestamp", "zero", { replace($0, "timestamp", .unsigned(0)) }),
            ("pcrs", "empty", { replace($0, "pcrs", .map([])) }),
            ("pcrs", "33 bytes", { replace($0, "pcrs", .map([.init(.unsigned(0), .bytes([UInt8](repeating: 0, count: 33)))])) }),
            ("pcrs", "index 32", { replace($0, "pcrs", .map([.init(.unsigned(32), .bytes([UInt8](repeating: 0, count: 48)))])) }),
            ("certificate", "null", { replace($0, "certificate", .null) }),
            ("certificate", "missing", { $0.filter { $0.key != .text("certificate") } }),
            ("cabundle", "empty", { replace($0, "cabundle", .array([])) }),
            ("user_data", "text", { replace($0, "user_data", .text("hi")) }),
            ("nonce", "too long", { replace($0, "nonce", .bytes([UInt8](repeating: 0, count: 1025))) }),
            ("public_key", "empty", { replace($0, "public_key", .bytes([])) }),
        ]
        for (field, label, change) in cases {
            let document = try resign(chain: chain, change)
            XCTAssertThrowsError(try NitroAttestationDocument(payload: COSESign1(decoding: document).payload), "\(field) \(label)") { error in
                guard let error = error as? AttestationError, error.code == .documentField else { return XCTFail("\(error)") }
                XCTAssertEqual(error.field, field)
            }
            let result = NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: document, at: now)
            XCTAssertEqual(result.failedCheckNames.first, "nitro.payload", "\(field) \(label)")
        }
    }

    func testNullOptionalFieldsAreAccepted() throws {
        let chain = try TestPKI.makeChain(now: now)
        var f = fields()
        f.userData = nil
        f.nonce = nil
        f.publicKey = nil
        let document = try TestPKI.document(f, chain: chain)
        let parsed = try NitroAttestationDocument(payload: COSESign1(decoding: document).payload)
        XCTAssertNil(parsed.userData)
        XCTAssertTrue(NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: document, at: now).passed)
        // Absent keys mean the same as null.
        let absent = try resign(chain: chain) { $0.filter { ![.text("user_data"), .text("nonce"), .text("public_key")].contains($0.key) } }
        XCTAssertTrue(NitroDocumentVerifier(trustAnchor: chain.anchor).verify(document: absent, at: now).passed)
    }

    func testMisconfiguredAnchorIsReported() throws {
        let chain = try TestPKI.makeChain(now: now)
        let anchor = NitroTrustAnchor(rootDER: chain.root.der, fingerprintSHA256: [UInt8](repeating: 0, count: 32))
        let result = NitroDocumentVerifier(trustAnchor: anchor).verify(document: try TestPKI.document(fields(), chain: chain), at: now)
        XCTAssertEqual(result.failedCheckNames, ["nitro.root_fingerprint"])
    }

    // MARK: - helpers

    /// Builds a document, lets `change` edit its payload map, and signs it
    /// properly with the leaf so only the edit can make it fail.
    private func resign(chain: TestPKI.Chain, _ change: ([CBOR.Pair]) -> [CBOR.Pair]) throws -> [UInt8] {
        let payload = CBOREncoder.encode(.map(change(TestPKI.payloadItem(fields(), chain: chain).mapValue!)))
        let protected = CBOREncoder.encode(.map([.init(.unsigned(1), .int(-35))]))
        let toSign = CBOREncoder.encode(.array([.text("Signature1"), .bytes(protected), .bytes([]), .bytes(payload)]))
        return CBOREncoder.encode(.array([.bytes(protected), .map([]), .bytes(payload), .bytes(try chain.leaf.key.signES384(toSign))]))
    }
}

private func replace(_ pairs: [CBOR.Pair], _ key: String, _ value: CBOR) -> [CBOR.Pair] {
    pairs.map { $0.key == .text(key) ? CBOR.Pair($0.key, value) : $0 }
}
