import Foundation
import XCTest
@testable import WaiaasAttestation

/// `waiaas attest …` run as a process, the way operators use it.
final class AttestCLITests: XCTestCase {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attest-cli-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testVerifyNitroRealDocument() throws {
        let path = NitroTestData.directory.appendingPathComponent("nitro-prod-2022-10-13.cbor").path
        _ = try NitroTestData.production()  // fails clearly when the shared data is absent
        let ok = try CLI.run(["attest", "verify-nitro", "--document", path, "--at", "2022-10-13T10:00:00Z"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("all 7 checks passed"), ok.stdout)
        let expired = try CLI.run(["attest", "verify-nitro", "--document", path])
        XCTAssertEqual(expired.status, 1)
        XCTAssertTrue(expired.stdout.contains("checks failed: nitro.certificate_chain"), expired.stdout)
    }

    func testVerifyNitroBase64WithExpectationsAsJSON() throws {
        let base64 = Data(try NitroTestData.debug()).base64EncodedString(options: .lineLength76Characters)
        let path = try temporaryFile(Array(base64.utf8))
        let zeros = String(repeating: "0", count: 96)
        let ok = try CLI.run(["attest", "verify-nitro", "--document", path, "--at", "2022-10-12T15:00:00Z",
                          "--user-data", TestHex.string(Array("hello, world!".utf8)), "--nitro-pcr", "0=\(zeros)", "--json"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["verified"] as? Bool, true)
        XCTAssertEqual((json["checks"] as? [Any])?.count, 9)
        let bad = try CLI.run(["attest", "verify-nitro", "--document", path, "--at", "2022-10-12T15:00:00Z",
                           "--user-data", "00", "--nitro-pcr", "1=\(String(repeating: "1", count: 96))", "--json"])
        XCTAssertEqual(bad.status, 1)
        let badJSON = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(badJSON["failed"] as? [String], ["nitro.user_data", "nitro.pcr1"])
    }

    func testVerifyReportFile() throws {
        let agent = TestAgentKey()
        let response = try ReportFixture.response(agent: agent)
        let path = try temporaryFile(AttestationFile(response).jsonBytes())
        let nonce = TestHex.string(ReportFixture.nonce)
        let ok = try CLI.run(["attest", "verify", "--report", path, "--nonce", nonce, "--expect-agent", TestHex.string(agent.publicKey),
                          "--expect-policy-hash", TestHex.string(ReportFixture.policyHash),
                          "--expect-measurement", TestHex.string(ReportFixture.executable), "--at", "2027-01-15T08:00:00Z"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("policy_version: 7"), ok.stdout)

        let bad = try CLI.run(["attest", "verify", "--report", path, "--nonce", String(repeating: "ab", count: 16),
                           "--expect-policy-hash", "00", "--nitro-pcr", "0=\(String(repeating: "0", count: 96))"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("checks failed: report.nonce, expect.policy_hash, report.platform, nitro.pcr0"), bad.stdout)

        var tampered = response
        tampered.report[tampered.report.count - 1] ^= 1
        let tamperedPath = try temporaryFile(AttestationFile(tampered).jsonBytes())
        let forged = try CLI.run(["attest", "verify", "--report", tamperedPath, "--nonce", nonce, "--json"])
        XCTAssertEqual(forged.status, 1)
        XCTAssertTrue(forged.stdout.contains("\"failed\":[\"report.signature\"]"), forged.stdout)
    }

    func testUsageAndInputErrors() throws {
        let short = try CLI.run(["attest", "verify", "--report", "/nonexistent", "--nonce", "00"])
        XCTAssertEqual(short.status, 64)
        XCTAssertTrue(short.stderr.contains("16 to 64 bytes"), short.stderr)
        let missing = try CLI.run(["attest", "verify", "--report", "/nonexistent", "--nonce", String(repeating: "00", count: 16)])
        XCTAssertEqual(missing.status, 2)
        let badPCR = try CLI.run(["attest", "verify-nitro", "--document", "/nonexistent", "--nitro-pcr", "40=00"])
        XCTAssertEqual(badPCR.status, 64)
        let badTime = try CLI.run(["attest", "verify-nitro", "--document", "/nonexistent", "--at", "yesterday"])
        XCTAssertEqual(badTime.status, 64)
        let bothNonces = try CLI.run(["attest", "--random-nonce", "--nonce", String(repeating: "00", count: 16), "--out", "/tmp/x"])
        XCTAssertEqual(bothNonces.status, 64)
    }

    func testFetchWithoutDaemonFails() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("attest-\(UUID().uuidString).json").path
        let result = try CLI.run(["attest", "--random-nonce", "--out", out, "--socket", "/nonexistent/waiaasd.sock"])
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
