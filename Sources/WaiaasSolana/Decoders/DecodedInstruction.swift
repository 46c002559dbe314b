/// One instruction, decoded with the program that will run it. Known programs
/// get typed values naming the accounts they touch; everything else stays an
/// opaque call, so the policy can still see which program is called.
public enum DecodedInstruction: Sendable, Equatable {
    case system(SystemInstruction)
    /// SPL Token or Token-2022 (`program` says which).
    case token(TokenInstruction, program: PublicKey)
    case associatedToken(AssociatedTokenInstruction)
    case computeBudget(ComputeBudgetInstruction)
    case memo(MemoInstruction)
    /// Squads v4 (the mainnet program id only).
    case squads(SquadsInstruction)
    /// A program we do not decode; `name` when it is a well-known one.
    case other(programId: PublicKey, name: String?, accounts: [PublicKey], data: [UInt8])
    /// A known program whose data or accounts we cannot make sense of. The
    /// program would most likely fail too, but a strict wallet does not bet on that.
    case invalid(programId: PublicKey, error: SolanaDecodeError)
    /// Names accounts from a lookup table whose contents were not supplied.
    case unresolved(programId: PublicKey)

    public var programId: PublicKey {
        switch self {
        case .system: ProgramIds.system
        case .token(_, let program): program
        case .associatedToken: ProgramIds.associatedToken
        case .computeBudget: ProgramIds.computeBudget
        case .memo(let m): m.program
        case .squads: Squads.programId
        case .other(let id, _, _, _), .invalid(let id, _), .unresolved(let id): id
        }
    }
}

/// The decoder's view of one instruction: program, resolved accounts, data.
public struct InstructionInput: Sendable, Equatable {
    public var programId: PublicKey
    public var accounts: [PublicKey]
    public var data: [UInt8]

    public init(programId: PublicKey, accounts: [PublicKey], data: [UInt8]) {
        self.programId = programId
        self.accounts = accounts
        self.data = data
    }
}

public enum InstructionDecoder {
    /// Decodes one instruction whose accounts are all known.
    public static func decode(_ input: InstructionInput) -> DecodedInstruction {
        let id = input.programId
        do {
            if id == ProgramIds.system { return .system(try SystemInstruction.decode(input)) }
            if id == ProgramIds.token || id == ProgramIds.token2022 {
                return .token(try TokenInstruction.decode(input, allowBatch: true), program: id)
            }
            if id == ProgramIds.associatedToken { return .associatedToken(try AssociatedTokenInstruction.decode(input)) }
            if id == ProgramIds.computeBudget { return .computeBudget(try ComputeBudgetInstruction.decode(input)) }
            if id == ProgramIds.memo || id == ProgramIds.memoV1 { return .memo(try MemoInstruction.decode(input)) }
            if id == Squads.programId { return .squads(try SquadsInstruction.decode(input)) }
        } catch {
            return .invalid(programId: id, error: error)
        }
        return .other(programId: id, name: ProgramIds.names[id], accounts: input.accounts, data: input.data)
    }

    /// Decodes every instruction of `message` against its resolved accounts.
    public static func decode(message: Message, resolved: ResolvedAccounts) -> [DecodedInstruction] {
        message.instructions.map { ix in
            // Program ids are always static keys (checked when decoding).
            guard let program = resolved.key(at: Int(ix.programIdIndex)) else {
                return .invalid(programId: PublicKey.zero, error: SolanaDecodeError(.programIndexOutOfRange, offset: nil, "program id index \(ix.programIdIndex)"))
            }
            var accounts: [PublicKey] = []
            accounts.reserveCapacity(ix.accounts.count)
            for index in ix.accounts {
                guard let key = resolved.key(at: Int(index)) else { return .unresolved(programId: program) }
                accounts.append(key)
            }
            return decode(InstructionInput(programId: program, accounts: accounts, data: ix.data))
        }
    }
}

/// Helpers shared by the program decoders.
struct AccountList {
    let keys: [PublicKey]
    let program: String
    let instruction: String

    func require(_ count: Int) throws(SolanaDecodeError) {
        if keys.count < count {
            throw SolanaDecodeError(.notEnoughAccounts, offset: nil, "\(program) \(instruction) needs \(count) accounts, has \(keys.count)")
        }
    }

    subscript(_ i: Int) -> PublicKey { keys[i] }

    /// Accounts after the first `count` (multisig signers, transfer-hook extras).
    func rest(after count: Int) -> [PublicKey] {
        keys.count > count ? Array(keys[count...]) : []
    }
}
