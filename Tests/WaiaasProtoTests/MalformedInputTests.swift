import XCTest
@testable import WaiaasProto

final class MalformedInputTests: XCTestCase {
    private let sample = Envelope(
        callID: 99, method: "/waiaas.v1.Wallet/GetStatus", payload: Array(repeating: 0xAB, count: 40),
        status: Status(code: .internal, message: "x", reasons: [Reason(code: "c", message: "m")]),
        timeoutMilliseconds: 10, metadata: ["k": "v"]
    )

    func testEveryTruncationIsAnErrorOrAValidPrefix() throws {
        // Cutting a message at a field boundary leaves a valid shorter message;
        // anywhere else protobuf-c must refuse it. Either way, no crash.
        let bytes = sample.serializedBytes()
        var refused = 0
        for cut in 0..<bytes.count {
            do {
                _ = try Envelope(serializedBytes: Array(bytes[..<cut]))
            } catch {
                XCTAssertEqual(error.code, .malformed)
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, bytes.count / 2)
    }

    func testGarbageIsRefused() {
        // Field 1 with wire type 7 does not exist.
        XCTAssertThrowsError(try Envelope(serializedBytes: [0x0F, 0x01])) { error in
            XCTAssertEqual((error as? ProtoError)?.code, .malformed)
        }
        // A length prefix pointing past the end.
        XCTAssertThrowsError(try Envelope(serializedBytes: [0x12, 0x7F, 0x41]))
        // A varint that never ends.
        XCTAssertThrowsError(try Envelope(serializedBytes: [0x08] + Array(repeating: 0xFF, count: 11)))
    }

    func testRandomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let count = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Envelope(serializedBytes: bytes)
            _ = try? SignRequest(serializedBytes: bytes)
            _ = try? AttestationReport(serializedBytes: bytes)
        }
    }

    func testUnknownFieldsAreSkippedAsProto3Requires() throws {
        // A newer client may send fields this daemon does not know (here field
        // 15, varint, and field 16, length-delimited); the known ones still decode.
        let known = GetStatusResponse(version: "9", connections: 4)
        let extended = known.serializedBytes() + [0x78, 0x05] + [0x82, 0x01, 0x02, 0x61, 0x62]
        XCTAssertEqual(try GetStatusResponse(serializedBytes: extended), known)
    }

    func testInvalidUTF8InAStringFieldIsRefused() {
        // Field 2 (method), length 2, bytes that are not UTF-8.
        XCTAssertThrowsError(try Envelope(serializedBytes: [0x12, 0x02, 0xC3, 0x28])) { error in
            XCTAssertEqual((error as? ProtoError)?.code, .invalidUTF8)
        }
    }

    func testWrongWireTypeForAKnownFieldIsRefused() {
        // call_id (field 1) sent as length-delimited.
        XCTAssertThrowsError(try Envelope(serializedBytes: [0x0A, 0x01, 0x00]))
    }
}
