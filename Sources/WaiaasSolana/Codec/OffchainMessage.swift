/// A Solana off-chain message (the "off-chain message signing" proposal,
/// header version 0): the signing domain `\xffsolana offchain`, the header
/// version, a 32-byte application domain, the message format, the signers
/// and the message. Its first byte, 0xFF, can never begin a transaction
/// message, so a signature over it can never authorise a transaction.
public struct OffchainMessage: Sendable, Equatable {
    public static let signingDomain: [UInt8] = [0xFF] + Array("solana offchain".utf8)
    /// Largest message body accepted (the proposal's extended-format limit).
    public static let maximumLength = 65_535

    public enum Format: UInt8, Sendable {
        case restrictedASCII = 0
        case limitedUTF8 = 1
        case extendedUTF8 = 2
    }

    public var applicationDomain: [UInt8]
    public var format: Format
    public var signers: [PublicKey]
    public var message: [UInt8]

    /// A message to encode (`encoded()`); `parse` checks what arrives.
    public init(applicationDomain: [UInt8], format: Format, signers: [PublicKey], message: [UInt8]) {
        self.applicationDomain = applicationDomain
        self.format = format
        self.signers = signers
        self.message = message
    }

    public static func parse(_ bytes: [UInt8]) throws(SolanaDecodeError) -> OffchainMessage {
        guard bytes.count >= signingDomain.count, Array(bytes[0..<signingDomain.count]) == signingDomain else {
            throw SolanaDecodeError(.offchainHeaderMissing, "an off-chain message must begin with the signing domain \\xffsolana offchain")
        }
        var offset = signingDomain.count
        func take(_ count: Int) throws(SolanaDecodeError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - offset >= count else {
                throw SolanaDecodeError(.offchainTruncated, offset: bytes.count, "off-chain message ends at byte \(bytes.count), needs \(offset + count)")
            }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        let version = try take(1).first!
        guard version == 0 else { throw SolanaDecodeError(.offchainVersionUnsupported, "off-chain header version \(version) is not supported (0 is)") }
        let domain = Array(try take(32))
        let formatByte = try take(1).first!
        guard let format = Format(rawValue: formatByte) else { throw SolanaDecodeError(.offchainFormatInvalid, "off-chain message format \(formatByte) is not 0, 1 or 2") }
        let signerCount = Int(try take(1).first!)
        guard signerCount > 0 else { throw SolanaDecodeError(.offchainNoSigners, "an off-chain message names at least one signer") }
        var signers: [PublicKey] = []
        for _ in 0..<signerCount { signers.append(PublicKey(bytes: Array(try take(32)))!) }
        let lengthBytes = try take(2)
        let length = Int(lengthBytes[lengthBytes.startIndex]) | Int(lengthBytes[lengthBytes.startIndex + 1]) << 8
        guard length > 0 else { throw SolanaDecodeError(.offchainEmpty, "the off-chain message is empty") }
        let body = Array(try take(length))
        guard offset == bytes.count else { throw SolanaDecodeError(.offchainTrailingBytes, offset: offset, "\(bytes.count - offset) bytes follow the off-chain message") }
        switch format {
        case .restrictedASCII:
            guard body.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A }) else {
                throw SolanaDecodeError(.offchainNotAscii, "format 0 allows printable ASCII only")
            }
        case .limitedUTF8, .extendedUTF8:
            guard String(validating: body, as: UTF8.self) != nil else { throw SolanaDecodeError(.offchainNotUTF8, "the message is not valid UTF-8") }
        }
        return OffchainMessage(applicationDomain: domain, format: format, signers: signers, message: body)
    }

    /// The message text (formats are ASCII or UTF-8, checked by `parse`).
    public var text: String { String(decoding: message, as: UTF8.self) }

    /// Serialises a message in this layout (for tools and tests).
    public func encoded() -> [UInt8] {
        var out = Self.signingDomain + [0] + applicationDomain + [format.rawValue, UInt8(signers.count)]
        for signer in signers { out += signer.bytes }
        out += [UInt8(message.count & 0xFF), UInt8(message.count >> 8)] + message
        return out
    }
}
