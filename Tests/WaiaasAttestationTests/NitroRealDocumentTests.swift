import Foundation
import XCTest
@testable import WaiaasAttestation

/// The two real NSM documents in Fixtures/nitro, at times inside
/// their leaves' validity, and every tampering the issue names.
final class NitroRealDocumentTests: XCTestCase {
    func testPinnedRootMatchesAWSFingerprintAndSharedPEM() throws {
        let anchor = NitroTrustAnchor.awsNitroEnclavesRootG1
        XCTAssertEqual(TestHex.string(Digest.sha256(anchor.rootDER)), "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b")
        XCTAssertEqual(anchor.fingerprintSHA256, Digest.sha256(anchor.rootDER))
        let pem = String(decoding: try NitroTestData.load("aws_nitro_root_g1.pem"), as: UTF8.self)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        XCTAssertEqual([UInt8](Data(base64Encoded: body)!), anchor.rootDER)
    }

    func testSharedVectorsAreTheDocumentedFiles() throws {
        XCTAssertEqual(TestHex.string(Digest.sha256(try NitroTestData.production())), "a72552688ab6de06b9039ebda2bd5ae9285860ec886f841da94351681dfb3eb6")
        XCTAssertEqual(TestHex.string(Digest.sha256(try NitroTestData.debug())), "46591b92f9abefaace22a6d7ea4ca9c7007dfdbe788fbe8634b230ec2043a789")
    }

    func testProductionDocumentVerifiesAtItsTime() throws {
        let bytes = try NitroTestData.production()
        let cose = try COSESign1(decoding: bytes)
        let payload = try NitroAttestationDocument(payload: cose.payload)
        XCTAssertEqual(payload.pcrs.count, 16)
        XCTAssertTrue(payload.pcrs.values.allSatisfy { $0.count == 48 })
        XCTAssertEqual(payload.nonce?.count, 256)
        XCTAssertNil(payload.userData)
        XCTAssertNil(payload.publicKey)
        XCTAssertEqual(payload.caBundle.count, 4)
        XCTAssertTrue(TestHex.string(payload.pcrs[0]!).hasPrefix("f4d48b81a460c991"))

        let result = NitroDocumentVerifier.verify(
            document: bytes, at: NitroTestData.productionTime,
            expectedNonce: payload.nonce, expectedPCRs: [0: payload.pcrs[0]!, 8: payload.pcrs[8]!]
        )
        XCTAssertTrue(result.passed, "\(result.failures)")
        XCTAssertEqual(result.checks.map(\.name), [
            "nitro.cose_structure", "nitro.cose_algorithm", "nitro.payload", "nitro.certificates",
            "nitro.root_fingerprint", "nitro.certificate_chain", "nitro.signature", "nitro.nonce", "nitro.pcr0", "nitro.pcr8",
        ])
    }

    func testDebugDocumentVerifiesWithItsUserData() throws {
        let result = NitroDocumentVerifier.verify(
            document: try NitroTestData.debug(), at: NitroTestData.debugTime,
            expectedUserData: Array("hello, world!".utf8),
            expectedPCRs: [0: [UInt8](repeating: 0, count: 48)]
        )
        XCTAssertTrue(result.passed, "\(result.failures)")
        let document = try NitroAttestationDocument(payload: COSESign1(decoding: try NitroTestData.debug()).payload)
        XCTAssertEqual(document.publicKey.map { String(decoding: $0, as: UTF8.self) }, "my super secret key")
        XCTAssertNil(document.nonce)
    }

    func testTaggedFormVerifiesToo() throws {
        let tagged = [0xD2] + (try NitroTestData.production())
        XCTAssertTrue(NitroDocumentVerifier.verify(document: tagged, at: NitroTestData.productionTime).passed)
        let wrongTag = [0xD1] + (try NitroTestData.production())
        XCTAssertEqual(NitroDocumentVerifier.verify(document: wrongTag, at: NitroTestData.productionTime).failedCheckNames.first, "nitro.cose_structure")
    }

    func testExpectationMismatchesAreNamed() throws {
        let bytes = try NitroTestData.production()
        let result = NitroDocumentVerifier.verify(
            document: bytes, at: NitroTestData.productionTime,
            expectedNonce: [UInt8](repeating: 1, count: 32), expectedUserData: [1, 2, 3],
            expectedPCRs: [0: [UInt8](repeating: 0, count: 48), 31: [UInt8](repeating: 0, count: 48)]
        )
        XCTAssertFalse(result.passed)
        XCTAssertEqual(result.failedCheckNames, ["nitro.user_data", "nitro.nonce", "nitro.pcr0", "nitro.pcr31"])
        XCTAssertTrue(result.check(named: "nitro.user_data")!.detail.contains("absent"))
        // The cryptographic checks still passed and are listed as such.
        XCTAssertTrue(result.check(named: "nitro.signature")!.passed)
        XCTAssertTrue(result.check(named: "nitro.certificate_chain")!.passed)
    }

    func testTimesOutsideValidityFailTheChain() throws {
        let bytes = try NitroTestData.production()
        for time in [
            Date(timeIntervalSince1970: 1_665_648_000 - 86_400),  // a day before the leaf
            Date(timeIntervalSince1970: 1_665_655_200 + 86_400),  // a day after it expired
            Date(),  // now: long expired
        ] {
            let result = NitroDocumentVerifier.verify(document: bytes, at: time)
            XCTAssertEqual(result.failedCheckNames, ["nitro.certificate_chain"], "\(time)")
            let detail = result.check(named: "nitro.certificate_chain")!.detail
            XCTAssertTrue(detail.contains("certificate"), detail)
            XCTAssertTrue(detail.contains("leaf valid 2022-10-13T"), detail)
        }
    }

    func testPayloadByteTamperingBreaksTheSignature() throws {
        let bytes = try NitroTestData.production()
        let cose = try COSESign1(decoding: bytes)
        // Change one byte of the module_id text inside the payload, so the
        // payload still decodes and only the signature can notice.
        let moduleIDRange = try XCTUnwrap(find(Array("i-020b6af".utf8), in: bytes))
        var tampered = bytes
        tampered[moduleIDRange.lowerBound + 2] ^= 0x01
        XCTAssertNotEqual(try COSESign1(decoding: tampered).payload, cose.payload)
        let result = NitroDocumentVerifier.verify(document: tampered, at: NitroTestData.productionTime)
        XCTAssertEqual(result.failedCheckNames, ["nitro.signature"])
    }

    func testPCRTamperingIsCaught() throws {
        let bytes = try NitroTestData.production()
        let payload = try NitroAttestationDocument(payload: COSESign1(decoding: bytes).payload)
        let pcr0 = payload.pcrs[0]!
        let range = try XCTUnwrap(find(pcr0, in: bytes))
        var tampered = bytes
        tampered[range.lowerBound] ^= 0xFF
        var forged = pcr0
        forged[0] ^= 0xFF
        let result = NitroDocumentVerifier.verify(document: tampered, at: NitroTestData.productionTime, expectedPCRs: [0: forged])
        XCTAssertTrue(result.check(named: "nitro.pcr0")!.passed, "the forged value is what the payload now says")
        XCTAssertEqual(result.failedCheckNames, ["nitro.signature"])
    }

    func testSignatureTamperingIsCaught() throws {
        var bytes = try NitroTestData.production()
        bytes[bytes.count - 1] ^= 0x01  // last byte of s
        XCTAssertEqual(NitroDocumentVerifier.verify(document: bytes, at: NitroTestData.productionTime).failedCheckNames, ["nitro.signature"])
        var r = try NitroTestData.production()
        r[r.count - 96] ^= 0x80  // first byte of r
        XCTAssertEqual(NitroDocumentVerifier.verify(document: r, at: NitroTestData.productionTime).failedCheckNames, ["nitro.signature"])
    }

    func testTruncatedSignatureIsCaught() throws {
        let bytes = try NitroTestData.production()
        let cose = try COSESign1(decoding: bytes)
        let shorter = CBOREncoder.encode(.array([.bytes(cose.protectedHeader), .map([]), .bytes(cose.payload), .bytes(Array(cose.signature.prefix(95)))]))
        let result = NitroDocumentVerifier.verify(document: shorter, at: NitroTestData.productionTime)
        XCTAssertEqual(result.failedCheckNames, ["nitro.signature"])
        XCTAssertTrue(result.check(named: "nitro.signature")!.detail.contains("95 bytes"))
    }

    func testIntermediateCertificateTamperingIsCaught() throws {
        let bytes = try NitroTestData.production()
        let payload = try NitroAttestationDocument(payload: COSESign1(decoding: bytes).payload)
        // Flip a byte in the signature at the end of the zonal intermediate
        // (cabundle[2]): it still parses, but its issuer's signature fails.
        let intermediate = payload.caBundle[2]
        let range = try XCTUnwrap(find(intermediate, in: bytes))
        var tampered = bytes
        tampered[range.upperBound - 3] ^= 0x01
        let result = NitroDocumentVerifier.verify(document: tampered, at: NitroTestData.productionTime)
        XCTAssertTrue(result.failedCheckNames.contains("nitro.certificate_chain"), "\(result.failures)")
        XCTAssertTrue(result.failedCheckNames.contains("nitro.signature"), "the payload changed, so the COSE signature must fail too")
    }

    func testRootReplacedBySelfMadeRootIsCaught() throws {
        let bytes = try NitroTestData.production()
        let cose = try COSESign1(decoding: bytes)
        let payloadItem = try CBORDecoder().decode(cose.payload)
        let fakeRoot = try TestPKI.makeChain().root.der
        let pairs = payloadItem.mapValue!.map { pair -> CBOR.Pair in
            guard pair.key == .text("cabundle"), case .array(var bundle) = pair.value else { return pair }
            bundle[0] = .bytes(fakeRoot)
            return CBOR.Pair(pair.key, .array(bundle))
        }
        let newPayload = CBOREncoder.encode(.map(pairs))
        let forged = CBOREncoder.encode(.array([.bytes(cose.protectedHeader), .map([]), .bytes(newPayload), .bytes(cose.signature)]))
        let result = NitroDocumentVerifier.verify(document: forged, at: NitroTestData.productionTime)
        let fingerprint = try XCTUnwrap(result.check(named: "nitro.root_fingerprint"))
        XCTAssertFalse(fingerprint.passed)
        XCTAssertTrue(fingerprint.detail.contains(TestHex.string(Digest.sha256(fakeRoot))))
        XCTAssertTrue(result.failedCheckNames.contains("nitro.signature"))
        XCTAssertFalse(result.passed)
    }

    func testStructuralDamageFailsEarlyAndNamesWhatWasNotChecked() throws {
        let bytes = try NitroTestData.production()
        let truncated = Array(bytes.prefix(bytes.count - 10))
        let result = NitroDocumentVerifier.verify(document: truncated, at: NitroTestData.productionTime, expectedNonce: [1], expectedPCRs: [0: [0]])
        XCTAssertEqual(result.failedCheckNames, [
            "nitro.cose_structure", "nitro.cose_algorithm", "nitro.payload", "nitro.certificates", "nitro.root_fingerprint",
            "nitro.certificate_chain", "nitro.signature", "nitro.nonce", "nitro.pcr0",
        ])
        XCTAssertFalse(NitroDocumentVerifier.verify(document: [], at: NitroTestData.productionTime).passed)
    }

    /// Every single-byte change anywhere in the document must fail
    /// verification (sampled, to keep the test fast), and never crash.
    func testSampledByteFlipsNeverVerify() throws {
        let bytes = try NitroTestData.production()
        var rng = SplitMix64(seed: 42)
        for _ in 0 ..< 300 {
            var tampered = bytes
            let index = Int(rng.next() % UInt64(bytes.count))
            tampered[index] ^= UInt8(1 << (rng.next() % 8))
            XCTAssertFalse(NitroDocumentVerifier.verify(document: tampered, at: NitroTestData.productionTime).passed, "flip at \(index) verified")
        }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0 ... haystack.count - needle.count where haystack[start] == needle[0] {
            if Array(haystack[start ..< start + needle.count]) == needle { return start ..< start + needle.count }
        }
        return nil
    }
}
