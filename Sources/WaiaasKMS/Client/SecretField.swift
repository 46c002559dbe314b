internal import WaiaasCustody
internal import CSodium
internal import WaiaasSolana

/// Reads an answer that carries a secret (a data key's `Plaintext`, an
/// instance role's `SecretAccessKey`) without the secret ever becoming a
/// Swift string: its text is found in the raw bytes, decoded straight into
/// guarded memory, and blanked in the buffer before the rest is parsed.
enum SecretField {
    /// The value of the first `"name":"…"` in `body` as a byte range of its
    /// text, or nil. Only plain strings without escapes qualify: base64 and
    /// AWS secret keys need none, and anything else is refused as malformed.
    static func locate(_ name: String, in bytes: [UInt8]) -> Range<Int>? {
        let key = Array("\"\(name)\"".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            if bytes[index..<(index + key.count)].elementsEqual(key) {
                var cursor = index + key.count
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x0a || bytes[cursor] == 0x0d || bytes[cursor] == 0x09 { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { index += 1; continue }
                cursor += 1
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x0a || bytes[cursor] == 0x0d || bytes[cursor] == 0x09 { cursor += 1 }
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") else { return nil }
                let start = cursor + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { return nil }
                    end += 1
                }
                return end < bytes.count ? start..<end : nil
            }
            index += 1
        }
        return nil
    }

    /// Takes the base64 field `name` out of `body` into guarded memory, blanks
    /// it there, and parses what is left.
    static func takeBase64(_ name: String, from body: WipedBytes) throws(KMSError) -> (secret: SecureBytes, rest: JSONValue) {
        guard let range = locate(name, in: body.bytes) else {
            throw KMSError(.malformed, "the answer has no \"\(name)\"")
        }
        let capacity = range.count / 4 * 3 + 3
        let scratch: SecureBytes
        do { scratch = try SecureBytes(count: capacity) } catch { throw KMSError(.secureMemory, error.message) }
        var length = 0
        let status = scratch.withUnsafeMutableBytes { out in
            body.bytes.withUnsafeBufferPointer { text in
                sodium_base642bin(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), out.count,
                    UnsafeRawPointer(text.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self), range.count,
                    nil, &length, nil, Int32(sodium_base64_VARIANT_ORIGINAL))
            }
        }
        guard status == 0 else { throw KMSError(.malformed, "\"\(name)\" is not base64") }
        let secret: SecureBytes
        do {
            secret = try SecureBytes(count: length)
        } catch {
            throw KMSError(.secureMemory, error.message)
        }
        secret.withUnsafeMutableBytes { out in
            scratch.withUnsafeBytes { from in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: from[0..<length])) }
        }
        body.blank(range)
        return (secret, try parse(body))
    }

    /// Takes the plain-text field `name` (an access secret) into guarded memory.
    static func takeText(_ name: String, from body: WipedBytes) throws(KMSError) -> (secret: SecureBytes, rest: JSONValue) {
        guard let range = locate(name, in: body.bytes), !range.isEmpty else {
            throw KMSError(.malformed, "the answer has no \"\(name)\"")
        }
        let secret: SecureBytes
        do { secret = try SecureBytes(count: range.count) } catch { throw KMSError(.secureMemory, error.message) }
        secret.withUnsafeMutableBytes { out in
            body.bytes.withUnsafeBytes { text in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: text[range])) }
        }
        body.blank(range)
        return (secret, try parse(body))
    }

    static func parse(_ body: WipedBytes) throws(KMSError) -> JSONValue {
        do {
            return try JSONValue.parse(body.bytes)
        } catch {
            throw KMSError(.malformed, "the answer is not JSON: \(error.message)")
        }
    }
}
