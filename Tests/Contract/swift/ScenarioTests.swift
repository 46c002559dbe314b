// scenarios.json against a live daemon with the Swift client (WaiaasRPC's
// WalletClient over WaiaasProto), on one connection to a fresh daemon.
// WAIAAS_BIN names the directory holding waiaasd (default: beside this test bundle).
import Foundation
import WaiaasCustody
import WaiaasProto
import WaiaasRPC
import WaiaasSolana
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ScenarioTests: XCTestCase {
    final class Daemon {
        let process = Process()
        let tmp: URL
        let home: String
        let socket: String
        var agent: [UInt8] = []

        init() throws {
            let binDir = ProcessInfo.processInfo.environment["WAIAAS_BIN"]
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
            let binary = URL(fileURLWithPath: binDir).appendingPathComponent("waiaasd").path
            guard FileManager.default.isExecutableFile(atPath: binary) else { throw HarnessFailure("no waiaasd at \(binary): run swift build first") }
            tmp = FileManager.default.temporaryDirectory.appendingPathComponent("waiaas-contract-swift-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            home = tmp.appendingPathComponent("home").path
            socket = home + "/waiaasd.sock"
            let logURL = tmp.appendingPathComponent("daemon.log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            let log = try FileHandle(forWritingTo: logURL)
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--dev", "--home", home]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            var text = ""
            while Date() < deadline {
                text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
                if text.contains("listening on"), FileManager.default.fileExists(atPath: socket) { break }
                guard process.isRunning else { throw HarnessFailure("waiaasd exited: \(text)") }
                usleep(50_000)
            }
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("agent: ") }),
                  let key = Base58.decode(String(line.dropFirst("agent: ".count))) else {
                stop()
                throw HarnessFailure("waiaasd did not start: \(text)")
            }
            agent = key
        }

        /// SIGSTOP takes effect asynchronously: wait until every thread of
        /// the daemon is stopped, so no call sent after pause() is answered.
        func pause() {
            kill(process.processIdentifier, SIGSTOP)
            let tasks = "/proc/\(process.processIdentifier)/task"
            for _ in 0..<5000 {
                let states = ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).compactMap { tid in
                    (try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8))?
                        .split(separator: ")").last?.split(separator: " ").first
                }
                if !states.isEmpty, states.allSatisfy({ $0 == "T" || $0 == "t" }) { return }
                usleep(1_000)
            }
            XCTFail("waiaasd did not stop within 5 s of SIGSTOP")
        }
        func resume() { kill(process.processIdentifier, SIGCONT) }

        func stop() {
            if process.isRunning {
                resume()
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: tmp)
        }
    }

    /// A scenario step's request, for the generated client's typed methods.
    enum TypedRequest: Sendable {
        case getStatus, getPolicy
        case sign(SignRequest)
        case setPolicy(SetPolicyRequest)
        case attest(AttestRequest)
        /// Bytes to a raw method path (an unknown method).
        case raw([UInt8])
    }

    enum Outcome: Sendable {
        case response([UInt8])
        case failure(RPCError)
    }

    static func transfer(agent: [UInt8], lamports: UInt64) -> (transaction: [UInt8], message: [UInt8]) {
        var data: [UInt8] = [2, 0, 0, 0]
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: lamports >> (8 * UInt64(i)))) }
        let message = [1, 0, 1, 3] + agent + [UInt8](repeating: 0x33, count: 32) + [UInt8](repeating: 0, count: 32)
            + [UInt8](repeating: 0x42, count: 32) + [1, 2, 2, 0, 1, 12] + data
        return ([1] + [UInt8](repeating: 0, count: 64) + message, message)
    }

    static func setPolicyMessage(agent: [UInt8], version: UInt64, policy: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0xFF] + Array("waiaas set-policy v1".utf8) + [0] + agent
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: version >> UInt64(shift))) }
        return out + SHA256.hash(policy)
    }

    func testScenarios() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios.json")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let steps = doc["steps"] as! [[String: Any]]

        let daemon = try Daemon()
        defer { daemon.stop() }
        let client = try await WalletClient.connect(socketPath: daemon.socket)
        let owner = try OwnerKey.load(path: daemon.home + "/owner-dev.json")
        var policy: [UInt8] = []

        for step in steps {
            let name = step["name"] as! String
            let expect = step["expect"] as! [String: Any]
            var request = step["request"] as! [String: Any]
            let path = step["method_path"] as? String ?? "/waiaas.v1.Wallet/\(step["method"] as! String)"
            let timeout: Duration = (step["timeout_ms"] as? Int).map { .milliseconds($0) } ?? .seconds(30)

            // The request, from the scenario vocabulary, sent through the
            // generated client's typed method; a step naming a raw method
            // path (an unknown method) goes through the framed RPC directly.
            var typed: TypedRequest = .raw([])
            var txMessage: [UInt8] = []
            switch step["method"] as? String {
            case "GetStatus":
                typed = .getStatus
            case "GetPolicy":
                typed = .getPolicy
            case "Sign":
                let tx = Self.transfer(agent: daemon.agent, lamports: UInt64(request.removeValue(forKey: "transfer_lamports") as! Int))
                txMessage = tx.message
                typed = .sign(SignRequest(payload: .transaction(tx.transaction), dryRun: request["dry_run"] as? Bool ?? false))
            case "SetPolicy":
                let version = UInt64(request["version"] as! Int)
                let signature = request["sign_with"] as? String == "owner"
                    ? owner.sign(Self.setPolicyMessage(agent: daemon.agent, version: version, policy: policy))
                    : [UInt8](repeating: 0, count: 64)
                typed = .setPolicy(SetPolicyRequest(policy: policy, version: version,
                                                    signatures: [OwnerSignature(publicKey: owner.publicKey.bytes, signature: signature)],
                                                    agentPublicKey: daemon.agent))
            case "Attest":
                typed = .attest(AttestRequest(nonce: unhex(request["nonce_hex"] as! String)))
            default:
                typed = .raw([])
            }
            if step["method_path"] != nil { typed = .raw([]) }

            let call: @Sendable () async -> Outcome = { [typed] in
                do throws(RPCError) {
                    switch typed {
                    case .getStatus: return .response(try await client.getStatus(timeout: timeout).serializedBytes())
                    case .getPolicy: return .response(try await client.getPolicy(timeout: timeout).serializedBytes())
                    case .sign(let r): return .response(try await client.sign(r, timeout: timeout).serializedBytes())
                    case .setPolicy(let r): return .response(try await client.setPolicy(r, timeout: timeout).serializedBytes())
                    case .attest(let r): return .response(try await client.attest(r, timeout: timeout).serializedBytes())
                    case .raw(let payload): return .response(try await client.rpc.call(method: path, payload: payload, timeout: timeout))
                    }
                } catch {
                    return .failure(error)
                }
            }
            var outcomes: [Outcome] = []
            if step["pause_daemon"] as? Bool == true {
                daemon.pause()
                outcomes = [await call()]
                daemon.resume()
            } else if let n = step["concurrent"] as? Int {
                outcomes = await withTaskGroup(of: Outcome.self) { group in
                    for _ in 0..<n { group.addTask { await call() } }
                    var all: [Outcome] = []
                    for await o in group { all.append(o) }
                    return all
                }
            } else {
                outcomes = [await call()]
            }

            for outcome in outcomes {
                let status = expect["status"] as! Int
                switch outcome {
                case .failure(let error):
                    XCTAssertEqual(Int(error.code.rawValue), status, "\(name): \(error)")
                    let codes = error.status.reasons.map(\.code)
                    if let reasons = expect["reasons"] as? [String] { XCTAssertEqual(codes, reasons, name) }
                    for c in expect["reasons_include"] as? [String] ?? [] { XCTAssertTrue(codes.contains(c), "\(name): \(c) in \(codes)") }
                case .response(let bytes):
                    XCTAssertEqual(0, status, "\(name): answered, expected status \(status)")
                    guard status == 0 else { continue }
                    switch step["method"] as? String {
                    case "GetStatus":
                        let r = try GetStatusResponse(serializedBytes: bytes)
                        if expect["agent_is_banner_agent"] as? Bool == true { XCTAssertEqual(r.agentPublicKey, daemon.agent, name) }
                        if let v = expect["policy_version"] as? Int { XCTAssertEqual(r.policyVersion, UInt64(v), name) }
                        if let p = expect["platform"] as? String { XCTAssertEqual(r.platform, p, name) }
                        if let t = expect["owner_threshold"] as? Int { XCTAssertEqual(r.ownerThreshold, UInt32(t), name) }
                    case "GetPolicy":
                        let r = try GetPolicyResponse(serializedBytes: bytes)
                        XCTAssertEqual(r.version, UInt64(expect["policy_version"] as! Int), name)
                        XCTAssertEqual(r.signatures.count, expect["signature_count"] as! Int, name)
                        policy = r.policy
                    case "Sign":
                        let r = try SignResponse(serializedBytes: bytes)
                        if let d = expect["decision"] as? Int { XCTAssertEqual(Int(r.decision.rawValue), d, name) }
                        if let reasons = expect["reasons"] as? [String] { XCTAssertEqual(r.reasons.map(\.code), reasons, name) }
                        if expect["signature_verifies"] as? Bool == true {
                            XCTAssertTrue(Ed25519.verify(signature: r.signature, message: txMessage, publicKey: daemon.agent), name)
                            XCTAssertEqual(Array(r.signedTransaction[1..<65]), r.signature, name)
                        }
                        if expect["signer_is_agent"] as? Bool == true { XCTAssertEqual(r.signer, daemon.agent, name) }
                        if expect["signature_empty"] as? Bool == true { XCTAssertEqual(r.signature, [], name) }
                    case "Attest":
                        let r = try AttestResponse(serializedBytes: bytes)
                        let report = try AttestationReport(serializedBytes: r.report)
                        XCTAssertEqual(report.nonce, unhex(step["request"].flatMap { ($0 as! [String: Any])["nonce_hex"] as? String } ?? ""), name)
                        if expect["report_agent_is_agent"] as? Bool == true { XCTAssertEqual(report.agentPublicKey, daemon.agent, name) }
                        if let n = expect["signature_length"] as? Int { XCTAssertEqual(r.signature.count, n, name) }
                    default:
                        break
                    }
                }
            }
        }
        await client.close()
    }
}

/// The harness could not do its part (no daemon binary, a daemon that did not
/// start): a failure, never a skip.
struct HarnessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
