/// Squads v4, the multisig program the owner approves proposals with
/// (docs/SQUADS.md). Everything here is written from the program's
/// published interface (its IDL and account layouts), not its code.
public enum Squads {
    /// The program on mainnet and devnet.
    public static let programId = ProgramIds.squadsV4
    /// The id the program is built with under its `testing` feature; the
    /// program's own test fixtures live under it.
    public static let testingProgramId = PublicKey(base58: "GyhGAqjokLwF9UXdQ2dR5Zwiup242j4mX4J1tSMKyAmD")!

    static let seedPrefix = Array("multisig".utf8)

    /// A program derived address with its bump; nil only if no bump gives
    /// an address off the curve, which the seeds here never do in practice.
    public typealias Derived = (address: PublicKey, bump: UInt8)

    /// `["multisig", "multisig", create_key]`.
    public static func multisig(createKey: PublicKey, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, Array("multisig".utf8), createKey.bytes], programId: program)
    }

    /// `["multisig", multisig, "vault", u8 index]`: the account that holds the funds.
    public static func vault(multisig: PublicKey, index: UInt8, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, multisig.bytes, Array("vault".utf8), [index]], programId: program)
    }

    /// `["multisig", multisig, "transaction", u64 index]`.
    public static func transaction(multisig: PublicKey, index: UInt64, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, multisig.bytes, Array("transaction".utf8), le(index)], programId: program)
    }

    /// `["multisig", multisig, "transaction", u64 index, "proposal"]`.
    public static func proposal(multisig: PublicKey, index: UInt64, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, multisig.bytes, Array("transaction".utf8), le(index), Array("proposal".utf8)], programId: program)
    }

    /// `["multisig", multisig, "spending_limit", create_key]`.
    public static func spendingLimit(multisig: PublicKey, createKey: PublicKey, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, multisig.bytes, Array("spending_limit".utf8), createKey.bytes], programId: program)
    }

    /// `["multisig", transaction, "ephemeral_signer", u8 index]`.
    public static func ephemeralSigner(transaction: PublicKey, index: UInt8, program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, transaction.bytes, Array("ephemeral_signer".utf8), [index]], programId: program)
    }

    static func le(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.appendU64LE(value)
        return out
    }

    /// Anchor's discriminators: the first 8 bytes of sha256("global:<name>")
    /// for an instruction, of sha256("account:<Name>") for an account.
    static func discriminator(_ preimage: String) -> [UInt8] {
        Array(SHA256.hash(Array(preimage.utf8)).prefix(8))
    }
}

/// What a member may do (`Permissions.mask` in the program): propose,
/// vote, execute. A mask of 8 or more is refused, as the program refuses it.
public struct SquadsPermissions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let initiate = SquadsPermissions(rawValue: 1)
    public static let vote = SquadsPermissions(rawValue: 2)
    public static let execute = SquadsPermissions(rawValue: 4)
    public static let all: SquadsPermissions = [.initiate, .vote, .execute]
}
