/// Finds a key an object of a JSON text names twice. Foundation's parser
/// keeps one of the two values silently, so a policy file could show its
/// reader one limit and put another in force; the policy reader refuses
/// such a file instead. Only run on text the parser accepted, so it follows
/// the grammar without checking it, and keys are compared after unescaping
/// (`"a"` and `"\u0061"` are the same key).
enum JSONDuplicateKeys {
    /// The first duplicated key, with the path of its object, or nil.
    static func first(in bytes: [UInt8]) -> (path: String, key: String)? {
        var scanner = Scanner(bytes: bytes)
        return scanner.value(path: "$")
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// Scans one value; returns the first duplicate found inside it.
        mutating func value(path: String) -> (path: String, key: String)? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var seen: Set<String> = []
                while true {
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    let key = string()
                    if !seen.insert(key).inserted { return (path, key) }
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                    if let found = value(path: path + "." + key) { return found }
                }
            case UInt8(ascii: "["):
                index += 1
                var position = 0
                while true {
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; position += 1; continue }
                    if let found = value(path: path + "[\(position)]") { return found }
                }
            case UInt8(ascii: "\""):
                _ = string()
                return nil
            default:
                // A number, true, false or null: up to the next delimiter.
                while index < bytes.count, !",]} \t\n\r".utf8.contains(bytes[index]) { index += 1 }
                return nil
            }
        }

        /// A string starting at its opening quote, unescaped.
        mutating func string() -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            var pendingHigh: UInt32?
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                let byte = bytes[index]
                index += 1
                guard byte == UInt8(ascii: "\\"), index < bytes.count else { raw.append(byte); continue }
                let escape = bytes[index]
                index += 1
                flush()
                switch escape {
                case UInt8(ascii: "u"):
                    let digits = bytes[index..<min(index + 4, bytes.count)]
                    index += digits.count
                    let unit = UInt32(String(decoding: digits, as: UTF8.self), radix: 16) ?? 0xFFFD
                    if (0xD800..<0xDC00).contains(unit) { pendingHigh = unit; continue }
                    if let high = pendingHigh, (0xDC00..<0xE000).contains(unit) {
                        scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)) ?? "\u{FFFD}")
                    } else {
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    }
                    pendingHigh = nil
                    continue
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                default: scalars.append(Unicode.Scalar(escape))
                }
                pendingHigh = nil
            }
            flush()
            index += 1
            return String(scalars)
        }
    }
}
