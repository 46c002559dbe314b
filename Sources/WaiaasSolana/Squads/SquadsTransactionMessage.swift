/// The message a vault transaction carries: what the vault will execute.
/// Squads stores it in two encodings of one shape. As the argument of
/// vault_transaction_create it is compact (u8 counts, a u16 length for
/// instruction data: the "SmallVec" encoding); inside the VaultTransaction
/// account it is plain borsh (u32 counts). Keys are ordered as in a Solana
/// message: writable signers, read-only signers, writable others, read-only others.
public struct SquadsTransactionMessage: Sendable, Equatable {
    public struct Instruction: Sendable, Equatable {
        public var programIdIndex: UInt8
        public var accountIndexes: [UInt8]
        public var data: [UInt8]

        public init(programIdIndex: UInt8, accountIndexes: [UInt8], data: [UInt8]) {
            self.programIdIndex = programIdIndex
            self.accountIndexes = accountIndexes
            self.data = data
        }
    }

    public struct Lookup: Sendable, Equatable {
        public var table: PublicKey
        public var writableIndexes: [UInt8]
        public var readonlyIndexes: [UInt8]

        public init(table: PublicKey, writableIndexes: [UInt8], readonlyIndexes: [UInt8]) {
            self.table = table
            self.writableIndexes = writableIndexes
            self.readonlyIndexes = readonlyIndexes
        }
    }

    public var numSigners: UInt8
    public var numWritableSigners: UInt8
    public var numWritableNonSigners: UInt8
    public var accountKeys: [PublicKey]
    public var instructions: [Instruction]
    public var lookups: [Lookup]

    public init(numSigners: UInt8, numWritableSigners: UInt8, numWritableNonSigners: UInt8,
                accountKeys: [PublicKey], instructions: [Instruction], lookups: [Lookup] = []) {
        self.numSigners = numSigners
        self.numWritableSigners = numWritableSigners
        self.numWritableNonSigners = numWritableNonSigners
        self.accountKeys = accountKeys
        self.instructions = instructions
        self.lookups = lookups
    }

    /// The two encodings: the instruction argument's and the stored account's.
    enum Encoding {
        case compact, stored
        var countWidth: Int { self == .compact ? 1 : 4 }
        var dataLengthWidth: Int { self == .compact ? 2 : 4 }
    }

    /// The message a vault would run for `instructions`, compiled as the
    /// Squads SDKs do: a Solana message with the vault as its fee payer
    /// (key 0, a writable signer the program signs for).
    public static func compile(vault: PublicKey, instructions: [TransactionInstruction]) throws(SolanaDecodeError) -> SquadsTransactionMessage {
        let message = try Message.legacy(payer: vault, instructions: instructions, blockhash: PublicKey.zero)
        let header = message.header
        let signers = header.numRequiredSignatures
        let writableNonSigners = message.accountKeys.count - Int(signers) - Int(header.numReadonlyUnsignedAccounts)
        return SquadsTransactionMessage(
            numSigners: signers, numWritableSigners: signers - header.numReadonlySignedAccounts,
            numWritableNonSigners: UInt8(writableNonSigners), accountKeys: message.accountKeys,
            instructions: message.instructions.map { Instruction(programIdIndex: $0.programIdIndex, accountIndexes: $0.accounts, data: $0.data) })
    }

    // MARK: Encoding

    /// The compact encoding, as vault_transaction_create takes it. Nil when
    /// a count or length does not fit its field (more than 255 keys,
    /// instructions, lookups or indexes, or data past 65,535 bytes).
    public func encodedCompact() -> [UInt8]? { encoded(.compact) }

    func encoded(_ encoding: Encoding) -> [UInt8]? {
        var out: [UInt8] = [numSigners, numWritableSigners, numWritableNonSigners]
        func count(_ n: Int, width: Int) -> Bool {
            switch width {
            case 1: guard n <= 0xFF else { return false }; out.append(UInt8(n))
            case 2: guard n <= 0xFFFF else { return false }; out.appendU16LE(UInt16(n))
            default: guard n <= 0xFFFF_FFFF else { return false }; out.appendU32LE(UInt32(n))
            }
            return true
        }
        let width = encoding.countWidth
        guard count(accountKeys.count, width: width) else { return nil }
        for key in accountKeys { out += key.bytes }
        guard count(instructions.count, width: width) else { return nil }
        for instruction in instructions {
            out.append(instruction.programIdIndex)
            guard count(instruction.accountIndexes.count, width: width) else { return nil }
            out += instruction.accountIndexes
            guard count(instruction.data.count, width: encoding.dataLengthWidth) else { return nil }
            out += instruction.data
        }
        guard count(lookups.count, width: width) else { return nil }
        for lookup in lookups {
            out += lookup.table.bytes
            guard count(lookup.writableIndexes.count, width: width) else { return nil }
            out += lookup.writableIndexes
            guard count(lookup.readonlyIndexes.count, width: width) else { return nil }
            out += lookup.readonlyIndexes
        }
        return out
    }

    // MARK: Decoding

    /// Decodes the compact encoding strictly, with the checks the program
    /// makes before it stores a message (`validate`), and no trailing bytes.
    public init(compact bytes: [UInt8], base: Int = 0) throws(SolanaDecodeError) {
        var reader = ByteReader(bytes, base: base)
        try self.init(reading: &reader, .compact)
        try reader.expectEnd("the transaction message")
    }

    init(reading reader: inout ByteReader, _ encoding: Encoding) throws(SolanaDecodeError) {
        let width = encoding.countWidth
        let start = reader.position
        numSigners = try reader.readU8("num_signers")
        numWritableSigners = try reader.readU8("num_writable_signers")
        numWritableNonSigners = try reader.readU8("num_writable_non_signers")
        let keyCount = try reader.readCount(width, minimumItemSize: 32, "account_keys")
        var keys: [PublicKey] = []
        keys.reserveCapacity(keyCount)
        for _ in 0..<keyCount { keys.append(try reader.readPublicKey("account key")) }
        accountKeys = keys
        // Each instruction is at least a program index and two empty counts.
        let instructionCount = try reader.readCount(width, minimumItemSize: 1 + width + encoding.dataLengthWidth, "instructions")
        var instructions: [Instruction] = []
        for _ in 0..<instructionCount {
            let program = try reader.readU8("program_id_index")
            let indexes = try reader.readBytes(try reader.readCount(width, minimumItemSize: 1, "account_indexes"), "account_indexes")
            let data = try reader.readBytes(try reader.readCount(encoding.dataLengthWidth, minimumItemSize: 1, "data"), "instruction data")
            instructions.append(Instruction(programIdIndex: program, accountIndexes: indexes, data: data))
        }
        self.instructions = instructions
        let lookupCount = try reader.readCount(width, minimumItemSize: 32 + 2 * width, "address_table_lookups")
        var lookups: [Lookup] = []
        for _ in 0..<lookupCount {
            let table = try reader.readPublicKey("lookup table")
            let writable = try reader.readBytes(try reader.readCount(width, minimumItemSize: 1, "writable_indexes"), "writable_indexes")
            let readonly = try reader.readBytes(try reader.readCount(width, minimumItemSize: 1, "readonly_indexes"), "readonly_indexes")
            lookups.append(Lookup(table: table, writableIndexes: writable, readonlyIndexes: readonly))
        }
        self.lookups = lookups
        try validate(at: start)
    }

    /// The program's checks on a message it stores (`VaultTransactionMessage::try_from`):
    /// the header fits the keys, and every index names a key or a looked-up account.
    func validate(at offset: Int) throws(SolanaDecodeError) {
        let keys = accountKeys.count
        guard Int(numSigners) <= keys, numWritableSigners <= numSigners,
              Int(numWritableNonSigners) <= keys - Int(numSigners) else {
            throw SolanaDecodeError(.signatureCountMismatch, offset: offset, "the header (\(numSigners) signers, \(numWritableSigners) writable, \(numWritableNonSigners) writable others) does not fit \(keys) keys")
        }
        let loaded = lookups.reduce(0) { $0 + $1.writableIndexes.count + $1.readonlyIndexes.count }
        let addressable = keys + loaded
        for (position, instruction) in instructions.enumerated() {
            guard Int(instruction.programIdIndex) < addressable else {
                throw SolanaDecodeError(.programIndexOutOfRange, offset: offset, "inner instruction \(position) names program \(instruction.programIdIndex) of \(addressable) accounts")
            }
            for index in instruction.accountIndexes where Int(index) >= addressable {
                throw SolanaDecodeError(.accountIndexOutOfRange, offset: offset, "inner instruction \(position) names account \(index) of \(addressable)")
            }
        }
    }

    /// Whether key `index` is a signer or writable, by the header's rules.
    public func isSigner(_ index: Int) -> Bool { index < Int(numSigners) }

    public func isWritable(_ index: Int) -> Bool {
        if index < Int(numSigners) { return index < Int(numWritableSigners) }
        return index < Int(numSigners) + Int(numWritableNonSigners) && index < accountKeys.count
    }
}
