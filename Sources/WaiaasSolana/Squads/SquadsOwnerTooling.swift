/// What the owners sign with their own wallets to set a multisig up: the
/// daemon's tools build these, never sign them.
extension Squads {
    /// `["multisig", "program_config"]`: the program's global configuration.
    public static func programConfig(program: PublicKey = programId) -> Derived? {
        ProgramAddress.find(seeds: [seedPrefix, Array("program_config".utf8)], programId: program)
    }

    /// multisig_create_v2: a new autonomous multisig (no config authority,
    /// no rent collector) with `members` (sorted here, as the program keeps
    /// them). `createKey` and `creator` sign; the creator pays the rent and
    /// the program's creation fee to `treasury` (the program config's).
    public static func multisigCreateV2(
        createKey: PublicKey, creator: PublicKey, treasury: PublicKey, members: [SquadsMultisig.Member], threshold: UInt16,
        timeLock: UInt32, memo: String?, program: PublicKey = programId
    ) -> (instruction: TransactionInstruction, multisig: PublicKey)? {
        guard let config = programConfig(program: program)?.address, let multisig = multisig(createKey: createKey, program: program)?.address else {
            return nil
        }
        var data = discriminator("global:multisig_create_v2")
        data.append(0)  // config_authority: None (autonomous)
        data.appendU16LE(threshold)
        let sorted = members.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
        data.appendU32LE(UInt32(sorted.count))
        for member in sorted {
            data += member.key.bytes
            data.append(member.permissions.rawValue)
        }
        data.appendU32LE(timeLock)
        data.append(0)  // rent_collector: None
        data.appendBorshOptionalString(memo)
        typealias A = TransactionInstruction.Account
        let instruction = TransactionInstruction(program: program, accounts: [
            A(config), A(treasury, writable: true), A(multisig, writable: true), A(createKey, signer: true),
            A(creator, signer: true, writable: true), A(ProgramIds.system),
        ], data: data)
        return (instruction, multisig)
    }
}

/// `ProgramConfig`: who may change the program's settings, and the fee and
/// treasury a new multisig pays.
public struct SquadsProgramConfig: Sendable, Equatable {
    public static let discriminator = Squads.discriminator("account:ProgramConfig")

    public var authority: PublicKey
    public var multisigCreationFee: UInt64
    public var treasury: PublicKey

    public init(accountData bytes: [UInt8]) throws(SolanaDecodeError) {
        var r = try SquadsAccount.reader(bytes, Self.discriminator, "ProgramConfig")
        authority = try r.readPublicKey("authority")
        multisigCreationFee = try r.readU64LE("multisig_creation_fee")
        treasury = try r.readPublicKey("treasury")
        _ = try r.readBytes(64, "reserved")
    }
}
