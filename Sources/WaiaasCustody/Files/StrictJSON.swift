/// A deliberately small JSON reader for the keystore header: objects,
/// strings of printable ASCII without escapes, and unsigned integers. Anything
/// else (floats, negatives, escapes, duplicate keys, trailing bytes, deep
/// nesting) is refused, so a keystore has exactly one reading. Running out of
/// input where more is required is reported as `truncated`.
enum StrictJSON {
    indirect enum Value: Equatable {
        case string(String)
        case integer(UInt64)
        case object([String: Value])
    }

    static let maximumDepth = 4

    static func parse(_ bytes: [UInt8]) throws(KeystoreError) -> Value {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 1)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.malformed("unexpected data after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func truncated() -> KeystoreError {
            KeystoreError(.truncated, "the file ends at byte \(bytes.count) in the middle of its JSON")
        }

        func malformed(_ what: String) -> KeystoreError {
            KeystoreError(.unsupportedFormat, "malformed JSON at byte \(index): \(what)")
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func peek() throws(KeystoreError) -> UInt8 {
            guard index < bytes.count else { throw truncated() }
            return bytes[index]
        }

        mutating func expect(_ byte: UInt8) throws(KeystoreError) {
            guard try peek() == byte else { throw malformed("expected '\(Character(Unicode.Scalar(byte)))'") }
            index += 1
        }

        mutating func value(depth: Int) throws(KeystoreError) -> Value {
            switch try peek() {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
            default: throw malformed("expected an object, a string or an unsigned integer")
            }
        }

        mutating func object(depth: Int) throws(KeystoreError) -> Value {
            guard depth <= StrictJSON.maximumDepth else { throw malformed("nested too deeply") }
            try expect(UInt8(ascii: "{"))
            var members: [String: Value] = [:]
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                let keyStart = index
                let key = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                let member = try value(depth: depth + 1)
                guard members.updateValue(member, forKey: key) == nil else {
                    index = keyStart
                    throw malformed("duplicate key \"\(key)\"")
                }
                skipWhitespace()
                let next = try peek()
                index += 1
                if next == UInt8(ascii: "}") { return .object(members) }
                guard next == UInt8(ascii: ",") else {
                    index -= 1
                    throw malformed("expected ',' or '}'")
                }
            }
        }

        mutating func string() throws(KeystoreError) -> String {
            try expect(UInt8(ascii: "\""))
            let start = index
            while true {
                let byte = try peek()
                if byte == UInt8(ascii: "\"") { break }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else {
                    throw malformed("strings here are printable ASCII without escapes")
                }
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        mutating func integer() throws(KeystoreError) -> UInt64 {
            let start = index
            var value: UInt64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw malformed("integer too large") }
                value = sum
                index += 1
            }
            if index - start > 1 && bytes[start] == UInt8(ascii: "0") {
                index = start
                throw malformed("integer with a leading zero")
            }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                throw malformed("only unsigned integers are allowed")
            }
            return value
        }
    }
}
