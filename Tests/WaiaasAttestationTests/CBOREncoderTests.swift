import XCTest
@testable import WaiaasAttestation

final class CBOREncoderTests: XCTestCase {
    func testShortestHeads() {
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(23))), "17")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(24))), "1818")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(255))), "18ff")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(256))), "190100")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(65_536))), "1a00010000")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.unsigned(1 << 32))), "1b0000000100000000")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.int(-35))), "3822")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.bytes([0xAA]))), "41aa")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.text("Signature1"))), "6a5369676e617475726531")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.tagged(18, .null))), "d2f6")
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.bool(true))), "f5")
    }

    func testCOSEProtectedHeaderEncoding() {
        // {1: -35}, the protected header of every NSM document.
        XCTAssertEqual(TestHex.string(CBOREncoder.encode(.map([.init(.unsigned(1), .int(-35))]))), "a1013822")
    }

    func testRoundTrip() throws {
        let item = CBOR.array([
            .map([.init(.text("k"), .bytes(Array(0 ..< 200))), .init(.unsigned(9), .null)]),
            .negative(UInt64.max), .unsigned(UInt64.max), .text("héllo"), .array([]), .map([]),
        ])
        XCTAssertEqual(try CBORDecoder().decode(CBOREncoder.encode(item)), item)
    }
}
