/// A signed (or partly signed) Solana transaction of any version.
///
/// `decode` accepts exactly what the runtime's deserializer and sanitizer
/// accept, and no trailing bytes; so `encoded()` of a decoded transaction is
/// the input, and `messageBytes` are exactly the bytes every signature covers.
public struct SolanaTransaction: Sendable, Equatable, Hashable {
    public let signatures: [Signature]
    public let message: Message
    /// The serialized message (with the version byte for v0/v1): the bytes to sign.
    public let messageBytes: [UInt8]

    /// Builds a transaction from parts; the signature count must equal the
    /// message's required signers (use zero signatures as placeholders).
    public init(signatures: [Signature], message: Message) throws(SolanaDecodeError) {
        guard signatures.count == Int(message.header.numRequiredSignatures) else {
            throw SolanaDecodeError(.signatureCountMismatch, offset: nil,
                                    "\(signatures.count) signatures for \(message.header.numRequiredSignatures) required signers")
        }
        self.signatures = signatures
        self.message = message
        self.messageBytes = message.encoded()
    }

    private init(signatures: [Signature], message: Message, messageBytes: [UInt8]) {
        self.signatures = signatures
        self.message = message
        self.messageBytes = messageBytes
    }

    public var version: MessageVersion { message.version }

    public static func decode(_ bytes: [UInt8]) throws(SolanaDecodeError) -> SolanaTransaction {
        guard let first = bytes.first else {
            throw SolanaDecodeError(.emptyInput, offset: 0, "no transaction bytes")
        }
        if first & 0x80 == 0 {
            return try decodeLegacyOrV0(bytes)
        }
        if first == 0x81 {
            return try decodeV1(bytes)
        }
        if first == 0xFF {
            throw SolanaDecodeError(.offchainMessagePrefix, offset: 0, "0xff is the off-chain message prefix, not a transaction")
        }
        if first == 0x80 {
            // A bare v0 message, or a signature count written as a
            // multi-byte compact-u16 (>= 128 signatures): neither is a transaction.
            throw SolanaDecodeError(.invalidTransactionPrefix, offset: 0, "first byte 0x80 is neither a signature count below 128 nor the v1 prefix")
        }
        throw SolanaDecodeError(.unsupportedVersion, offset: 0, "first byte 0x\(String(first, radix: 16)) is not a supported transaction format")
    }

    private static func decodeLegacyOrV0(_ bytes: [UInt8]) throws(SolanaDecodeError) -> SolanaTransaction {
        if bytes.count > SolanaLimits.packetDataSize {
            throw SolanaDecodeError(.oversize, offset: SolanaLimits.packetDataSize,
                                    "\(bytes.count)-byte transaction exceeds the \(SolanaLimits.packetDataSize)-byte packet limit")
        }
        var reader = ByteReader(bytes)
        // First byte < 0x80 is a complete canonical compact-u16.
        let count = Int(try reader.readU8("signature count"))
        var signatures: [Signature] = []
        for i in 0..<count {
            let raw = try reader.readBytes(SolanaLimits.signatureSize, "signature \(i)")
            if let s = Signature(bytes: raw) { signatures.append(s) }
        }
        let messageStart = reader.offset
        let messageOffset = reader.position
        let message = try Message.decode(from: &reader)
        if message.version == .v1 {
            throw SolanaDecodeError(.versionMismatch, offset: messageOffset, "a v1 message cannot be framed as a legacy/v0 transaction")
        }
        try reader.expectEnd("the transaction")
        if count != Int(message.header.numRequiredSignatures) {
            throw SolanaDecodeError(.signatureCountMismatch, offset: 0,
                                    "\(count) signatures for \(message.header.numRequiredSignatures) required signers")
        }
        return SolanaTransaction(signatures: signatures, message: message, messageBytes: Array(bytes[messageStart...]))
    }

    private static func decodeV1(_ bytes: [UInt8]) throws(SolanaDecodeError) -> SolanaTransaction {
        if bytes.count > SolanaLimits.v1MaxTransactionSize {
            throw SolanaDecodeError(.oversize, offset: SolanaLimits.v1MaxTransactionSize,
                                    "\(bytes.count)-byte v1 transaction exceeds \(SolanaLimits.v1MaxTransactionSize) bytes")
        }
        var reader = ByteReader(bytes)
        let message = try Message.decode(from: &reader)
        let messageEnd = reader.offset
        // v1: the signatures follow the message, their count implied by the header.
        var signatures: [Signature] = []
        for i in 0..<Int(message.header.numRequiredSignatures) {
            let raw = try reader.readBytes(SolanaLimits.signatureSize, "signature \(i)")
            if let s = Signature(bytes: raw) { signatures.append(s) }
        }
        try reader.expectEnd("the transaction")
        return SolanaTransaction(signatures: signatures, message: message, messageBytes: Array(bytes[..<messageEnd]))
    }

    public func encoded() -> [UInt8] {
        switch message.version {
        case .legacy, .v0:
            var out: [UInt8] = []
            out.appendCompactU16(signatures.count)
            for s in signatures { out += s.bytes }
            out += messageBytes
            return out
        case .v1:
            var out = messageBytes
            for s in signatures { out += s.bytes }
            return out
        }
    }

    /// A copy with signature `index` replaced: what the daemon returns after signing.
    public func replacingSignature(at index: Int, with signature: Signature) -> SolanaTransaction? {
        guard index >= 0, index < signatures.count else { return nil }
        var s = signatures
        s[index] = signature
        return SolanaTransaction(signatures: s, message: message, messageBytes: messageBytes)
    }
}
