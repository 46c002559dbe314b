import Foundation
import WaiaasProto
import XCTest
@testable import WaiaasAttestation

/// Reports with an NSM document from a self-made PKI standing in for the NSM.
final class ReportNitroTests: XCTestCase {
    private let agent = TestAgentKey()

    func testNitroReportVerifiesAndBindsTheReportHash() throws {
        let chain = try TestPKI.makeChain(now: ReportFixture.time)
        let nsm = FakeNSM(chain: chain)
        let response = try ReportFixture.response(agent: agent, nitro: nsm)
        XCTAssertEqual(nsm.requests.count, 1)
        XCTAssertEqual(nsm.requests[0].userData, Digest.sha384(response.report))
        XCTAssertEqual(nsm.requests[0].nonce, ReportFixture.nonce)
        XCTAssertNil(nsm.requests[0].publicKey)
        XCTAssertEqual(try AttestationReport(serializedBytes: response.report).platform, .nitro)

        let expectations = ReportExpectations(nitroPCRs: [2: [UInt8](repeating: 2, count: 48)], requireNitro: true, nitroTrustAnchor: chain.anchor)
        let result = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce, expectations: expectations, at: ReportFixture.time)
        XCTAssertTrue(result.passed, "\(result.failures)")
        for name in ["report.platform", "nitro.signature", "nitro.certificate_chain", "nitro.user_data", "nitro.nonce", "nitro.pcr2"] {
            XCTAssertTrue(result.check(named: name)?.passed ?? false, name)
        }
        // Against the AWS root, the same document fails on the root.
        let aws = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce, at: ReportFixture.time)
        XCTAssertEqual(aws.failedCheckNames, ["nitro.root_fingerprint", "nitro.certificate_chain"])
    }

    func testDocumentOfAnotherReportIsRefused() throws {
        let chain = try TestPKI.makeChain(now: ReportFixture.time)
        let first = try ReportFixture.response(agent: agent, nitro: FakeNSM(chain: chain))
        let second = try ReportFixture.response(agent: agent, nonce: [UInt8](repeating: 9, count: 16), nitro: FakeNSM(chain: chain))
        let swapped = AttestResponse(report: first.report, signature: first.signature, nitroDocument: second.nitroDocument)
        let result = ReportVerifier.verify(response: swapped, nonce: ReportFixture.nonce,
                                           expectations: ReportExpectations(nitroTrustAnchor: chain.anchor), at: ReportFixture.time)
        XCTAssertEqual(result.failedCheckNames, ["nitro.user_data", "nitro.nonce"])
    }

    func testPlatformClaimsMustMatchTheDocument() throws {
        let chain = try TestPKI.makeChain(now: ReportFixture.time)
        let nitro = try ReportFixture.response(agent: agent, nitro: FakeNSM(chain: chain))
        let stripped = AttestResponse(report: nitro.report, signature: nitro.signature, nitroDocument: [])
        let result = ReportVerifier.verify(response: stripped, nonce: ReportFixture.nonce,
                                           expectations: ReportExpectations(nitroPCRs: [0: [UInt8](repeating: 0, count: 48)]),
                                           at: ReportFixture.time)
        XCTAssertEqual(result.failedCheckNames, ["report.platform", "nitro.pcr0"])

        let software = try ReportFixture.response(agent: agent)
        let grafted = AttestResponse(report: software.report, signature: software.signature, nitroDocument: nitro.nitroDocument)
        let graftedResult = ReportVerifier.verify(response: grafted, nonce: ReportFixture.nonce,
                                                  expectations: ReportExpectations(nitroTrustAnchor: chain.anchor), at: ReportFixture.time)
        XCTAssertTrue(graftedResult.failedCheckNames.contains("report.platform"))
        XCTAssertTrue(graftedResult.failedCheckNames.contains("nitro.user_data"))
    }

    func testNSMFailureIsReported() throws {
        struct Refusing: NitroAttesting {
            func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8] {
                throw AttestationError(.nsmDeviceError, "InvalidArgument")
            }
        }
        XCTAssertThrowsError(try ReportFixture.response(agent: agent, nitro: Refusing())) {
            XCTAssertEqual($0 as? AttestationError, AttestationError(.nsmDeviceError, "Nitro Secure Module: InvalidArgument"))
        }
    }
}
