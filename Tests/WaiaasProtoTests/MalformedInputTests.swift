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

    /// protobuf-c's strings end at their first NUL, so a string holding one
    /// is refused rather than read cut short, at any depth.
    func testAStringHoldingANULIsRefusedWherever() throws {
        func withNUL(_ marked: Envelope) -> [UInt8] {
            var bytes = marked.serializedBytes()
            let marker = Array("\u{1}NUL".utf8)
            let at = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker }!
            bytes[at] = 0
            return bytes
        }
        var method = sample
        method.method = "/waiaas.v1.Wallet/GetStatus\u{1}NUL"
        var reason = sample
        reason.status = Status(code: .internal, message: "x", reasons: [Reason(code: "c\u{1}NUL", message: "m")])
        var metadata = sample
        metadata.metadata = ["k": "v\u{1}NUL"]
        for (envelope, path) in [(method, "method"), (reason, "status.reasons.code"), (metadata, "metadata.value")] {
            let bytes = withNUL(envelope)
            XCTAssertThrowsError(try Envelope(serializedBytes: bytes), path) { error in
                XCTAssertEqual((error as? ProtoError)?.code, .invalidField)
                XCTAssertEqual((error as? ProtoError)?.message, "waiaas.v1.Envelope: string field \(path) holds a NUL byte")
            }
            // The same bytes with the marker left alone decode to exactly what was sent.
            XCTAssertEqual(try Envelope(serializedBytes: envelope.serializedBytes()), envelope)
        }
        // A NUL inside `bytes` is data, not a terminator.
        var payload = sample
        payload.payload = [0, 1, 0]
        XCTAssertEqual(try Envelope(serializedBytes: payload.serializedBytes()).payload, [0, 1, 0])
    }

    /// Every one-byte change of a message with nested messages: the NUL
    /// scan must follow or give up, never read past a nested message's end
    /// (the fuzzer's first find: a tag varint running past it).
    func testEveryByteChangeOfANestedMessageDecodesOrIsRefused() {
        let bytes = sample.serializedBytes()
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                var changed = bytes
                changed[index] = value
                _ = try? Envelope(serializedBytes: changed)
                _ = try? Envelope(serializedBytes: Array(changed[..<index]))
            }
        }
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
        // 90, varint, and field 91, length-delimited); the known ones still decode.
        let known = GetStatusResponse(version: "9", connections: 4)
        let extended = known.serializedBytes() + [0xD0, 0x05, 0x05] + [0xDA, 0x05, 0x02, 0x61, 0x62]
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
