/// System program instructions (bincode: u32-LE variant, u64-LE integers,
/// strings as u64-LE length + UTF-8). Data must have exactly the expected
/// length: the chain tolerates trailing bytes, a custody wallet does not.
public struct SystemInstruction: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case createAccount, assign, transfer, createAccountWithSeed, advanceNonceAccount, withdrawNonceAccount
        case initializeNonceAccount, authorizeNonceAccount, allocate, allocateWithSeed, assignWithSeed
        case transferWithSeed, upgradeNonceAccount, createAccountAllowPrefund
    }

    public var kind: Kind
    /// The account lamports leave (payer of a creation, transfer source, nonce account on withdraw).
    public var from: PublicKey?
    /// The account lamports arrive at (new account, transfer destination).
    public var to: PublicKey?
    /// Account created, assigned or allocated.
    public var account: PublicKey?
    public var nonceAccount: PublicKey?
    /// Nonce authority (the signer that controls the nonce account).
    public var authority: PublicKey?
    public var newAuthority: PublicKey?
    public var base: PublicKey?
    public var seed: String?
    public var owner: PublicKey?
    public var lamports: UInt64?
    public var space: UInt64?

    init(kind: Kind) { self.kind = kind }

    static func decode(_ input: InstructionInput) throws(SolanaDecodeError) -> SystemInstruction {
        var r = ByteReader(input.data)
        let variant = try r.readU32LE("system instruction variant")
        func accounts(_ name: String, _ n: Int) throws(SolanaDecodeError) -> AccountList {
            let list = AccountList(keys: input.accounts, program: "system", instruction: name)
            try list.require(n)
            return list
        }
        func seed(_ what: String) throws(SolanaDecodeError) -> String {
            let length = try r.readU64LE("\(what) length")
            guard length <= UInt64(r.remaining) else { throw SolanaDecodeError.truncated(at: r.position, needed: 1, what) }
            let bytes = try r.readBytes(Int(length), what)
            // Solana refuses seeds over 32 bytes when deriving; bincode refuses invalid UTF-8.
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw SolanaDecodeError(.invalidUTF8, offset: r.position, "\(what) is not UTF-8")
            }
            return s
        }
        var ix: SystemInstruction
        switch variant {
        case 0:
            let a = try accounts("CreateAccount", 2)
            ix = SystemInstruction(kind: .createAccount)
            ix.lamports = try r.readU64LE("lamports"); ix.space = try r.readU64LE("space"); ix.owner = try r.readPublicKey("owner")
            ix.from = a[0]; ix.to = a[1]; ix.account = a[1]
        case 1:
            let a = try accounts("Assign", 1)
            ix = SystemInstruction(kind: .assign)
            ix.owner = try r.readPublicKey("owner"); ix.account = a[0]
        case 2:
            let a = try accounts("Transfer", 2)
            ix = SystemInstruction(kind: .transfer)
            ix.lamports = try r.readU64LE("lamports"); ix.from = a[0]; ix.to = a[1]
        case 3:
            let a = try accounts("CreateAccountWithSeed", 2)
            ix = SystemInstruction(kind: .createAccountWithSeed)
            ix.base = try r.readPublicKey("base"); ix.seed = try seed("seed")
            ix.lamports = try r.readU64LE("lamports"); ix.space = try r.readU64LE("space"); ix.owner = try r.readPublicKey("owner")
            ix.from = a[0]; ix.to = a[1]; ix.account = a[1]
        case 4:
            let a = try accounts("AdvanceNonceAccount", 3)
            ix = SystemInstruction(kind: .advanceNonceAccount)
            ix.nonceAccount = a[0]; ix.authority = a[2]
        case 5:
            let a = try accounts("WithdrawNonceAccount", 5)
            ix = SystemInstruction(kind: .withdrawNonceAccount)
            ix.lamports = try r.readU64LE("lamports")
            ix.nonceAccount = a[0]; ix.from = a[0]; ix.to = a[1]; ix.authority = a[4]
        case 6:
            let a = try accounts("InitializeNonceAccount", 3)
            ix = SystemInstruction(kind: .initializeNonceAccount)
            ix.authority = try r.readPublicKey("authority"); ix.nonceAccount = a[0]
        case 7:
            let a = try accounts("AuthorizeNonceAccount", 2)
            ix = SystemInstruction(kind: .authorizeNonceAccount)
            ix.newAuthority = try r.readPublicKey("new authority"); ix.nonceAccount = a[0]; ix.authority = a[1]
        case 8:
            let a = try accounts("Allocate", 1)
            ix = SystemInstruction(kind: .allocate)
            ix.space = try r.readU64LE("space"); ix.account = a[0]
        case 9:
            let a = try accounts("AllocateWithSeed", 2)
            ix = SystemInstruction(kind: .allocateWithSeed)
            ix.base = try r.readPublicKey("base"); ix.seed = try seed("seed")
            ix.space = try r.readU64LE("space"); ix.owner = try r.readPublicKey("owner"); ix.account = a[0]
        case 10:
            let a = try accounts("AssignWithSeed", 2)
            ix = SystemInstruction(kind: .assignWithSeed)
            ix.base = try r.readPublicKey("base"); ix.seed = try seed("seed"); ix.owner = try r.readPublicKey("owner"); ix.account = a[0]
        case 11:
            let a = try accounts("TransferWithSeed", 3)
            ix = SystemInstruction(kind: .transferWithSeed)
            ix.lamports = try r.readU64LE("lamports"); ix.seed = try seed("from seed"); ix.owner = try r.readPublicKey("from owner")
            ix.from = a[0]; ix.base = a[1]; ix.to = a[2]
        case 12:
            let a = try accounts("UpgradeNonceAccount", 1)
            ix = SystemInstruction(kind: .upgradeNonceAccount)
            ix.nonceAccount = a[0]
        case 13:
            ix = SystemInstruction(kind: .createAccountAllowPrefund)
            ix.lamports = try r.readU64LE("lamports"); ix.space = try r.readU64LE("space"); ix.owner = try r.readPublicKey("owner")
            // The payer is only present when lamports are moved.
            let a = try accounts("CreateAccountAllowPrefund", ix.lamports == 0 ? 1 : 2)
            ix.account = a[0]; ix.to = a[0]
            if ix.lamports != 0 { ix.from = a[1] }
        default:
            throw SolanaDecodeError(.unknownInstruction, offset: 0, "system instruction variant \(variant)")
        }
        try r.expectEnd("system instruction data")
        return ix
    }
}
