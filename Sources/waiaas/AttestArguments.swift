import ArgumentParser
import Foundation
import WaiaasAttestation
import WaiaasSolana

/// Parsing of the attest commands' arguments; failures are usage errors.
enum AttestArguments {
    static func hex(_ text: String, _ flag: String, length: Int? = nil) throws -> [UInt8] {
        let trimmed = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard let bytes = Hex.decode(trimmed) else { throw ValidationError("\(flag): not hex") }
        if let length, bytes.count != length { throw ValidationError("\(flag): \(bytes.count) bytes, expected \(length)") }
        return bytes
    }

    static func nonce(_ text: String) throws -> [UInt8] {
        let bytes = try hex(text, "--nonce")
        guard AttestationBuilder.nonceLengths.contains(bytes.count) else {
            throw ValidationError("--nonce: \(bytes.count) bytes; a report nonce is 16 to 64 bytes")
        }
        return bytes
    }

    /// An agent key as Solana prints it (base58), or 64 hex digits.
    static func publicKey(_ text: String) throws -> [UInt8] {
        if text.count == 64, let bytes = Hex.decode(text) { return bytes }
        if let bytes = Base58.decode(text), bytes.count == 32 { return bytes }
        throw ValidationError("--expect-agent: not a 32-byte public key in base58 or hex")
    }

    /// `N=HEX` entries; an index twice is an error rather than a silent choice.
    static func pcrs(_ entries: [String]) throws -> [Int: [UInt8]] {
        var pcrs: [Int: [UInt8]] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let index = Int(parts[0]), (0 ..< 32).contains(index) else {
                throw ValidationError("--nitro-pcr \(entry): expected N=HEX with N in 0...31")
            }
            let value = try hex(String(parts[1]), "--nitro-pcr \(index)")
            guard [32, 48, 64].contains(value.count) else { throw ValidationError("--nitro-pcr \(index): \(value.count) bytes, not 32, 48 or 64") }
            guard pcrs.updateValue(value, forKey: index) == nil else { throw ValidationError("--nitro-pcr \(index) given twice") }
        }
        return pcrs
    }

    static func time(_ text: String) throws -> Date {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw ValidationError("--at \(text): not an RFC 3339 time such as 2022-10-13T10:00:00Z")
        }
        return date
    }

    /// Reads a file, refusing anything larger than any attestation could be.
    static func readFile(_ path: String) throws(CLIFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.input, "cannot read the file") }
        guard data.count <= 1 << 20 else { throw CLIFailure(.input, "larger than 1 MiB") }
        return [UInt8](data)
    }

    /// Base64 text (with or without line breaks) is decoded; anything else
    /// is taken as raw CBOR.
    static func rawOrBase64(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        if !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }), let data = Data(base64Encoded: text) { return [UInt8](data) }
        return bytes
    }
}
