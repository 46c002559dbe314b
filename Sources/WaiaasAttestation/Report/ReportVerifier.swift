import Foundation
import WaiaasProto
import WaiaasSolana

/// What verifying a report found: every check, the decoded report, and the
/// decoded Nitro payload when there was one.
public struct ReportVerification: Sendable {
    public let result: VerificationResult
    public let report: AttestationReport?
    public let nitroDocument: NitroAttestationDocument?
}

/// Verifies an Attest answer offline, trusting nothing on the daemon's host:
/// the agent's signature over tag || report, the nonce, each expectation,
/// and on Nitro the NSM document bound to the report's SHA-384.
public enum ReportVerifier {
    public static func verify(response: AttestResponse, nonce: [UInt8], expectations: ReportExpectations = ReportExpectations(), at time: Date = Date()) -> VerificationResult {
        verify(report: response.report, signature: response.signature, nitroDocument: response.nitroDocument,
               nonce: nonce, expectations: expectations, at: time)
    }

    public static func verify(
        report: [UInt8], signature: [UInt8], nitroDocument: [UInt8]?, nonce: [UInt8],
        expectations: ReportExpectations = ReportExpectations(), at time: Date = Date()
    ) -> VerificationResult {
        evaluate(report: report, signature: signature, nitroDocument: nitroDocument,
                 nonce: nonce, expectations: expectations, at: time).result
    }

    public static func evaluate(
        report bytes: [UInt8], signature: [UInt8], nitroDocument: [UInt8]?, nonce: [UInt8],
        expectations: ReportExpectations = ReportExpectations(), at time: Date = Date()
    ) -> ReportVerification {
        var result = VerificationResult()
        let document = (nitroDocument?.isEmpty ?? true) ? nil : nitroDocument

        let report: AttestationReport
        do {
            report = try AttestationReport(serializedBytes: bytes)
            result.pass("report.decode", "\(bytes.count) bytes")
        } catch {
            result.fail("report.decode", "not a waiaas.v1.AttestationReport: \(error)")
            var names = ["report.format_version", "report.signature", "report.nonce"]
            names += expectationNames(expectations)
            if document != nil || expectations.requireNitro || !expectations.nitroPCRs.isEmpty { names.append("report.platform") }
            result.notEvaluated(names, because: "the report could not be decoded")
            return ReportVerification(result: result, report: nil, nitroDocument: nil)
        }

        result.record("report.format_version", report.formatVersion == AttestationBuilder.formatVersion,
                      "format \(report.formatVersion)\(report.formatVersion == AttestationBuilder.formatVersion ? "" : ", expected \(AttestationBuilder.formatVersion)")")

        // The signature is checked with the key the report names; whether
        // that is the right agent is the agent expectation's business.
        if ReportSigning.isValidSignature(signature, report: bytes, agentPublicKey: report.agentPublicKey) {
            result.pass("report.signature", "ed25519 over the report domain tag and the report, by agent \(Hex.encode(report.agentPublicKey))")
        } else {
            result.fail("report.signature", signature.count != 64
                ? "signature is \(signature.count) bytes, not 64"
                : report.agentPublicKey.count != 32
                ? "the report's agent key is \(report.agentPublicKey.count) bytes, not 32"
                : "ed25519 signature does not verify under the report's agent key")
        }

        if report.nonce == nonce {
            result.pass("report.nonce", "matches \(Hex.encode(nonce))")
        } else {
            result.fail("report.nonce", "is \(Hex.encode(report.nonce)), expected \(Hex.encode(nonce))")
        }

        appendExpectations(&result, report, expectations, at: time)
        let nitro = appendPlatform(&result, report, reportBytes: bytes, document: document, nonce: nonce, expectations: expectations, at: time)
        return ReportVerification(result: result, report: report, nitroDocument: nitro)
    }

    private static func expectationNames(_ e: ReportExpectations) -> [String] {
        var names: [String] = []
        if e.maximumAge != nil { names.append("report.time") }
        if e.agentPublicKey != nil { names.append("expect.agent_public_key") }
        if e.policyHash != nil { names.append("expect.policy_hash") }
        if e.executableMeasurement != nil { names.append("expect.executable_measurement") }
        if e.configurationMeasurement != nil { names.append("expect.configuration_measurement") }
        return names
    }

    private static func appendExpectations(_ result: inout VerificationResult, _ report: AttestationReport, _ e: ReportExpectations, at time: Date) {
        if let maximumAge = e.maximumAge {
            let reportTime = Date(timeIntervalSince1970: TimeInterval(report.timeUnixMilliseconds) / 1000)
            let age = time.timeIntervalSince(reportTime)
            if age < -e.clockSkew {
                result.fail("report.time", "made \(Int(-age)) s after the verification time")
            } else if age > maximumAge {
                result.fail("report.time", "\(Int(age)) s old, more than \(Int(maximumAge)) s")
            } else {
                result.pass("report.time", "\(max(0, Int(age))) s old")
            }
        }
        if let key = e.agentPublicKey {
            NitroDocumentVerifier.compare(&result, "expect.agent_public_key", expected: key, actual: report.agentPublicKey)
        }
        if let hash = e.policyHash {
            NitroDocumentVerifier.compare(&result, "expect.policy_hash", expected: hash, actual: report.policyHash)
        }
        if let measurement = e.executableMeasurement {
            NitroDocumentVerifier.compare(&result, "expect.executable_measurement", expected: measurement, actual: report.measurement?.executableSHA384)
        }
        if let measurement = e.configurationMeasurement {
            NitroDocumentVerifier.compare(&result, "expect.configuration_measurement", expected: measurement, actual: report.measurement?.configurationSHA384)
        }
    }

    /// The platform claim and, where there is one, the Nitro document. A
    /// document is verified whenever present, even if nobody asked, because
    /// a report that carries an invalid one is suspect.
    private static func appendPlatform(
        _ result: inout VerificationResult, _ report: AttestationReport, reportBytes: [UInt8],
        document: [UInt8]?, nonce: [UInt8], expectations e: ReportExpectations, at time: Date
    ) -> NitroAttestationDocument? {
        let wantsNitro = e.requireNitro || !e.nitroPCRs.isEmpty
        switch (report.platform, document) {
        case (.nitro, .some):
            result.pass("report.platform", "nitro, with an NSM document")
        case (.nitro, .none):
            result.fail("report.platform", "claims nitro but carries no NSM document")
        case (_, .some):
            result.fail("report.platform", "carries an NSM document but claims \(report.platform)")
        case (_, .none):
            result.record("report.platform", !wantsNitro, wantsNitro
                ? "\(report.platform), but a Nitro attestation was required"
                : "\(report.platform) (no hardware attestation)")
        }
        guard let document else {
            result.notEvaluated(e.nitroPCRs.keys.sorted().map { "nitro.pcr\($0)" }, because: "there is no NSM document")
            return nil
        }
        let nitro = NitroDocumentVerifier(trustAnchor: e.nitroTrustAnchor).evaluate(
            document: document, at: time, expectedNonce: nonce,
            expectedUserData: Digest.sha384(reportBytes), expectedPCRs: e.nitroPCRs)
        result.append(contentsOf: nitro.result)
        return nitro.document
    }
}
