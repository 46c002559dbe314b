internal import COpenSSL

/// SHA-256 and HMAC-SHA256 from libssl, as SigV4 uses them.
enum Digest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in _ = SHA256(input.baseAddress, input.count, &out) }
        return out
    }

    /// HMAC-SHA256 with a key that may live in guarded memory: the key is
    /// read through the pointer, never copied into a Swift array.
    static func hmacSHA256(key: UnsafeRawBufferPointer, _ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        message.withUnsafeBufferPointer { input in
            _ = HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), input.baseAddress, input.count, &out, &length)
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
