import Foundation
import Logging
import WaiaasProto
import WaiaasRPC
import XCTest
@testable import WaiaasAttestation

/// Answers Attest the way the daemon will: nonce checked, report built and
/// signed by a test agent key.
private struct FakeWalletService: RPCService {
    let builder: AttestationBuilder
    let agent: TestAgentKey

    func handler(for method: String) -> MethodHandler? {
        guard method == WalletMethod.attest.rawValue else { return nil }
        return .immediate { call in
            do {
                let request = try AttestRequest(serializedBytes: call.payload)
                let response = try builder.attest(nonce: request.nonce, policyHash: ReportFixture.policyHash, policyVersion: 7,
                                                  ledgerHead: ReportFixture.ledgerHead, sign: agent.sign)
                return .success(response.serializedBytes())
            } catch let error as AttestationError {
                if error.code == .invalidNonce { return .failure(RPCError(.invalidArgument, "\(error)")) }
                return .failure(RPCError(.internal, "\(error)"))
            } catch {
                return .failure(RPCError(.invalidArgument, "\(error)"))
            }
        }
    }
}

/// `waiaas attest` against a daemon stand-in on a real socket, then
/// `waiaas attest verify` on the file it wrote.
final class AttestFetchCLITests: XCTestCase {
    private var directory = ""
    private var server: RPCServer?
    private let agent = TestAgentKey()

    override func setUp() async throws {
        var template = Array("/tmp/waiaas-attest-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        directory = String(cString: made)
        var logger = Logger(label: "attest-test")
        logger.logLevel = .critical
        let builder = try AttestationBuilder(
            agentPublicKey: agent.publicKey, ownerPublicKeys: ReportFixture.owners, ownerThreshold: 1,
            configuration: ReportFixture.configuration, executableSHA384: ReportFixture.executable)
        let server = RPCServer(configuration: RPCServerConfiguration(socketPath: directory + "/sock/waiaasd.sock", threads: 1),
                               service: FakeWalletService(builder: builder, agent: agent), logger: logger)
        try await server.start()
        self.server = server
    }

    override func tearDown() async throws {
        await server?.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testFetchThenVerify() throws {
        let socket = directory + "/sock/waiaasd.sock"
        let out = directory + "/report.json"
        let nonce = String(repeating: "5a", count: 24)
        let fetched = try CLI.run(["attest", "--nonce", nonce, "--out", out, "--socket", socket])
        XCTAssertEqual(fetched.status, 0, fetched.stdout + fetched.stderr)
        XCTAssertTrue(fetched.stdout.contains("nonce: \(nonce)"), fetched.stdout)
        let file = try AttestationFile.read(jsonBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        XCTAssertEqual(try AttestationReport(serializedBytes: file.report).nonce, TestHex.bytes(nonce))

        let verified = try CLI.run(["attest", "verify", "--report", out, "--nonce", nonce,
                                    "--expect-agent", TestHex.string(agent.publicKey), "--max-age", "300"])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        let otherNonce = try CLI.run(["attest", "verify", "--report", out, "--nonce", String(repeating: "00", count: 24)])
        XCTAssertEqual(otherNonce.status, 1)
        XCTAssertTrue(otherNonce.stdout.contains("checks failed: report.nonce"), otherNonce.stdout)
    }

    func testRandomNonceIsPrintedAndBound() throws {
        let socket = directory + "/sock/waiaasd.sock"
        let out = directory + "/random.json"
        let fetched = try CLI.run(["attest", "fetch", "--random-nonce", "--out", out, "--socket", socket, "--json"])
        XCTAssertEqual(fetched.status, 0, fetched.stdout + fetched.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any])
        let nonce = try XCTUnwrap(json["nonce"] as? String)
        XCTAssertEqual(nonce.count, 64)
        XCTAssertEqual(json["platform"] as? String, "software")
        let verified = try CLI.run(["attest", "verify", "--report", out, "--nonce", nonce, "--json"])
        XCTAssertEqual(verified.status, 0, verified.stdout)
    }
}
