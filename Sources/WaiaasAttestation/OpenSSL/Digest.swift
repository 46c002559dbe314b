internal import COpenSSL
import Foundation

/// SHA-2 digests through libcrypto. libsodium has no SHA-384, which both the
/// Nitro documents (ES384, user_data) and the code measurement use.
public enum Digest {
    public static func sha384(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha384(), length: 48) }
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha256(), length: 32) }

    private static func digest(_ bytes: [UInt8], _ md: OpaquePointer?, length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var written: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &written, md, nil)
            }
        }
        // EVP_Digest only fails on allocation failure or a broken libcrypto;
        // neither is something a caller could handle.
        precondition(ok == 1 && Int(written) == length, "libcrypto digest failed")
        return out
    }

    /// SHA-384 of a file's contents, read in chunks so a large executable
    /// is never held in memory at once.
    public static func sha384(fileAtPath path: String) throws(AttestationError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw AttestationError(.measurementUnreadable, "cannot read \(path) to measure it") }
        defer { try? handle.close() }
        guard let context = EVP_MD_CTX_new() else { throw AttestationError(.digestFailed, "libcrypto could not compute SHA-384") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha384(), nil) == 1 else { throw AttestationError(.digestFailed, "libcrypto could not compute SHA-384") }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw AttestationError(.measurementUnreadable, "cannot read \(path) to measure it")
            }
            if chunk.isEmpty { break }
            let ok = chunk.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            guard ok == 1 else { throw AttestationError(.digestFailed, "libcrypto could not compute SHA-384") }
        }
        var out = [UInt8](repeating: 0, count: 48)
        var written: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &written) }
        guard ok == 1, written == 48 else { throw AttestationError(.digestFailed, "libcrypto could not compute SHA-384") }
        return out
    }
}
