import XCTest
@testable import WaiaasAttestation

final class CBORDecoderTests: XCTestCase {
    private let decoder = CBORDecoder()

    private func decode(_ hex: String) throws -> CBOR { try decoder.decode(TestHex.bytes(hex)) }

    private func assertError(_ hex: String, _ expected: AttestationError.Code, offset: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decoder.decode(TestHex.bytes(hex)), file: file, line: line) { error in
            let error = error as? AttestationError
            XCTAssertEqual(error?.code, expected, file: file, line: line)
            XCTAssertEqual(error?.offset, offset, "offset", file: file, line: line)
        }
    }

    // RFC 8949 appendix A examples that this codec supports.
    func testRFCExamples() throws {
        XCTAssertEqual(try decode("00"), .unsigned(0))
        XCTAssertEqual(try decode("17"), .unsigned(23))
        XCTAssertEqual(try decode("1818"), .unsigned(24))
        XCTAssertEqual(try decode("1903e8"), .unsigned(1000))
        XCTAssertEqual(try decode("1a000f4240"), .unsigned(1_000_000))
        XCTAssertEqual(try decode("1bffffffffffffffff"), .unsigned(UInt64.max))
        XCTAssertEqual(try decode("20"), .int(-1))
        XCTAssertEqual(try decode("3863"), .int(-100))
        XCTAssertEqual(try decode("3bffffffffffffffff"), .negative(UInt64.max))
        XCTAssertEqual(try decode("4401020304"), .bytes([1, 2, 3, 4]))
        XCTAssertEqual(try decode("6449455446"), .text("IETF"))
        XCTAssertEqual(try decode("62c3bc"), .text("\u{fc}"))
        XCTAssertEqual(try decode("83010203"), .array([.unsigned(1), .unsigned(2), .unsigned(3)]))
        XCTAssertEqual(try decode("a201020304"), .map([.init(.unsigned(1), .unsigned(2)), .init(.unsigned(3), .unsigned(4))]))
        XCTAssertEqual(try decode("c11a514b67b0"), .tagged(1, .unsigned(1_363_896_240)))
        XCTAssertEqual(try decode("f4"), .bool(false))
        XCTAssertEqual(try decode("f5"), .bool(true))
        XCTAssertEqual(try decode("f6"), .null)
    }

    func testMapLookupAndIntegers() throws {
        let map = try decode("a2616101616220")
        XCTAssertEqual(map[text: "a"]?.int64Value, 1)
        XCTAssertEqual(map[text: "b"]?.int64Value, -1)
        XCTAssertNil(map[text: "c"])
        XCTAssertNil(CBOR.negative(UInt64.max).int64Value)
        XCTAssertEqual(CBOR.int(-35), .negative(34))
    }

    func testIndefiniteLengthsAreRefused() {
        assertError("5f42010243030405ff", .cborIndefiniteLength, offset: 0)  // bytes
        assertError("7f657374726561646d696e67ff", .cborIndefiniteLength, offset: 0)  // text
        assertError("9f018202039f0405ffff", .cborIndefiniteLength, offset: 0)  // array
        assertError("bf61610161629f0203ffff", .cborIndefiniteLength, offset: 0)  // map
        assertError("8201ff", .cborIndefiniteLength, offset: 2)  // a lone break
        assertError("82019f", .cborIndefiniteLength, offset: 2)
    }

    func testTruncatedInputsAreErrors() {
        assertError("", .cborTruncated, offset: 0)
        assertError("18", .cborTruncated, offset: 1)
        assertError("1a0001", .cborTruncated, offset: 3)
        assertError("4401", .cborTruncated, offset: 1)
        assertError("830102", .cborTruncated, offset: 1)
        assertError("a10102a1", .cborTrailingBytes, offset: 3)
        assertError("a201", .cborTruncated, offset: 1)  // two pairs need at least four bytes
    }

    func testHugeDeclaredLengthsFailWithoutAllocating() {
        // A byte string, an array and a map each claiming 2^64-1 entries.
        assertError("5bffffffffffffffff00", .cborTruncated, offset: 9)
        assertError("9bffffffffffffffff00", .cborTruncated, offset: 9)
        assertError("bbffffffffffffffff00", .cborTruncated, offset: 9)
        assertError("7a7fffffff41", .cborTruncated, offset: 5)
    }

    func testReservedAndUnsupportedSimpleValues() {
        assertError("1c", .cborReservedAdditionalInfo, offset: 0)
        assertError("5d", .cborReservedAdditionalInfo, offset: 0)
        assertError("fc", .cborReservedAdditionalInfo, offset: 0)
        assertError("f7", .cborUnsupportedSimpleValue, offset: 0)  // undefined
        assertError("f90000", .cborUnsupportedSimpleValue, offset: 0)  // half float
        assertError("fb3ff199999999999a", .cborUnsupportedSimpleValue, offset: 0)  // double
        assertError("f820", .cborUnsupportedSimpleValue, offset: 0)  // simple(32)
    }

    func testInvalidUTF8AndDuplicateKeysAreRefused() {
        assertError("62c328", .cborInvalidUTF8, offset: 0)
        assertError("a2010201 03", .cborDuplicateMapKey, offset: 3)
        assertError("a2616101616102", .cborDuplicateMapKey, offset: 4)
    }

    func testTrailingBytesAreRefused() {
        assertError("0000", .cborTrailingBytes, offset: 1)
        assertError("f6f6", .cborTrailingBytes, offset: 1)
    }

    func testNestingIsBounded() throws {
        // 16 nested arrays decode with the default depth; 17 do not.
        let ok = [UInt8](repeating: 0x81, count: 16) + [0x00]
        XCTAssertNoThrow(try decoder.decode(ok))
        let deep = [UInt8](repeating: 0x81, count: 17) + [0x00]
        XCTAssertThrowsError(try decoder.decode(deep)) { XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooDeep) }
        // Far deeper than any stack would survive by recursion: still an error, not a crash.
        let abusive = [UInt8](repeating: 0x81, count: 60_000) + [0x00]
        XCTAssertThrowsError(try decoder.decode(abusive)) { XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooDeep) }
        // Tags and maps count as nesting too.
        let tags = [UInt8](repeating: 0xC6, count: 17) + [0x00]
        XCTAssertThrowsError(try decoder.decode(tags)) { XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooDeep) }
        var maps: [UInt8] = []
        for _ in 0 ..< 17 { maps += [0xA1, 0x00] }
        maps.append(0x00)
        XCTAssertThrowsError(try decoder.decode(maps)) { XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooDeep) }
    }

    func testOverLongInputIsRefused() {
        let small = CBORDecoder(maximumSize: 8)
        XCTAssertThrowsError(try small.decode([0x49] + [UInt8](repeating: 0, count: 9))) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooLarge)
        }
        XCTAssertNoThrow(try small.decode([0x47] + [UInt8](repeating: 0, count: 7)))
        let big = [UInt8](repeating: 0, count: CBORDecoder.defaultMaximumSize + 1)
        XCTAssertThrowsError(try decoder.decode(big)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .cborTooLarge)
        }
    }

    /// Random and mutated inputs must only ever throw AttestationError with a CBOR code, never trap.
    func testRandomInputsNeverCrash() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let seedDoc = CBOREncoder.encode(.map([
            .init(.text("a"), .array([.unsigned(1), .bytes([1, 2, 3]), .null, .tagged(18, .text("x"))])),
            .init(.int(-7), .map([.init(.bool(true), .bytes(Array(repeating: 7, count: 40)))])),
        ]))
        XCTAssertNoThrow(try decoder.decode(seedDoc))
        var failures = 0
        for round in 0 ..< 20_000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = seedDoc
                for _ in 0 ... Int(rng.next() % 4) {
                    input[Int(rng.next() % UInt64(input.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            } else {
                input = (0 ..< Int(rng.next() % 24)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            do {
                let item = try decoder.decode(input)
                // Whatever decodes must re-encode to something that decodes to the same item.
                XCTAssertEqual(try decoder.decode(CBOREncoder.encode(item)), item)
            } catch {
                _ = error  // typed throws: only AttestationError can arrive here
                failures += 1
            }
        }
        XCTAssertGreaterThan(failures, 1000, "the mutations should mostly produce invalid inputs")
    }
}
