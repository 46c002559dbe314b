/// Parsing and formatting of solana-keygen's `[n,n,...]` text directly
/// between guarded buffers. Error messages give offsets, never values.
enum KeypairJSON {
    static let byteCount = 64
    /// "[" + 64 numbers of up to 3 digits + 63 commas + "]" + "\n".
    static let maximumLength = 2 + byteCount * 3 + (byteCount - 1) + 1

    static func parse(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(KeystoreError) {
        precondition(out.count == byteCount)
        var i = 0
        func skipWhitespace() {
            while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { i += 1 }
        }
        func fail(_ what: String) -> KeystoreError {
            KeystoreError(.invalidImport, "not a solana-keygen keypair file: \(what) (at byte \(i))")
        }
        func expect(_ byte: UInt8, _ what: String) throws(KeystoreError) {
            guard i < text.count else { throw fail("it ends early, expected \(what)") }
            guard text[i] == byte else { throw fail("expected \(what)") }
            i += 1
        }
        skipWhitespace()
        try expect(UInt8(ascii: "["), "'['")
        for n in 0..<byteCount {
            skipWhitespace()
            let start = i
            var value = 0
            while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9"), i - start < 3 {
                value = value * 10 + Int(text[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i > start else {
                throw fail(i < text.count && text[i] == UInt8(ascii: "]") ? "only \(n) numbers, expected \(byteCount)" : "expected a number 0-255")
            }
            guard i - start == 1 || text[start] != UInt8(ascii: "0") else { throw fail("a number with a leading zero") }
            guard value <= 255, i >= text.count || !(text[i] >= UInt8(ascii: "0") && text[i] <= UInt8(ascii: "9")) else {
                throw fail("a number above 255")
            }
            out[n] = UInt8(value)
            value = 0
            skipWhitespace()
            if n < byteCount - 1 {
                guard i >= text.count || text[i] != UInt8(ascii: "]") else { throw fail("only \(n + 1) numbers, expected \(byteCount)") }
                try expect(UInt8(ascii: ","), "','")
            }
        }
        guard i >= text.count || text[i] != UInt8(ascii: ",") else { throw fail("more than \(byteCount) numbers") }
        try expect(UInt8(ascii: "]"), "']'")
        skipWhitespace()
        guard i == text.count else { throw fail("unexpected data after the array") }
    }

    /// Writes `[seed..., publicKey...]` and a newline; returns the length.
    static func format(seed: UnsafeRawBufferPointer, publicKey: [UInt8], into out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(seed.count == 32 && publicKey.count == 32 && out.count >= maximumLength)
        var i = 0
        func put(_ byte: UInt8) {
            out[i] = byte
            i += 1
        }
        func putNumber(_ value: UInt8) {
            if value >= 100 { put(UInt8(ascii: "0") + value / 100) }
            if value >= 10 { put(UInt8(ascii: "0") + value / 10 % 10) }
            put(UInt8(ascii: "0") + value % 10)
        }
        put(UInt8(ascii: "["))
        for n in 0..<byteCount {
            if n > 0 { put(UInt8(ascii: ",")) }
            putNumber(n < 32 ? seed[n] : publicKey[n - 32])
        }
        put(UInt8(ascii: "]"))
        put(UInt8(ascii: "\n"))
        return i
    }
}
