/// Program derived addresses: sha256(seeds ‖ program_id ‖ "ProgramDerivedAddress"),
/// valid only if the result is off the curve (so no private key exists).
public enum ProgramAddress {
    public static let maxSeeds = 16
    public static let maxSeedLength = 32
    static let marker = Array("ProgramDerivedAddress".utf8)

    public enum DerivationError: Error, Equatable, Sendable {
        case maxSeedLengthExceeded
        case invalidSeeds // too many seeds, or the hash landed on the curve
    }

    public static func create(seeds: [[UInt8]], programId: PublicKey) throws(DerivationError) -> PublicKey {
        guard seeds.count <= maxSeeds else { throw .maxSeedLengthExceeded }
        for seed in seeds where seed.count > maxSeedLength { throw .maxSeedLengthExceeded }
        let digest = SHA256.hash(seeds + [programId.bytes, marker])
        guard !Curve25519.isOnCurve(digest), let key = PublicKey(bytes: digest) else {
            throw .invalidSeeds
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
