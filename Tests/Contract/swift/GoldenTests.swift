// golden.json, byte for byte, for the Swift messages (WaiaasProto over protoc-c):
// each canonical message, built here with the same values Tests/Contract/make_golden.py
// used, encodes to exactly the golden bytes and decodes back to an equal value.
import Foundation
import WaiaasProto
import XCTest

final class GoldenTests: XCTestCase {
    nonisolated(unsafe) static let golden: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("golden.json")
        let data = try! Data(contentsOf: url)
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func entry(_ path: String) -> (type: String, hex: String) {
        let parts = path.split(separator: ".").map(String.init)
        var node: Any = golden
        for p in parts { node = (node as! [String: Any])[p]! }
        let e = node as! [String: Any]
        return (e["type"] as! String, e["hex"] as! String)
    }

    func check<M: ProtoMessage>(_ path: String, _ value: M, file: StaticString = #filePath, line: UInt = #line) {
        let e = Self.entry(path)
        XCTAssertEqual(M.protoName, e.type, "\(path): type", file: file, line: line)
        XCTAssertEqual(hex(value.serializedBytes()), e.hex, "\(path): encoding", file: file, line: line)
        do {
            let decoded = try M(serializedBytes: unhex(e.hex))
            XCTAssertEqual(decoded, value, "\(path): decoded value", file: file, line: line)
        } catch {
            XCTFail("\(path): decode failed: \(error)", file: file, line: line)
        }
    }

    // The values make_golden.py uses.
    func key(_ n: UInt8) -> [UInt8] { [UInt8](repeating: n, count: 32) }
    func sig(_ n: Int) -> [UInt8] { (0..<64).map { UInt8((n + $0) % 256) } }
    var tx: [UInt8] { Array(1...0x90) }
    var policy: Policy {
        Policy(
            format: 1, name: "trading agent, small daily budget ✓",
            assets: [AssetRule(symbol: "SOL", decimals: 9, perTransaction: Amount(value: 100_000_000),
                               windows: [WindowLimit(seconds: 86400, amount: 1_000_000_000)], approvalThreshold: Amount(value: 0))],
            programs: ProgramRule(allowed: [key(0x21)], includeDefaults: true, unlisted: .approval),
            control: ControlRule(allowAssign: true, allowNonceAuthorityChange: true),
            offchain: OffchainRule(allowed: true, allowedPrefixes: ["login:"], allowedDomains: [key(0x22)]),
            maxFeeLamports: Amount(value: 50_000),
            rateLimits: [RateLimit(seconds: 60, maxSignatures: 10)],
            validity: Validity(notBefore: 1_700_000_000, notAfter: UInt64.max),
            activeHours: [ActiveHours(timeZone: "Europe/Berlin", weekdays: [1, 2, 3, 4, 5, 300], startMinute: 540, endMinute: 1080)],
            destinations: DestinationRule(allow: [key(0x23)], deny: [key(0x24)]))
    }
    var report: AttestationReport {
        AttestationReport(
            formatVersion: 1, agentPublicKey: key(0xA1), ownerPublicKeys: [key(0xB1), key(0xB2)], ownerThreshold: 2,
            multisig: key(0xC1), vault: [], policyHash: key(0xD1), policyVersion: 3,
            ledgerHead: LedgerHead(sequence: 9_007_199_254_740_993, hash: key(0xE1)),
            measurement: CodeMeasurement(executableSHA384: [UInt8](repeating: 0xF1, count: 48),
                                         configurationSHA384: [UInt8](repeating: 0xF2, count: 48)),
            platform: .software, nonce: Array(0..<32), timeUnixMilliseconds: 1_764_000_000_123)
    }
    var ownerSignatures: [OwnerSignature] {
        [OwnerSignature(publicKey: key(0xB1), signature: sig(1)), OwnerSignature(publicKey: key(0xB2), signature: sig(2))]
    }

    /// (method, request, response) as make_golden.py builds them.
    var methods: [(String, any ProtoMessage, any ProtoMessage)] {
        [
            ("GetStatus", GetStatusRequest(), GetStatusResponse(
                version: "0.1.0", uptimeMilliseconds: 123_456, connections: 3, agentPublicKey: key(0xA1), policyVersion: 1,
                policyHash: key(0xD1), ledgerSequence: 9_007_199_254_740_993, platform: "software", callsInFlight: 1,
                ownerPublicKeys: [key(0xB1)], ownerThreshold: 1)),
            ("Sign", SignRequest(
                payload: .transaction(tx), dryRun: true,
                lookupTables: [LookupTable(address: key(0x31), addresses: [key(0x32), key(0x33)])],
                clientReference: "order-42 ✓"), SignResponse(
                decision: .allow, signature: sig(7), signedTransaction: tx, ledgerSequence: UInt64.max,
                reasons: [Reason(code: "within_policy", message: "sends 0.000006 SOL within every limit")], signer: key(0xA1),
                outflows: [AssetAmount(mint: [], amount: 1_005_000, decimals: 9, decimalsKnown: true)],
                replayed: true, maxFeeLamports: 5000)),
            ("Propose", ProposeRequest(
                transaction: tx, lookupTables: [LookupTable(address: key(0x31), addresses: [key(0x32)])], vaultIndex: 1,
                submit: true, recentBlockhash: key(0x41), memo: "needs the owners", ephemeralSigners: 2), ProposeResponse(
                multisig: key(0xC1), vault: key(0xC2), transactionIndex: 42, vaultTransaction: key(0xC3), proposal: key(0xC4),
                signedTransaction: tx, signature: sig(9), submitted: true, ledgerSequence: 77,
                reasons: [Reason(code: "approval_required", message: "0.5 SOL is above the approval threshold")])),
            ("SetPolicy", SetPolicyRequest(policy: policy.serializedBytes(), version: 2, signatures: ownerSignatures, agentPublicKey: key(0xA1)),
             SetPolicyResponse(version: 2, policyHash: key(0xD2), ledgerSequence: 12)),
            ("Attest", AttestRequest(nonce: Array(0..<32)), AttestResponse(report: report.serializedBytes(), signature: sig(11), nitroDocument: [])),
            ("GetPolicy", GetPolicyRequest(), GetPolicyResponse(
                policy: policy.serializedBytes(), version: 2, policyHash: key(0xD2), signatures: ownerSignatures, ledgerSequence: 12)),
        ]
    }

    func testMethodMessages() {
        for (name, request, response) in methods {
            check("methods.\(name).request", request)
            check("methods.\(name).response", response)
        }
    }

    func testMethodEnvelopes() {
        for (i, (name, request, response)) in methods.enumerated() {
            let callID: UInt64 = i + 1 < 6 ? UInt64(i + 1) : 9_007_199_254_740_993
            let path = "/waiaas.v1.Wallet/\(name)"
            check("methods.\(name).request_envelope", Envelope(
                callID: callID, method: path, payload: request.serializedBytes(), timeoutMilliseconds: 5000,
                metadata: ["request-id": "r\(i + 1)"]))
            check("methods.\(name).response_envelope", Envelope(
                callID: callID, method: path, payload: response.serializedBytes(), status: Status()))
        }
    }

    func testErrors() {
        check("errors.sign_denied", Envelope(callID: 8, method: "/waiaas.v1.Wallet/Sign", status: Status(
            code: .permissionDenied, message: "denied by policy (ledger #3)",
            reasons: [Reason(code: "per_transaction_limit_exceeded", message: "0.500005 SOL in one transaction; the limit is 0.1 SOL")])))
        check("errors.connection_error", Envelope(callID: 0, status: Status(code: .invalidArgument, message: "a request with call id 0")))
        check("errors.negative_code", Status(code: StatusCode(rawValue: -1), message: "int32 below zero: ten varint bytes"))
    }

    func testOtherMessages() {
        check("messages.policy", policy)
        check("messages.attestation_report", report)
        check("messages.sign_offchain", SignRequest(payload: .offchainMessage([0xFF] + Array("solana offchain".utf8))))
        check("messages.sign_empty_transaction", SignRequest(payload: .transaction([])))
    }
}

func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

func unhex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return out
}
