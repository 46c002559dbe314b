import XCTest
@testable import WaiaasSolana

/// The strict reader of node answers: exact integers, no repeated keys,
/// bounded depth, and nothing RFC 8259 does not allow.
final class JSONParserTests: XCTestCase {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    func testReadsEveryKindAndKeepsOrder() throws {
        let value = try parse(#" {"b": [1, -2, 3.5e1, true, false, null], "a": "x\u00e9\n\ud83d\ude00"} "#)
        XCTAssertEqual(value, .object([
            ("b", .array([.uint(1), .int(-2), .number("3.5e1"), .bool(true), .bool(false), .null])),
            ("a", .string("xé\n😀")),
        ]))
        XCTAssertEqual(value["a"], .string("xé\n😀"))
        XCTAssertNil(value["c"])
    }

    /// Lamports and rentEpoch are u64: 18446744073709551615 must not become 1.8446744073709552e19.
    func testIntegersAreExact() throws {
        XCTAssertEqual(try parse("18446744073709551615"), .uint(.max))
        XCTAssertEqual(try parse("9007199254740993"), .uint(9_007_199_254_740_993))
        XCTAssertEqual(try parse("-9223372036854775808"), .int(.min))
        XCTAssertThrowsError(try parse("18446744073709551616")) { XCTAssertEqual(($0 as? JSONParseError)?.code, .numberOutOfRange) }
        XCTAssertThrowsError(try parse("-9223372036854775809")) { XCTAssertEqual(($0 as? JSONParseError)?.code, .numberOutOfRange) }
    }

    func testRefusesWhatRFC8259Refuses() {
        for text in ["", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "1e", "+1", "[1 2]", "{\"a\" 1}", "'a'", "\"\u{01}\"",
                     "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "tru", "nul", "[1] x", "{\"a\":1}{", "\"abc", "NaN", "Infinity"] {
            XCTAssertThrowsError(try parse(text), "accepted \(text.debugDescription)")
        }
    }

    /// Foundation keeps one of two values under a repeated key; a node's
    /// answer with two `lamports` must not be read either way.
    func testRepeatedKeyIsRefused() {
        XCTAssertThrowsError(try parse(#"{"lamports": 1, "lamports": 2}"#)) { error in
            XCTAssertEqual(error as? JSONParseError, JSONParseError(.duplicateKey, offset: 16, #"key "lamports" appears twice in one object"#))
        }
    }

    func testDepthIsBounded() throws {
        let ok = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        XCTAssertNoThrow(try parse(ok))
        let deep = String(repeating: "[", count: JSONValue.maximumDepth + 1) + String(repeating: "]", count: JSONValue.maximumDepth + 1)
        XCTAssertThrowsError(try parse(deep)) { XCTAssertEqual(($0 as? JSONParseError)?.code, .tooDeep) }
        XCTAssertThrowsError(try parse(String(repeating: "[", count: 100_000))) { XCTAssertEqual(($0 as? JSONParseError)?.code, .tooDeep) }
    }

    func testInvalidUTF8IsRefused() {
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xC3, 0x28, 0x22])) {
            XCTAssertEqual(($0 as? JSONParseError)?.code, .invalidUTF8)
            XCTAssertEqual(($0 as? JSONParseError)?.offset, 1)
        }
    }

    /// What the writer writes, the reader reads back as the same value.
    func testRoundTripsTheWriter() throws {
        let value = JSONValue.object([("k", .array([.uint(.max), .int(-1), .string("\"\\\u{7f}\u{2028}"), .object([])])), ("e", .array([]))])
        XCTAssertEqual(try JSONValue.parse(Array(value.serialized().utf8)), value)
        XCTAssertEqual(try JSONValue.parse(Array(value.serialized(pretty: true).utf8)), value)
    }
}
