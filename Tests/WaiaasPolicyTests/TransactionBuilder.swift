import WaiaasSolana

/// Builds legacy messages the way wallets compile them, for policy tests.
struct Instruction {
    struct Account {
        var key: PublicKey
        var signer: Bool
        var writable: Bool
    }

    var program: PublicKey
    var accounts: [Account]
    var data: [UInt8]
}

func key(_ seed: UInt8) -> PublicKey { PublicKey(bytes: [UInt8](repeating: seed, count: 31) + [seed &+ 1])! }

func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) } }

enum Build {
    static func message(payer: PublicKey, _ instructions: [Instruction]) -> Message {
        // Collect accounts with merged flags, payer first.
        var order: [PublicKey] = [payer]
        var flags: [PublicKey: (signer: Bool, writable: Bool)] = [payer: (true, true)]
        for instruction in instructions {
            for account in instruction.accounts {
                if let existing = flags[account.key] {
                    flags[account.key] = (existing.signer || account.signer, existing.writable || account.writable)
                } else {
                    order.append(account.key)
                    flags[account.key] = (account.signer, account.writable)
                }
            }
            if flags[instruction.program] == nil {
                order.append(instruction.program)
                flags[instruction.program] = (false, false)
            }
        }
        func rank(_ key: PublicKey) -> Int {
            let f = flags[key]!
            return key == payer ? -1 : (f.signer ? (f.writable ? 0 : 1) : (f.writable ? 2 : 3))
        }
        let keys = order.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        let signers = keys.filter { flags[$0]!.signer }
        let header = MessageHeader(
            numRequiredSignatures: UInt8(signers.count),
            numReadonlySignedAccounts: UInt8(signers.filter { !flags[$0]!.writable }.count),
            numReadonlyUnsignedAccounts: UInt8(keys.filter { !flags[$0]!.signer && !flags[$0]!.writable }.count))
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, UInt8($0)) })
        let compiled = instructions.map {
            CompiledInstruction(programIdIndex: index[$0.program]!, accounts: $0.accounts.map { index[$0.key]! }, data: $0.data)
        }
        return Message(version: .legacy, header: header, accountKeys: keys, recentBlockhash: key(200), instructions: compiled)
    }

    static func effects(payer: PublicKey, signer: PublicKey, _ instructions: [Instruction]) throws -> EffectsSummary {
        let message = message(payer: payer, instructions)
        let decoded = try Message.decode(message.encoded())
        return EffectsSummary.compute(message: decoded, resolved: try decoded.resolve(), signer: signer)
    }

    // System program
    static func transfer(from: PublicKey, to: PublicKey, lamports: UInt64) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: from, signer: true, writable: true), .init(key: to, signer: false, writable: true)], data: le32(2) + le64(lamports))
    }

    static func createAccount(from: PublicKey, new: PublicKey, lamports: UInt64, owner: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: from, signer: true, writable: true), .init(key: new, signer: true, writable: true)], data: le32(0) + le64(lamports) + le64(0) + owner.bytes)
    }

    static func assign(_ account: PublicKey, owner: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: account, signer: true, writable: true)], data: le32(1) + owner.bytes)
    }

    static func allocate(_ account: PublicKey, space: UInt64) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: account, signer: true, writable: true)], data: le32(8) + le64(space))
    }

    static func advanceNonce(nonce: PublicKey, authority: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: nonce, signer: false, writable: true), .init(key: ProgramIds.sysvarRecentBlockhashes, signer: false, writable: false), .init(key: authority, signer: true, writable: false)], data: le32(4))
    }

    static func authorizeNonce(nonce: PublicKey, authority: PublicKey, newAuthority: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.system, accounts: [.init(key: nonce, signer: false, writable: true), .init(key: authority, signer: true, writable: false)], data: le32(7) + newAuthority.bytes)
    }

    // SPL Token
    static func transferChecked(source: PublicKey, mint: PublicKey, destination: PublicKey, owner: PublicKey, amount: UInt64, decimals: UInt8, program: PublicKey = ProgramIds.token) -> Instruction {
        Instruction(program: program, accounts: [.init(key: source, signer: false, writable: true), .init(key: mint, signer: false, writable: false), .init(key: destination, signer: false, writable: true), .init(key: owner, signer: true, writable: false)], data: [12] + le64(amount) + [decimals])
    }

    static func plainTokenTransfer(source: PublicKey, destination: PublicKey, owner: PublicKey, amount: UInt64) -> Instruction {
        Instruction(program: ProgramIds.token, accounts: [.init(key: source, signer: false, writable: true), .init(key: destination, signer: false, writable: true), .init(key: owner, signer: true, writable: false)], data: [3] + le64(amount))
    }

    static func approve(source: PublicKey, delegate: PublicKey, owner: PublicKey, amount: UInt64) -> Instruction {
        Instruction(program: ProgramIds.token, accounts: [.init(key: source, signer: false, writable: true), .init(key: delegate, signer: false, writable: false), .init(key: owner, signer: true, writable: false)], data: [4] + le64(amount))
    }

    static func setAuthority(account: PublicKey, owner: PublicKey, newAuthority: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.token, accounts: [.init(key: account, signer: false, writable: true), .init(key: owner, signer: true, writable: false)], data: [6, 2, 1] + newAuthority.bytes)
    }

    static func closeAccount(account: PublicKey, destination: PublicKey, owner: PublicKey) -> Instruction {
        Instruction(program: ProgramIds.token, accounts: [.init(key: account, signer: false, writable: true), .init(key: destination, signer: false, writable: true), .init(key: owner, signer: true, writable: false)], data: [9])
    }

    /// Token Batch (tag 255): each entry `[account count][data length][data]`, accounts in order.
    static func batch(_ entries: [Instruction], program: PublicKey = ProgramIds.token) -> Instruction {
        var data: [UInt8] = [255]
        var accounts: [Instruction.Account] = []
        for entry in entries {
            data += [UInt8(entry.accounts.count), UInt8(entry.data.count)] + entry.data
            accounts += entry.accounts
        }
        return Instruction(program: program, accounts: accounts, data: data)
    }

    // Compute budget
    static func unitLimit(_ units: UInt32) -> Instruction {
        Instruction(program: ProgramIds.computeBudget, accounts: [], data: [2] + le32(units))
    }

    static func unitPrice(_ microLamports: UInt64) -> Instruction {
        Instruction(program: ProgramIds.computeBudget, accounts: [], data: [3] + le64(microLamports))
    }

    static func opaque(_ program: PublicKey, signer: PublicKey) -> Instruction {
        Instruction(program: program, accounts: [.init(key: signer, signer: true, writable: true)], data: [1, 2, 3])
    }
}
