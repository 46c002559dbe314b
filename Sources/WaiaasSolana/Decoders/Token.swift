/// SPL Token and Token-2022 instructions (1-byte tag, u64-LE amounts).
/// Token-2022 is a superset with the same layouts for the shared tags, so one
/// decoder serves both. `signers` holds the accounts after the fixed ones:
/// multisig signers, or the extra accounts a transfer hook needs.
public struct TokenInstruction: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case initializeMint, initializeAccount, initializeMultisig, transfer, approve, revoke, setAuthority
        case mintTo, burn, closeAccount, freezeAccount, thawAccount, transferChecked, approveChecked
        case mintToChecked, burnChecked, initializeAccount2, syncNative, initializeAccount3, initializeMultisig2
        case initializeMint2, getAccountDataSize, initializeImmutableOwner, amountToUiAmount, uiAmountToAmount
        case initializeMintCloseAuthority, transferCheckedWithFee, withdrawExcessLamports, unwrapLamports
        /// Token-2022 Reallocate: grows a token account for more extensions; `payer` funds the rent.
        case reallocate
        case batch
        /// A Token-2022 extension instruction we name but do not decode.
        case `extension`
    }

    public var kind: Kind
    public var tag: UInt8
    /// Token account funds leave (or that is approved, closed, burned from, set up).
    public var source: PublicKey?
    public var destination: PublicKey?
    public var mint: PublicKey?
    /// Owner, delegate or other authority that must sign.
    public var authority: PublicKey?
    public var delegate: PublicKey?
    public var newAuthority: PublicKey?
    /// For SetAuthority: 0 MintTokens, 1 FreezeAccount, 2 AccountOwner, 3 CloseAccount, 4… Token-2022 types.
    public var authorityType: UInt8?
    public var amount: UInt64?
    public var decimals: UInt8?
    public var fee: UInt64?
    /// Reallocate: the account that pays the added rent.
    public var payer: PublicKey?
    public var signers: [PublicKey] = []
    /// Batch (tag 255): the inner instructions, each decoded as if it stood alone.
    public var inner: [TokenInstruction] = []
    /// For `.extension`: the extension's name and sub-instruction byte.
    public var extensionName: String?
    public var subtag: UInt8?

    init(kind: Kind, tag: UInt8) {
        self.kind = kind
        self.tag = tag
    }

    static let extensionNames: [UInt8: String] = [
        26: "transferFeeExtension", 27: "confidentialTransferExtension", 28: "defaultAccountStateExtension",
        29: "reallocate", 30: "memoTransferExtension", 31: "createNativeMint", 32: "initializeNonTransferableMint",
        33: "interestBearingMintExtension", 34: "cpiGuardExtension", 35: "initializePermanentDelegate",
        36: "transferHookExtension", 37: "confidentialTransferFeeExtension", 39: "metadataPointerExtension",
        40: "groupPointerExtension", 41: "groupMemberPointerExtension", 42: "confidentialMintBurnExtension",
        43: "scaledUiAmountExtension", 44: "pausableExtension", 46: "permissionedBurnExtension",
    ]

    static func decode(_ input: InstructionInput, allowBatch: Bool) throws(SolanaDecodeError) -> TokenInstruction {
        var r = ByteReader(input.data)
        let tag = try r.readU8("token instruction tag")
        let list = AccountList(keys: input.accounts, program: "token", instruction: "tag \(tag)")
        func need(_ n: Int) throws(SolanaDecodeError) { try list.require(n) }
        func optionKey(_ what: String) throws(SolanaDecodeError) -> PublicKey? {
            let flag = try r.readU8("\(what) option flag")
            switch flag {
            case 0: return nil
            case 1: return try r.readPublicKey(what)
            default: throw SolanaDecodeError(.invalidOption, offset: r.position - 1, "\(what) option flag \(flag)")
            }
        }
        var ix: TokenInstruction
        switch tag {
        case 0, 20: // InitializeMint(2): decimals, mint authority, COption freeze authority
            try need(1)
            ix = TokenInstruction(kind: tag == 0 ? .initializeMint : .initializeMint2, tag: tag)
            ix.decimals = try r.readU8("decimals"); ix.newAuthority = try r.readPublicKey("mint authority")
            ix.delegate = try optionKey("freeze authority"); ix.mint = list[0]
        case 1:
            try need(3)
            ix = TokenInstruction(kind: .initializeAccount, tag: tag)
            ix.source = list[0]; ix.mint = list[1]; ix.authority = list[2]
        case 16, 18: // InitializeAccount2/3: owner in data
            try need(2)
            ix = TokenInstruction(kind: tag == 16 ? .initializeAccount2 : .initializeAccount3, tag: tag)
            ix.authority = try r.readPublicKey("owner"); ix.source = list[0]; ix.mint = list[1]
        case 2, 19:
            try need(1)
            ix = TokenInstruction(kind: tag == 2 ? .initializeMultisig : .initializeMultisig2, tag: tag)
            ix.amount = UInt64(try r.readU8("m")); ix.source = list[0]
            ix.signers = list.rest(after: tag == 2 ? 2 : 1)
        case 3:
            try need(3)
            ix = TokenInstruction(kind: .transfer, tag: tag)
            ix.amount = try r.readU64LE("amount")
            ix.source = list[0]; ix.destination = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 4:
            try need(3)
            ix = TokenInstruction(kind: .approve, tag: tag)
            ix.amount = try r.readU64LE("amount")
            ix.source = list[0]; ix.delegate = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 5:
            try need(2)
            ix = TokenInstruction(kind: .revoke, tag: tag)
            ix.source = list[0]; ix.authority = list[1]; ix.signers = list.rest(after: 2)
        case 6:
            try need(2)
            ix = TokenInstruction(kind: .setAuthority, tag: tag)
            ix.authorityType = try r.readU8("authority type")
            ix.newAuthority = try optionKey("new authority")
            ix.source = list[0]; ix.authority = list[1]; ix.signers = list.rest(after: 2)
        case 7, 14:
            try need(3)
            ix = TokenInstruction(kind: tag == 7 ? .mintTo : .mintToChecked, tag: tag)
            ix.amount = try r.readU64LE("amount")
            if tag == 14 { ix.decimals = try r.readU8("decimals") }
            ix.mint = list[0]; ix.destination = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 8, 15:
            try need(3)
            ix = TokenInstruction(kind: tag == 8 ? .burn : .burnChecked, tag: tag)
            ix.amount = try r.readU64LE("amount")
            if tag == 15 { ix.decimals = try r.readU8("decimals") }
            ix.source = list[0]; ix.mint = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 9:
            try need(3)
            ix = TokenInstruction(kind: .closeAccount, tag: tag)
            ix.source = list[0]; ix.destination = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 10, 11:
            try need(3)
            ix = TokenInstruction(kind: tag == 10 ? .freezeAccount : .thawAccount, tag: tag)
            ix.source = list[0]; ix.mint = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 12:
            try need(4)
            ix = TokenInstruction(kind: .transferChecked, tag: tag)
            ix.amount = try r.readU64LE("amount"); ix.decimals = try r.readU8("decimals")
            ix.source = list[0]; ix.mint = list[1]; ix.destination = list[2]; ix.authority = list[3]; ix.signers = list.rest(after: 4)
        case 13:
            try need(4)
            ix = TokenInstruction(kind: .approveChecked, tag: tag)
            ix.amount = try r.readU64LE("amount"); ix.decimals = try r.readU8("decimals")
            ix.source = list[0]; ix.mint = list[1]; ix.delegate = list[2]; ix.authority = list[3]; ix.signers = list.rest(after: 4)
        case 17:
            try need(1)
            ix = TokenInstruction(kind: .syncNative, tag: tag)
            ix.source = list[0]
        case 21:
            try need(1)
            ix = TokenInstruction(kind: .getAccountDataSize, tag: tag)
            ix.mint = list[0]
            // Token-2022 appends the extension types (u16 each) to size for.
            _ = try r.readBytes(r.remaining, "extension types")
        case 22:
            try need(1)
            ix = TokenInstruction(kind: .initializeImmutableOwner, tag: tag)
            ix.source = list[0]
        case 23:
            try need(1)
            ix = TokenInstruction(kind: .amountToUiAmount, tag: tag)
            ix.amount = try r.readU64LE("amount"); ix.mint = list[0]
        case 24:
            try need(1)
            ix = TokenInstruction(kind: .uiAmountToAmount, tag: tag)
            ix.mint = list[0]
            _ = try r.readBytes(r.remaining, "ui amount")
        case 25:
            try need(1)
            ix = TokenInstruction(kind: .initializeMintCloseAuthority, tag: tag)
            ix.newAuthority = try optionKey("close authority"); ix.mint = list[0]
        case 26 where r.peekU8() == 1 && input.programId == ProgramIds.token2022:
            // TransferFeeExtension::TransferCheckedWithFee moves funds, so it
            // is decoded in full: amount, decimals, and the fee the sender expects.
            _ = try r.readU8("transfer fee sub-instruction")
            try need(4)
            ix = TokenInstruction(kind: .transferCheckedWithFee, tag: tag)
            ix.subtag = 1
            ix.amount = try r.readU64LE("amount"); ix.decimals = try r.readU8("decimals"); ix.fee = try r.readU64LE("fee")
            ix.source = list[0]; ix.mint = list[1]; ix.destination = list[2]; ix.authority = list[3]; ix.signers = list.rest(after: 4)
        case 29 where input.programId == ProgramIds.token2022:
            // Reallocate: token account, payer, system program, owner, multisig
            // signers; the data lists the extension types (u16-LE) to make room for.
            try need(4)
            guard r.remaining % 2 == 0 else {
                throw SolanaDecodeError(.trailingBytes, offset: r.position, "reallocate extension types are u16, \(r.remaining) bytes left")
            }
            ix = TokenInstruction(kind: .reallocate, tag: tag)
            _ = try r.readBytes(r.remaining, "extension types")
            ix.source = list[0]; ix.payer = list[1]; ix.authority = list[3]; ix.signers = list.rest(after: 4)
        case 38:
            try need(3)
            ix = TokenInstruction(kind: .withdrawExcessLamports, tag: tag)
            ix.source = list[0]; ix.destination = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 45:
            try need(3)
            ix = TokenInstruction(kind: .unwrapLamports, tag: tag)
            let flag = try r.readU8("amount option flag")
            switch flag {
            case 0: ix.amount = nil
            case 1: ix.amount = try r.readU64LE("amount")
            default: throw SolanaDecodeError(.invalidOption, offset: r.position - 1, "amount option flag \(flag)")
            }
            ix.source = list[0]; ix.destination = list[1]; ix.authority = list[2]; ix.signers = list.rest(after: 3)
        case 255:
            guard allowBatch else {
                throw SolanaDecodeError(.nestedBatch, offset: 0, "a batch inside a batch is refused")
            }
            ix = TokenInstruction(kind: .batch, tag: tag)
            ix.inner = try decodeBatch(&r, input: input)
            return ix
        default:
            guard let name = extensionNames[tag], input.programId == ProgramIds.token2022 else {
                throw SolanaDecodeError(.unknownInstruction, offset: 0, "token instruction tag \(tag)")
            }
            ix = TokenInstruction(kind: .extension, tag: tag)
            ix.extensionName = name
            ix.subtag = r.peekU8()
            ix.signers = input.accounts
            _ = try r.readBytes(r.remaining, "extension data")
        }
        try r.expectEnd("token instruction data")
        return ix
    }

    /// Batch data: repeated `[account count u8][data length u8][data]`; each
    /// inner instruction takes the next `account count` accounts of the outer
    /// instruction. Nested batches, empty inner data, unused or missing
    /// accounts are all refused, so every transfer in a batch is seen.
    static func decodeBatch(_ r: inout ByteReader, input: InstructionInput) throws(SolanaDecodeError) -> [TokenInstruction] {
        var inner: [TokenInstruction] = []
        var next = 0
        if r.isAtEnd {
            throw SolanaDecodeError(.emptyBatch, offset: r.position, "batch with no instructions")
        }
        while !r.isAtEnd {
            let start = r.position
            let accountCount = Int(try r.readU8("batch account count"))
            let dataLength = Int(try r.readU8("batch data length"))
            if dataLength == 0 {
                throw SolanaDecodeError(.invalidBatch, offset: start, "batch entry \(inner.count) has no data")
            }
            let data = try r.readBytes(dataLength, "batch entry \(inner.count) data")
            guard next + accountCount <= input.accounts.count else {
                throw SolanaDecodeError(.notEnoughAccounts, offset: start, "batch entry \(inner.count) needs \(accountCount) accounts, \(input.accounts.count - next) left")
            }
            let accounts = Array(input.accounts[next..<(next + accountCount)])
            next += accountCount
            if data.first == 255 {
                throw SolanaDecodeError(.nestedBatch, offset: start + 2, "a batch inside a batch is refused")
            }
            do {
                inner.append(try decode(InstructionInput(programId: input.programId, accounts: accounts, data: data), allowBatch: false))
            } catch {
                throw SolanaDecodeError(error.code, offset: start, "batch entry \(inner.count): \(error.message)")
            }
        }
        if next != input.accounts.count {
            throw SolanaDecodeError(.invalidBatch, offset: nil, "batch leaves \(input.accounts.count - next) account(s) unused")
        }
        return inner
    }
}
