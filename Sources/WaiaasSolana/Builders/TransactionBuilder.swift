/// An instruction before compilation: its program, accounts with their
/// roles, and data. What the daemon builds for `Transfer`.
public struct TransactionInstruction: Sendable, Equatable {
    public struct Account: Sendable, Equatable {
        public var key: PublicKey
        public var signer: Bool
        public var writable: Bool

        public init(_ key: PublicKey, signer: Bool = false, writable: Bool = false) {
            self.key = key
            self.signer = signer
            self.writable = writable
        }
    }

    public var program: PublicKey
    public var accounts: [Account]
    public var data: [UInt8]

    public init(program: PublicKey, accounts: [Account], data: [UInt8]) {
        self.program = program
        self.accounts = accounts
        self.data = data
    }
}

extension Message {
    /// A legacy message as wallets compile one: the fee payer first, then
    /// writable signers, read-only signers, writable and read-only others,
    /// each group in first-use order; an account's roles are the union of
    /// its uses.
    public static func legacy(payer: PublicKey, instructions: [TransactionInstruction], blockhash: Blockhash) throws(SolanaDecodeError) -> Message {
        try compile(.legacy, payer: payer, instructions: instructions, blockhash: blockhash)
    }

    /// The same as a v0 message with no lookup tables: what x402's `exact`
    /// scheme asks for (its facilitators decode v0).
    public static func v0(payer: PublicKey, instructions: [TransactionInstruction], blockhash: Blockhash) throws(SolanaDecodeError) -> Message {
        try compile(.v0, payer: payer, instructions: instructions, blockhash: blockhash)
    }

    private static func compile(
        _ version: MessageVersion, payer: PublicKey, instructions: [TransactionInstruction], blockhash: Blockhash
    ) throws(SolanaDecodeError) -> Message {
        var order: [PublicKey] = [payer]
        var roles: [PublicKey: (signer: Bool, writable: Bool)] = [payer: (true, true)]
        func use(_ key: PublicKey, signer: Bool, writable: Bool) {
            if let known = roles[key] {
                roles[key] = (known.signer || signer, known.writable || writable)
            } else {
                order.append(key)
                roles[key] = (signer, writable)
            }
        }
        for instruction in instructions {
            for account in instruction.accounts { use(account.key, signer: account.signer, writable: account.writable) }
            use(instruction.program, signer: false, writable: false)
        }
        func group(_ key: PublicKey) -> Int {
            let role = roles[key]!
            if key == payer { return 0 }
            return role.signer ? (role.writable ? 1 : 2) : (role.writable ? 3 : 4)
        }
        let keys = order.enumerated().sorted { (group($0.element), $0.offset) < (group($1.element), $1.offset) }.map(\.element)
        guard keys.count <= 256 else { throw SolanaDecodeError(.tooManyAccounts, offset: nil, "\(keys.count) accounts; a message holds 256") }
        let signers = keys.filter { roles[$0]!.signer }
        let header = MessageHeader(
            numRequiredSignatures: UInt8(signers.count),
            numReadonlySignedAccounts: UInt8(signers.filter { !roles[$0]!.writable }.count),
            numReadonlyUnsignedAccounts: UInt8(keys.filter { !roles[$0]!.signer && !roles[$0]!.writable }.count))
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, UInt8($0)) })
        let compiled = instructions.map {
            CompiledInstruction(programIdIndex: index[$0.program]!, accounts: $0.accounts.map { index[$0.key]! }, data: $0.data)
        }
        return Message(version: version, header: header, accountKeys: keys, recentBlockhash: blockhash, instructions: compiled)
    }
}

extension SolanaTransaction {
    /// `message` with every signature slot zeroed, as a wallet hands it to a signer.
    public static func unsigned(_ message: Message) throws(SolanaDecodeError) -> SolanaTransaction {
        let zero = Signature(bytes: [UInt8](repeating: 0, count: 64))!
        return try SolanaTransaction(signatures: Array(repeating: zero, count: Int(message.header.numRequiredSignatures)), message: message)
    }
}

/// The instructions `Transfer` is made of, with the layouts of their
/// programs (System, SPL Token / Token-2022, Associated Token Account,
/// Compute Budget, Memo).
public enum TransferInstructions {
    static func le(_ value: UInt64, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

    /// System Transfer (tag 2).
    public static func systemTransfer(from: PublicKey, to: PublicKey, lamports: UInt64) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.system, accounts: [.init(from, signer: true, writable: true), .init(to, writable: true)],
                               data: le(2, 4) + le(lamports, 8))
    }

    /// ComputeBudget SetComputeUnitLimit (tag 2).
    public static func computeUnitLimit(_ units: UInt32) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.computeBudget, accounts: [], data: [2] + le(UInt64(units), 4))
    }

    /// ComputeBudget SetComputeUnitPrice (tag 3), in micro-lamports per unit.
    public static func computeUnitPrice(_ microLamports: UInt64) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.computeBudget, accounts: [], data: [3] + le(microLamports, 8))
    }

    /// Associated Token Account CreateIdempotent (tag 1): funder, account, owner, mint, System, token program.
    public static func createAssociatedTokenAccountIdempotent(
        funder: PublicKey, account: PublicKey, owner: PublicKey, mint: PublicKey, tokenProgram: PublicKey
    ) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.associatedToken, accounts: [
            .init(funder, signer: true, writable: true), .init(account, writable: true), .init(owner), .init(mint),
            .init(ProgramIds.system), .init(tokenProgram),
        ], data: [1])
    }

    /// Token TransferChecked (tag 12): source, mint, destination, owner.
    public static func transferChecked(
        source: PublicKey, mint: PublicKey, destination: PublicKey, owner: PublicKey, amount: UInt64, decimals: UInt8, tokenProgram: PublicKey
    ) -> TransactionInstruction {
        TransactionInstruction(program: tokenProgram, accounts: [
            .init(source, writable: true), .init(mint), .init(destination, writable: true), .init(owner, signer: true),
        ], data: [12] + le(amount, 8) + [decimals])
    }

    /// Memo (v2) with raw bytes and no signer, as x402's `exact` scheme writes it.
    public static func memo(bytes: [UInt8]) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.memo, accounts: [], data: bytes)
    }

    /// Memo (v2) with the text, signed by `signer`.
    public static func memo(_ text: String, signer: PublicKey) -> TransactionInstruction {
        TransactionInstruction(program: ProgramIds.memo, accounts: [.init(signer, signer: true)], data: Array(text.utf8))
    }
}
