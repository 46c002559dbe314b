/// Program derived addresses: sha256(seeds ‖ program_id ‖ "ProgramDerivedAddress"),
/// valid only if the result is off the curve (so no private key exists).
public enum ProgramAddress {
    public static let maxSeeds = 16
    public static let maxSeedLength = 32
    static let marker = Array("ProgramDerivedAddress".utf8)

    /// Why seeds give no program address, in the package's one error style
    /// (docs/ARCHITECTURE.md, "Errors"); the codes are the runtime's
    /// `PubkeyError` names.
    public struct DerivationError: Error, Sendable, Hashable, CustomStringConvertible {
        public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
            public let rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }
            public var description: String { rawValue }

            /// More than 16 seeds, or a seed longer than 32 bytes.
            public static let maxSeedLengthExceeded = Code(rawValue: "max_seed_length_exceeded")
            /// The hash landed on the curve, so a private key could exist.
            public static let invalidSeeds = Code(rawValue: "invalid_seeds")
        }

        public var code: Code
        public var message: String

        public init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }

        public var description: String { "\(code): \(message)" }
    }

    public static func create(seeds: [[UInt8]], programId: PublicKey) throws(DerivationError) -> PublicKey {
        guard seeds.count <= maxSeeds else { throw DerivationError(.maxSeedLengthExceeded, "\(seeds.count) seeds, more than \(maxSeeds)") }
        for seed in seeds where seed.count > maxSeedLength { throw DerivationError(.maxSeedLengthExceeded, "a seed of \(seed.count) bytes, more than \(maxSeedLength)") }
        let digest = SHA256.hash(seeds + [programId.bytes, marker])
        guard !Curve25519.isOnCurve(digest), let key = PublicKey(bytes: digest) else {
            throw DerivationError(.invalidSeeds, "the derived address is on the ed25519 curve")
        }
        return key
    }

    /// Tries bumps 255 down to 0 with the bump as an extra last seed, like
    /// `Pubkey::find_program_address`. Nil only if no bump works (never seen
    /// in practice) or the seeds are too long.
    public static func find(seeds: [[UInt8]], programId: PublicKey) -> (address: PublicKey, bump: UInt8)? {
        // One slot is needed for the bump seed.
        guard seeds.count < maxSeeds else { return nil }
        var bump: UInt8 = 255
        while true {
            if let key = try? create(seeds: seeds + [[bump]], programId: programId) {
                return (key, bump)
            }
            if bump == 0 { return nil }
            bump -= 1
        }
    }

    /// The associated token account of `wallet` for `mint` under `tokenProgram`
    /// (SPL Token or Token-2022): PDA([wallet, token program, mint]) of the ATA program.
    public static func associatedTokenAddress(wallet: PublicKey, mint: PublicKey, tokenProgram: PublicKey = ProgramIds.token) -> PublicKey? {
        find(seeds: [wallet.bytes, tokenProgram.bytes, mint.bytes], programId: ProgramIds.associatedToken)?.address
    }

    /// `Pubkey::create_with_seed`: sha256(base ‖ seed ‖ owner), used by
    /// CreateAccountWithSeed and TransferWithSeed. Nil if the seed is longer
    /// than 32 bytes or the owner ends with the PDA marker (both refused by Solana).
    public static func createWithSeed(base: PublicKey, seed: [UInt8], owner: PublicKey) -> PublicKey? {
        guard seed.count <= maxSeedLength else { return nil }
        let ownerBytes = owner.bytes
        if ownerBytes.count >= marker.count && Array(ownerBytes.suffix(marker.count)) == marker { return nil }
        return PublicKey(bytes: SHA256.hash([base.bytes, seed, ownerBytes]))
    }
}
