import Foundation
import WaiaasProto
import XCTest
@testable import WaiaasAttestation

final class ReportTests: XCTestCase {
    private let agent = TestAgentKey()

    func testDomainTag() {
        XCTAssertEqual(ReportSigning.domainTag.first, 0xFF)
        XCTAssertEqual(String(decoding: ReportSigning.domainTag.dropFirst(), as: UTF8.self), "waiaas attestation report v1")
        XCTAssertEqual(ReportSigning.signingMessage(report: [1, 2]), ReportSigning.domainTag + [1, 2])
    }

    func testBuiltReportCarriesEveryField() throws {
        let response = try ReportFixture.response(agent: agent)
        let report = try AttestationReport(serializedBytes: response.report)
        XCTAssertEqual(report.formatVersion, 1)
        XCTAssertEqual(report.agentPublicKey, agent.publicKey)
        XCTAssertEqual(report.ownerPublicKeys, ReportFixture.owners)
        XCTAssertEqual(report.ownerThreshold, 2)
        XCTAssertEqual(report.multisig, [UInt8](repeating: 0x33, count: 32))
        XCTAssertEqual(report.vault, [UInt8](repeating: 0x44, count: 32))
        XCTAssertEqual(report.policyHash, ReportFixture.policyHash)
        XCTAssertEqual(report.policyVersion, 7)
        XCTAssertEqual(report.ledgerHead, ReportFixture.ledgerHead)
        XCTAssertEqual(report.measurement?.executableSHA384, ReportFixture.executable)
        XCTAssertEqual(report.measurement?.configurationSHA384, Digest.sha384(ReportFixture.configuration))
        XCTAssertEqual(report.platform, .software)
        XCTAssertEqual(report.nonce, ReportFixture.nonce)
        XCTAssertEqual(report.timeUnixMilliseconds, 1_800_000_000_000)
        XCTAssertTrue(response.nitroDocument.isEmpty)
    }

    func testRoundTripVerifies() throws {
        let response = try ReportFixture.response(agent: agent)
        let expectations = ReportExpectations(
            agentPublicKey: agent.publicKey, policyHash: ReportFixture.policyHash,
            executableMeasurement: ReportFixture.executable, configurationMeasurement: Digest.sha384(ReportFixture.configuration),
            maximumAge: 60)
        let result = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce, expectations: expectations, at: ReportFixture.time)
        XCTAssertTrue(result.passed, "\(result.failures)")
        XCTAssertEqual(result.checks.map(\.name), [
            "report.decode", "report.format_version", "report.signature", "report.nonce", "report.time",
            "expect.agent_public_key", "expect.policy_hash", "expect.executable_measurement",
            "expect.configuration_measurement", "report.platform",
        ])
    }

    /// Each field of the report is covered by the signature: changing any
    /// one and re-encoding, with the original signature, fails.
    func testEveryFieldIsBoundBySignature() throws {
        let response = try ReportFixture.response(agent: agent)
        let original = try AttestationReport(serializedBytes: response.report)
        let flips: [(String, (inout AttestationReport) -> Void)] = [
            ("format_version", { $0.formatVersion += 1 }),
            ("owner_public_keys", { $0.ownerPublicKeys[1][0] ^= 1 }),
            ("owner_public_keys count", { $0.ownerPublicKeys.removeLast() }),
            ("owner_threshold", { $0.ownerThreshold = 1 }),
            ("multisig", { $0.multisig[31] ^= 1 }),
            ("vault", { $0.vault = [] }),
            ("policy_hash", { $0.policyHash[0] ^= 1 }),
            ("policy_version", { $0.policyVersion = 8 }),
            ("ledger_head.sequence", { $0.ledgerHead!.sequence = 40 }),
            ("ledger_head.hash", { $0.ledgerHead!.hash[5] ^= 1 }),
            ("measurement.executable", { $0.measurement!.executableSHA384[0] ^= 1 }),
            ("measurement.configuration", { $0.measurement!.configurationSHA384[47] ^= 1 }),
            ("platform", { $0.platform = .unspecified }),
            ("nonce", { $0.nonce[0] ^= 1 }),
            ("time", { $0.timeUnixMilliseconds += 1 }),
        ]
        for (name, flip) in flips {
            var changed = original
            flip(&changed)
            XCTAssertNotEqual(changed, original, name)
            let bytes = changed.serializedBytes()
            let result = ReportVerifier.verify(report: bytes, signature: response.signature, nitroDocument: nil,
                                               nonce: changed.nonce, at: ReportFixture.time)
            XCTAssertFalse(result.check(named: "report.signature")!.passed, name)
        }
        // Replacing the agent key (to one the attacker holds) and re-signing
        // passes the signature, but not the agent expectation.
        let attacker = TestAgentKey()
        var stolen = original
        stolen.agentPublicKey = attacker.publicKey
        let stolenBytes = stolen.serializedBytes()
        let result = ReportVerifier.verify(
            report: stolenBytes, signature: attacker.sign(ReportSigning.signingMessage(report: stolenBytes)), nitroDocument: nil,
            nonce: ReportFixture.nonce, expectations: ReportExpectations(agentPublicKey: agent.publicKey), at: ReportFixture.time)
        XCTAssertEqual(result.failedCheckNames, ["expect.agent_public_key"])
    }

    func testEveryByteOfTheReportIsBound() throws {
        let response = try ReportFixture.response(agent: agent)
        for index in response.report.indices {
            var bytes = response.report
            bytes[index] ^= 0x01
            let result = ReportVerifier.verify(report: bytes, signature: response.signature, nitroDocument: nil, nonce: ReportFixture.nonce)
            XCTAssertFalse(result.passed, "byte \(index)")
        }
        for index in response.signature.indices {
            var signature = response.signature
            signature[index] ^= 0x80
            let result = ReportVerifier.verify(report: response.report, signature: signature, nitroDocument: nil, nonce: ReportFixture.nonce)
            XCTAssertEqual(result.failedCheckNames, ["report.signature"], "signature byte \(index)")
        }
    }

    func testSignatureWithoutDomainTagIsRefused() throws {
        let response = try ReportFixture.response(agent: agent)
        let untagged = agent.sign(response.report)
        let result = ReportVerifier.verify(report: response.report, signature: untagged, nitroDocument: nil, nonce: ReportFixture.nonce)
        XCTAssertEqual(result.failedCheckNames, ["report.signature"])
    }

    func testWrongNonceIsNamed() throws {
        let response = try ReportFixture.response(agent: agent)
        var other = ReportFixture.nonce
        other[0] ^= 1
        let result = ReportVerifier.verify(response: response, nonce: other, at: ReportFixture.time)
        XCTAssertEqual(result.failedCheckNames, ["report.nonce"])
    }

    func testReportFromAnotherAgentKey() throws {
        let other = TestAgentKey()
        let response = try ReportFixture.response(agent: other)
        let result = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce,
                                           expectations: ReportExpectations(agentPublicKey: agent.publicKey), at: ReportFixture.time)
        XCTAssertEqual(result.failedCheckNames, ["expect.agent_public_key"])
        // A report naming our agent but signed by another key.
        let ours = try ReportFixture.response(agent: agent)
        let forged = other.sign(ReportSigning.signingMessage(report: ours.report))
        let forgedResult = ReportVerifier.verify(report: ours.report, signature: forged, nitroDocument: nil, nonce: ReportFixture.nonce,
                                                 expectations: ReportExpectations(agentPublicKey: agent.publicKey))
        XCTAssertEqual(forgedResult.failedCheckNames, ["report.signature"])
    }

    func testExpectationMismatchesAreAllNamed() throws {
        let response = try ReportFixture.response(agent: agent)
        let wrong = ReportExpectations(
            policyHash: [UInt8](repeating: 0, count: 32), executableMeasurement: [UInt8](repeating: 0, count: 48),
            configurationMeasurement: [1], requireNitro: true, maximumAge: 10)
        let result = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce, expectations: wrong,
                                           at: ReportFixture.time.addingTimeInterval(3600))
        XCTAssertEqual(result.failedCheckNames, [
            "report.time", "expect.policy_hash", "expect.executable_measurement", "expect.configuration_measurement", "report.platform",
        ])
        let future = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce, expectations: ReportExpectations(maximumAge: 10),
                                           at: ReportFixture.time.addingTimeInterval(-3600))
        XCTAssertEqual(future.failedCheckNames, ["report.time"])
    }

    func testGarbageReportFailsWithEveryCheckNamed() {
        let result = ReportVerifier.verify(report: [0xFF, 0xFF, 0xFF], signature: [], nitroDocument: nil, nonce: ReportFixture.nonce,
                                           expectations: ReportExpectations(agentPublicKey: [1], nitroPCRs: [0: [0]]))
        XCTAssertEqual(result.failedCheckNames, ["report.decode", "report.format_version", "report.signature", "report.nonce",
                                                 "expect.agent_public_key", "report.platform"])
        XCTAssertFalse(ReportVerifier.verify(report: [], signature: [], nitroDocument: nil, nonce: []).passed)
    }

    func testNonceLengthIsEnforced() throws {
        let builder = try ReportFixture.builder(agent: agent)
        for length in [0, 15, 65, 1000] {
            XCTAssertThrowsError(try builder.attest(nonce: [UInt8](repeating: 1, count: length), policyHash: [], policyVersion: 0,
                                                    ledgerHead: LedgerHead(), sign: agent.sign)) { error in
                XCTAssertEqual((error as? AttestationError)?.code, .invalidNonce)
            }
        }
        for length in [16, 64] {
            XCTAssertNoThrow(try builder.attest(nonce: [UInt8](repeating: 1, count: length), policyHash: [], policyVersion: 0,
                                                ledgerHead: LedgerHead(), sign: agent.sign))
        }
    }

    func testSignerFailuresReturnNothing() throws {
        let builder = try ReportFixture.builder(agent: agent)
        struct KeyStoreDown: Error {}
        XCTAssertThrowsError(try builder.attest(nonce: ReportFixture.nonce, policyHash: [], policyVersion: 0, ledgerHead: LedgerHead(),
                                                sign: { _ in throw KeyStoreDown() })) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .signingFailed)
        }
        let other = TestAgentKey()
        XCTAssertThrowsError(try builder.attest(nonce: ReportFixture.nonce, policyHash: [], policyVersion: 0, ledgerHead: LedgerHead(),
                                                sign: other.sign)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .signatureDoesNotVerify)
        }
        var signed: [UInt8] = []
        _ = try builder.attest(nonce: ReportFixture.nonce, policyHash: [], policyVersion: 0, ledgerHead: LedgerHead(),
                               sign: { message in signed = message; return agent.sign(message) })
        XCTAssertEqual(Array(signed.prefix(ReportSigning.domainTag.count)), ReportSigning.domainTag)
    }

    func testBuilderRefusesBadConfiguration() {
        let key = agent.publicKey
        let cases: [(String, () throws -> AttestationBuilder)] = [
            ("agent", { try AttestationBuilder(agentPublicKey: [1], ownerPublicKeys: ReportFixture.owners, ownerThreshold: 1, configuration: [], executableSHA384: ReportFixture.executable) }),
            ("owner", { try AttestationBuilder(agentPublicKey: key, ownerPublicKeys: [[1]], ownerThreshold: 1, configuration: [], executableSHA384: ReportFixture.executable) }),
            ("threshold 0", { try AttestationBuilder(agentPublicKey: key, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 0, configuration: [], executableSHA384: ReportFixture.executable) }),
            ("threshold 3 of 2", { try AttestationBuilder(agentPublicKey: key, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 3, configuration: [], executableSHA384: ReportFixture.executable) }),
            ("multisig", { try AttestationBuilder(agentPublicKey: key, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 1, multisig: [1], configuration: [], executableSHA384: ReportFixture.executable) }),
            ("measurement", { try AttestationBuilder(agentPublicKey: key, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 1, configuration: [], executableSHA384: [1]) }),
        ]
        for (label, make) in cases {
            XCTAssertThrowsError(try make(), label) { error in
                guard (error as? AttestationError)?.code == .invalidConfiguration else { return XCTFail("\(label): \(error)") }
            }
        }
    }

    func testExecutableMeasurementIsOfProcSelfExe() throws {
        let measured = try CodeMeasurer.executableSHA384()
        let direct = Digest.sha384([UInt8](try Data(contentsOf: URL(fileURLWithPath: "/proc/self/exe"))))
        XCTAssertEqual(measured, direct)
        XCTAssertEqual(try CodeMeasurer.executableSHA384(), measured)
        let builder = try AttestationBuilder(agentPublicKey: agent.publicKey, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 1, configuration: [1])
        XCTAssertEqual(builder.measurement.executableSHA384, measured)
        XCTAssertThrowsError(try Digest.sha384(fileAtPath: "/nonexistent/waiaas")) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .measurementUnreadable)
        }
    }

    func testAttestationFileRoundTrip() throws {
        let response = try ReportFixture.response(agent: agent)
        let file = AttestationFile(response)
        let json = file.jsonBytes()
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("\"format\" : \"waiaas-attestation-v1\""))
        XCTAssertFalse(String(decoding: json, as: UTF8.self).contains("nitro_document"))
        let read = try AttestationFile.read(jsonBytes: json)
        XCTAssertEqual(read.response, response)
        XCTAssertThrowsError(try AttestationFile.read(jsonBytes: Array("{\"format\":\"other\",\"report\":\"\",\"signature\":\"\"}".utf8))) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .fileWrongFormat)
        }
        XCTAssertThrowsError(try AttestationFile.read(jsonBytes: Array("{\"format\":\"waiaas-attestation-v1\",\"report\":\"!!\",\"signature\":\"\"}".utf8))) {
            XCTAssertEqual($0 as? AttestationError, AttestationError(.fileField, "field report is missing or not base64", field: "report"))
        }
        XCTAssertThrowsError(try AttestationFile.read(jsonBytes: Array("nope".utf8))) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .fileNotJSON)
        }
    }
}
