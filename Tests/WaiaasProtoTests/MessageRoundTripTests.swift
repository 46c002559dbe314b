import XCTest
@testable import WaiaasProto

final class MessageRoundTripTests: XCTestCase {
    func testEnvelopeRoundTripKeepsEveryField() throws {
        let envelope = Envelope(
            callID: 0xFFFF_FFFF_FFFF_FFF0, method: WalletMethod.sign.rawValue, payload: [0, 1, 2, 255],
            status: Status(code: .permissionDenied, message: "no", reasons: [Reason(code: "a", message: "b"), Reason(code: "c", message: "")]),
            timeoutMilliseconds: 1500, metadata: ["request-id": "r-1", "ü": "ß"]
        )
        let decoded = try Envelope(serializedBytes: envelope.serializedBytes())
        XCTAssertEqual(decoded, envelope)
    }

    func testEmptyEnvelopeEncodesToNothingAndBack() throws {
        XCTAssertEqual(Envelope().serializedBytes(), [])
        XCTAssertEqual(try Envelope(serializedBytes: []), Envelope())
    }

    func testStatusPresenceSurvivesEvenWhenOK() throws {
        // An OK status has all-default fields but must still be present on answers.
        let decoded = try Envelope(serializedBytes: Envelope(callID: 1, status: .ok).serializedBytes())
        XCTAssertEqual(decoded.status, .ok)
        XCTAssertNil(try Envelope(serializedBytes: Envelope(callID: 1).serializedBytes()).status)
    }

    func testSignRequestOneofRoundTrips() throws {
        let table = LookupTable(address: Array(repeating: 7, count: 32), addresses: [Array(repeating: 1, count: 32), Array(repeating: 2, count: 32)])
        for payload in [SignRequest.Payload.transaction([1, 2, 3]), .offchainMessage([0xFF, 0x73]), nil] {
            let request = SignRequest(payload: payload, dryRun: true, lookupTables: [table], clientReference: "ref")
            XCTAssertEqual(try SignRequest(serializedBytes: request.serializedBytes()), request)
        }
    }

    func testEmptyBytesInOneofAreStillPresent() throws {
        let request = SignRequest(payload: .transaction([]))
        XCTAssertEqual(try SignRequest(serializedBytes: request.serializedBytes()).payload, .transaction([]))
    }

    func testWalletMessagesRoundTrip() throws {
        let key = Array(repeating: UInt8(9), count: 32)
        try assertRoundTrip(SignResponse(
            decision: .approvalRequired, signature: Array(repeating: 1, count: 64), signedTransaction: [1, 2], ledgerSequence: 42,
            reasons: [Reason(code: "approval_required", message: "over threshold")], signer: key,
            outflows: [AssetAmount(mint: [], amount: 5, decimals: 9, decimalsKnown: true)], replayed: true, maxFeeLamports: 5000))
        try assertRoundTrip(ProposeRequest(transaction: [1], lookupTables: [LookupTable(address: key)], vaultIndex: 2, submit: true, recentBlockhash: key, memo: "m", ephemeralSigners: 1))
        try assertRoundTrip(ProposeResponse(multisig: key, vault: key, transactionIndex: 3, vaultTransaction: key, proposal: key, signedTransaction: [4], signature: [5], submitted: true, ledgerSequence: 6, reasons: [Reason(code: "x")]))
        try assertRoundTrip(SetPolicyRequest(policy: [1, 2, 3], version: 7, signatures: [OwnerSignature(publicKey: key, signature: [1])]))
        try assertRoundTrip(SetPolicyResponse(version: 7, policyHash: key, ledgerSequence: 8))
        try assertRoundTrip(AttestRequest(nonce: Array(repeating: 3, count: 16)))
        try assertRoundTrip(AttestResponse(report: [1], signature: [2], nitroDocument: [3]))
        try assertRoundTrip(GetStatusRequest())
        try assertRoundTrip(GetStatusResponse(version: "1", uptimeMilliseconds: 2, connections: 3, agentPublicKey: key, policyVersion: 4, policyHash: key, ledgerSequence: 5, platform: "software", callsInFlight: 6, ownerPublicKeys: [key, key], ownerThreshold: 2))
        try assertRoundTrip(AttestationReport(
            formatVersion: 1, agentPublicKey: key, ownerPublicKeys: [key], ownerThreshold: 1, multisig: key, vault: key,
            policyHash: key, policyVersion: 3, ledgerHead: LedgerHead(sequence: 9, hash: key),
            measurement: CodeMeasurement(executableSHA384: [1], configurationSHA384: [2]), platform: .nitro,
            nonce: [1, 2], timeUnixMilliseconds: 1_700_000_000_000))
    }

    func testUnknownEnumValuesRoundTrip() throws {
        let response = SignResponse(decision: Decision(rawValue: 77))
        XCTAssertEqual(try SignResponse(serializedBytes: response.serializedBytes()).decision.rawValue, 77)
    }

    private func assertRoundTrip<M: ProtoMessage>(_ message: M, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try M(serializedBytes: message.serializedBytes()), message, file: file, line: line)
    }
}
