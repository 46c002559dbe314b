/// A decoded Solana message of any version: what the signers sign.
///
/// Decoding is strict (see `decode`): the result is valid by the runtime's
/// sanitize rules and re-encodes to exactly the bytes it came from.
public struct Message: Sendable, Equatable, Hashable {
    public var version: MessageVersion
    public var header: MessageHeader
    /// Static keys: signers first (writable, then read-only), then non-signers
    /// (writable, then read-only). Key 0 pays the fee.
    public var accountKeys: [PublicKey]
    /// The recent blockhash (legacy/v0), or v1's lifetime specifier; a durable
    /// nonce value for nonce transactions.
    public var recentBlockhash: Blockhash
    public var instructions: [CompiledInstruction]
    /// v0 only; empty otherwise.
    public var addressTableLookups: [AddressTableLookup]
    /// v1 only; nil otherwise.
    public var config: TransactionConfig?

    public init(version: MessageVersion, header: MessageHeader, accountKeys: [PublicKey], recentBlockhash: Blockhash,
                instructions: [CompiledInstruction], addressTableLookups: [AddressTableLookup] = [], config: TransactionConfig? = nil) {
        self.version = version
        self.header = header
        self.accountKeys = accountKeys
        self.recentBlockhash = recentBlockhash
        self.instructions = instructions
        self.addressTableLookups = addressTableLookups
        self.config = config
    }

    public var feePayer: PublicKey? { accountKeys.first }

    /// The keys whose signatures the message requires, in signature order.
    public var signerKeys: [PublicKey] {
        Array(accountKeys.prefix(Int(header.numRequiredSignatures)))
    }

    /// Static keys plus every account loaded through lookup tables.
    public var totalAccountCount: Int {
        accountKeys.count + addressTableLookups.reduce(0) { $0 + $1.writableIndexes.count + $1.readonlyIndexes.count }
    }

    /// The runtime's test (uses_durable_nonce): instruction 0 calls the
    /// System program (program ids are always static keys) with data
    /// beginning 04 00 00 00. Such a transaction never expires.
    public var usesDurableNonce: Bool {
        guard let first = instructions.first, Int(first.programIdIndex) < accountKeys.count,
              accountKeys[Int(first.programIdIndex)] == ProgramIds.system, first.data.count >= 4 else { return false }
        return first.data.prefix(4).elementsEqual([4, 0, 0, 0])
    }

    public func isSigner(_ index: Int) -> Bool {
        index >= 0 && index < Int(header.numRequiredSignatures)
    }

    /// Writability as the message requests it (before the runtime's demotion
    /// of program ids and reserved accounts, which can only make fewer
    /// accounts writable). Indexes past the static keys refer to loaded
    /// accounts: all loaded writable ones first, then all loaded read-only.
    public func isWritable(_ index: Int) -> Bool {
        let required = Int(header.numRequiredSignatures)
        let staticCount = accountKeys.count
        if index < 0 { return false }
        if index < required {
            return index < required - Int(header.numReadonlySignedAccounts)
        }
        if index < staticCount {
            return index < staticCount - Int(header.numReadonlyUnsignedAccounts)
        }
        let loadedWritable = addressTableLookups.reduce(0) { $0 + $1.writableIndexes.count }
        return index < staticCount + loadedWritable
    }

    // MARK: Decoding

    /// Decodes a bare message (no signatures): the first byte selects the version.
    public static func decode(_ bytes: [UInt8]) throws(SolanaDecodeError) -> Message {
        if bytes.count > SolanaLimits.v1MaxTransactionSize {
            throw SolanaDecodeError(.oversize, offset: SolanaLimits.v1MaxTransactionSize, "message of \(bytes.count) bytes exceeds every transaction size limit")
        }
        var reader = ByteReader(bytes)
        let message = try decode(from: &reader)
        try reader.expectEnd("the message")
        // A bare message must still fit in a transaction once signed.
        let signatureBytes = SolanaLimits.signatureSize * Int(message.header.numRequiredSignatures)
        switch message.version {
        case .legacy, .v0:
            let size = 1 + signatureBytes + bytes.count
            if size > SolanaLimits.packetDataSize {
                throw SolanaDecodeError(.oversize, offset: nil, "signed transaction would be \(size) bytes, over the \(SolanaLimits.packetDataSize)-byte packet limit")
            }
        case .v1:
            let size = signatureBytes + bytes.count
            if size > SolanaLimits.v1MaxTransactionSize {
                throw SolanaDecodeError(.oversize, offset: nil, "signed v1 transaction would be \(size) bytes, over \(SolanaLimits.v1MaxTransactionSize)")
            }
        }
        return message
    }

    /// Reads one message from `reader` and checks the sanitize rules; the caller checks what follows.
    static func decode(from reader: inout ByteReader) throws(SolanaDecodeError) -> Message {
        guard let first = reader.peekU8() else {
            if reader.position == 0 { throw SolanaDecodeError(.emptyInput, offset: 0, "no message bytes") }
            throw SolanaDecodeError.truncated(at: reader.position, needed: 1, "the message")
        }
        if first & 0x80 == 0 {
            return try decodeLegacyOrV0(from: &reader, version: .legacy)
        }
        let versionOffset = reader.position
        switch first & 0x7F {
        case 0:
            _ = try reader.readU8("version")
            return try decodeLegacyOrV0(from: &reader, version: .v0)
        case 1:
            _ = try reader.readU8("version")
            return try decodeV1(from: &reader)
        case 0x7F:
            // 0xFF starts the off-chain message signing domain; it must
            // never be mistaken for (or accepted as) a transaction.
            throw SolanaDecodeError(.offchainMessagePrefix, offset: versionOffset, "0xff is the off-chain message prefix, not a transaction message")
        default:
            throw SolanaDecodeError(.unsupportedVersion, offset: versionOffset, "message version \(first & 0x7F) is not supported")
        }
    }

    private static func decodeHeader(from reader: inout ByteReader) throws(SolanaDecodeError) -> MessageHeader {
        MessageHeader(
            numRequiredSignatures: try reader.readU8("header.num_required_signatures"),
            numReadonlySignedAccounts: try reader.readU8("header.num_readonly_signed_accounts"),
            numReadonlyUnsignedAccounts: try reader.readU8("header.num_readonly_unsigned_accounts"))
    }

    private static func decodeLegacyOrV0(from reader: inout ByteReader, version: MessageVersion) throws(SolanaDecodeError) -> Message {
        let headerOffset = reader.position
        let header = try decodeHeader(from: &reader)
        let keysOffset = reader.position
        let keyCount = try reader.readCompactU16("account key count")
        if keyCount > SolanaLimits.maxAccounts {
            throw SolanaDecodeError(.tooManyAccounts, offset: keysOffset, "\(keyCount) static account keys, at most \(SolanaLimits.maxAccounts)")
        }
        var keys: [PublicKey] = []
        keys.reserveCapacity(keyCount)
        for i in 0..<keyCount { keys.append(try reader.readPublicKey("account key \(i)")) }
        try checkHeader(header, staticKeys: keys.count, at: headerOffset)
        try checkDuplicates(keys, at: keysOffset)
        let blockhash = try reader.readPublicKey("recent blockhash")

        let instructionCount = try reader.readCompactU16("instruction count")
        // Positions of each instruction's account indexes, so an index that
        // turns out to be out of range (v0: only known after the lookups) can be
        // reported at its byte.
        var instructions: [CompiledInstruction] = []
        var accountOffsets: [Int] = []
        for i in 0..<instructionCount {
            let programOffset = reader.position
            let programIndex = try reader.readU8("instruction \(i) program id index")
            // Program ids must be static keys (v0 programs cannot come from lookup tables).
            if Int(programIndex) >= keys.count {
                throw SolanaDecodeError(.programIndexOutOfRange, offset: programOffset,
                                        "instruction \(i) program id index \(programIndex) is not a static key (\(keys.count) static keys)")
            }
            if programIndex == 0 {
                throw SolanaDecodeError(.programIndexZero, offset: programOffset, "instruction \(i) calls the fee payer as a program")
            }
            let accountCount = try reader.readCompactU16("instruction \(i) account count")
            accountOffsets.append(reader.position)
            let accounts = try reader.readBytes(accountCount, "instruction \(i) account indexes")
            let dataLength = try reader.readCompactU16("instruction \(i) data length")
            let data = try reader.readBytes(dataLength, "instruction \(i) data")
            instructions.append(CompiledInstruction(programIdIndex: programIndex, accounts: accounts, data: data))
        }

        var lookups: [AddressTableLookup] = []
        var total = keys.count
        if version == .v0 {
            let lookupCount = try reader.readCompactU16("address table lookup count")
            for i in 0..<lookupCount {
                let lookupOffset = reader.position
                let table = try reader.readPublicKey("lookup \(i) table address")
                let w = try reader.readCompactU16("lookup \(i) writable index count")
                let writable = try reader.readBytes(w, "lookup \(i) writable indexes")
                let r = try reader.readCompactU16("lookup \(i) readonly index count")
                let readonly = try reader.readBytes(r, "lookup \(i) readonly indexes")
                if writable.isEmpty && readonly.isEmpty {
                    throw SolanaDecodeError(.emptyLookup, offset: lookupOffset, "lookup \(i) loads no accounts")
                }
                total += writable.count + readonly.count
                if total > SolanaLimits.maxAccounts {
                    throw SolanaDecodeError(.tooManyAccounts, offset: lookupOffset, "more than \(SolanaLimits.maxAccounts) accounts with lookup \(i)")
                }
                lookups.append(AddressTableLookup(accountKey: table, writableIndexes: writable, readonlyIndexes: readonly))
            }
        }
        try checkAccountIndexes(instructions, offsets: accountOffsets, total: total)
        return Message(version: version, header: header, accountKeys: keys, recentBlockhash: blockhash,
                       instructions: instructions, addressTableLookups: lookups, config: nil)
    }

    private static func decodeV1(from reader: inout ByteReader) throws(SolanaDecodeError) -> Message {
        let headerOffset = reader.position
        let header = try decodeHeader(from: &reader)
        if Int(header.numRequiredSignatures) > SolanaLimits.v1MaxSignatures {
            throw SolanaDecodeError(.tooManySignatures, offset: headerOffset, "v1 allows at most \(SolanaLimits.v1MaxSignatures) signatures, header requires \(header.numRequiredSignatures)")
        }
        let maskOffset = reader.position
        let mask = try reader.readU32LE("config mask")
        // Unknown bits would be dropped on re-encoding (changing the signed
        // bytes); half of the two priority-fee bits is malformed.
        let feeBits = mask & TransactionConfig.priorityFeeBits
        if mask & ~TransactionConfig.knownBits != 0 || (feeBits != 0 && feeBits != TransactionConfig.priorityFeeBits) {
            throw SolanaDecodeError(.invalidConfigMask, offset: maskOffset, "config mask 0x\(String(mask, radix: 16)) has unknown or partial bits")
        }
        let blockhash = try reader.readPublicKey("lifetime specifier")
        let countsOffset = reader.position
        let instructionCount = Int(try reader.readU8("instruction count"))
        let addressCount = Int(try reader.readU8("address count"))
        if instructionCount > SolanaLimits.v1MaxInstructions {
            throw SolanaDecodeError(.tooManyInstructions, offset: countsOffset, "\(instructionCount) instructions, v1 allows \(SolanaLimits.v1MaxInstructions)")
        }
        if addressCount > SolanaLimits.v1MaxAddresses {
            throw SolanaDecodeError(.tooManyAccounts, offset: countsOffset + 1, "\(addressCount) addresses, v1 allows \(SolanaLimits.v1MaxAddresses)")
        }
        let keysOffset = reader.position
        var keys: [PublicKey] = []
        for i in 0..<addressCount { keys.append(try reader.readPublicKey("account key \(i)")) }
        try checkHeader(header, staticKeys: keys.count, at: headerOffset)
        try checkDuplicates(keys, at: keysOffset)

        var config = TransactionConfig()
        if mask & TransactionConfig.priorityFeeBits != 0 { config.priorityFeeLamports = try reader.readU64LE("priority fee") }
        if mask & TransactionConfig.computeUnitLimitBit != 0 { config.computeUnitLimit = try reader.readU32LE("compute unit limit") }
        if mask & TransactionConfig.loadedAccountsDataSizeBit != 0 { config.loadedAccountsDataSizeLimit = try reader.readU32LE("loaded accounts data size limit") }
        if mask & TransactionConfig.heapSizeBit != 0 {
            let heapOffset = reader.position
            let heap = try reader.readU32LE("heap size")
            if heap % 1024 != 0 || heap < SolanaLimits.minHeapSize || heap > SolanaLimits.maxHeapSize {
                throw SolanaDecodeError(.invalidHeapSize, offset: heapOffset, "heap size \(heap) is not a multiple of 1024 in [32 KiB, 256 KiB]")
            }
            config.heapSize = heap
        }

        var headers: [(program: UInt8, accounts: Int, data: Int, offset: Int)] = []
        for i in 0..<instructionCount {
            let offset = reader.position
            let program = try reader.readU8("instruction \(i) program id index")
            let accounts = Int(try reader.readU8("instruction \(i) account count"))
            let data = Int(try reader.readU16LE("instruction \(i) data length"))
            if Int(program) >= keys.count {
                throw SolanaDecodeError(.programIndexOutOfRange, offset: offset, "instruction \(i) program id index \(program) out of range (\(keys.count) keys)")
            }
            if program == 0 {
                throw SolanaDecodeError(.programIndexZero, offset: offset, "instruction \(i) calls the fee payer as a program")
            }
            headers.append((program, accounts, data, offset))
        }
        var instructions: [CompiledInstruction] = []
        var accountOffsets: [Int] = []
        for (i, h) in headers.enumerated() {
            accountOffsets.append(reader.position)
            let accounts = try reader.readBytes(h.accounts, "instruction \(i) account indexes")
            let data = try reader.readBytes(h.data, "instruction \(i) data")
            instructions.append(CompiledInstruction(programIdIndex: h.program, accounts: accounts, data: data))
        }
        try checkAccountIndexes(instructions, offsets: accountOffsets, total: keys.count)
        return Message(version: .v1, header: header, accountKeys: keys, recentBlockhash: blockhash,
                       instructions: instructions, addressTableLookups: [], config: config)
    }

    // MARK: Sanitize rules

    private static func checkHeader(_ header: MessageHeader, staticKeys: Int, at offset: Int) throws(SolanaDecodeError) {
        if Int(header.numRequiredSignatures) + Int(header.numReadonlyUnsignedAccounts) > staticKeys {
            throw SolanaDecodeError(.notEnoughAccounts, offset: offset,
                                    "header names \(header.numRequiredSignatures) signers and \(header.numReadonlyUnsignedAccounts) read-only non-signers but there are \(staticKeys) static keys")
        }
        // The fee payer must be a writable signer.
        if header.numReadonlySignedAccounts >= header.numRequiredSignatures {
            throw SolanaDecodeError(.noWritableFeePayer, offset: offset,
                                    "\(header.numReadonlySignedAccounts) read-only signers of \(header.numRequiredSignatures) leaves no writable fee payer")
        }
    }

    /// The runtime refuses a transaction that names an account twice
    /// (AccountLoadedTwice; v1 refuses it at sanitize). We refuse it up front
    /// so that "whose account is this" always has one answer.
    private static func checkDuplicates(_ keys: [PublicKey], at offset: Int) throws(SolanaDecodeError) {
        var seen = Set<PublicKey>()
        for (i, key) in keys.enumerated() where !seen.insert(key).inserted {
            throw SolanaDecodeError(.duplicateAccount, offset: offset + 32 * i, "account key \(i) (\(key)) appears twice")
        }
    }

    private static func checkAccountIndexes(_ instructions: [CompiledInstruction], offsets: [Int], total: Int) throws(SolanaDecodeError) {
        for (i, ix) in instructions.enumerated() {
            for (j, index) in ix.accounts.enumerated() where Int(index) >= total {
                throw SolanaDecodeError(.accountIndexOutOfRange, offset: offsets[i] + j,
                                        "instruction \(i) account \(j) index \(index) out of range (\(total) accounts)")
            }
        }
    }

    // MARK: Encoding

    /// The wire bytes: for v0 and v1 including the version byte. These are
    /// exactly the bytes each signer signs.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        switch version {
        case .legacy, .v0:
            if version == .v0 { out.append(0x80) }
            out += [header.numRequiredSignatures, header.numReadonlySignedAccounts, header.numReadonlyUnsignedAccounts]
            out.appendCompactU16(accountKeys.count)
            for key in accountKeys { out += key.bytes }
            out += recentBlockhash.bytes
            out.appendCompactU16(instructions.count)
            for ix in instructions {
                out.append(ix.programIdIndex)
                out.appendCompactU16(ix.accounts.count)
                out += ix.accounts
                out.appendCompactU16(ix.data.count)
                out += ix.data
            }
            if version == .v0 {
                out.appendCompactU16(addressTableLookups.count)
                for lookup in addressTableLookups {
                    out += lookup.accountKey.bytes
                    out.appendCompactU16(lookup.writableIndexes.count)
                    out += lookup.writableIndexes
                    out.appendCompactU16(lookup.readonlyIndexes.count)
                    out += lookup.readonlyIndexes
                }
            }
        case .v1:
            let config = self.config ?? TransactionConfig()
            out.append(0x81)
            out += [header.numRequiredSignatures, header.numReadonlySignedAccounts, header.numReadonlyUnsignedAccounts]
            out.appendU32LE(config.mask)
            out += recentBlockhash.bytes
            out.append(UInt8(truncatingIfNeeded: instructions.count))
            out.append(UInt8(truncatingIfNeeded: accountKeys.count))
            for key in accountKeys { out += key.bytes }
            if let v = config.priorityFeeLamports { out.appendU64LE(v) }
            if let v = config.computeUnitLimit { out.appendU32LE(v) }
            if let v = config.loadedAccountsDataSizeLimit { out.appendU32LE(v) }
            if let v = config.heapSize { out.appendU32LE(v) }
            for ix in instructions {
                out.append(ix.programIdIndex)
                out.append(UInt8(truncatingIfNeeded: ix.accounts.count))
                out.appendU16LE(UInt16(truncatingIfNeeded: ix.data.count))
            }
            for ix in instructions {
                out += ix.accounts
                out += ix.data
            }
        }
        return out
    }
}

/// The name the rest of the SDK world uses for a message of any version.
public typealias VersionedMessage = Message
