/// What an amount is denominated in.
public enum Asset: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Native lamports.
    case sol
    /// Tokens of a known mint.
    case token(mint: PublicKey)
    /// A plain token Transfer (tag 3) names no mint; the policy must not guess it.
    case unknownMint(program: PublicKey)

    public var description: String {
        switch self {
        case .sol: "SOL"
        case .token(let mint): mint.base58
        case .unknownMint(let program): "unknown-mint:\(program.base58)"
        }
    }

    private var rank: Int {
        switch self {
        case .sol: 0
        case .token: 1
        case .unknownMint: 2
        }
    }

    public static func < (a: Asset, b: Asset) -> Bool {
        switch (a, b) {
        case (.token(let x), .token(let y)): x < y
        case (.unknownMint(let x), .unknownMint(let y)): x < y
        default: a.rank < b.rank
        }
    }
}

/// Where an instruction sits: top-level index and, inside a token Batch, the entry.
public struct InstructionPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var index: Int
    public var inner: Int?

    public static func < (a: InstructionPosition, b: InstructionPosition) -> Bool {
        (a.index, a.inner ?? -1) < (b.index, b.inner ?? -1)
    }

    public var description: String { inner.map { "\(index).\($0)" } ?? "\(index)" }
}

/// Value the signer sends away (or destroys, when `destination` is nil).
public struct Outflow: Sendable, Equatable {
    public var asset: Asset
    /// Nil when the instruction moves "everything" or an amount the
    /// transaction alone does not determine.
    public var amount: UInt64?
    public var source: PublicKey
    public var destination: PublicKey?
    /// e.g. "system.transfer", "token.transferChecked", "token.burn".
    public var kind: String
    public var position: InstructionPosition
}

public struct AssetTotal: Sendable, Equatable {
    public var asset: Asset
    /// Sum of the known amounts, saturating at UInt64.max.
    public var amount: UInt64
    /// True if some outflow of this asset has no known amount, or the sum overflowed.
    public var unbounded: Bool
}

/// What kind of control an instruction hands over; the policy's reason code
/// is `control_` followed by the raw value.
public enum ControlKind: String, Sendable, Hashable, CaseIterable {
    /// The account is given to another program (System Assign, or created with another owner).
    case assign
    /// Data is allocated in the signer's own account.
    case allocate
    case nonceAuthority = "nonce_authority"
    case tokenApprove = "token_approve"
    case setAuthority = "set_authority"
    /// CloseAccount: the account's lamports go to the destination (the rule refuses a foreign one).
    case closeAccount = "close_to_foreign"
    /// Any Token-2022 confidential-balance instruction: value the policy cannot follow.
    case confidentialTransfer = "confidential_transfer"
    case cpiGuardDisable = "cpi_guard_disable"
    case memoTransferDisable = "memo_transfer_disable"
}

/// Control over the signer's accounts handed to someone else (or changed).
public struct AuthorityChange: Sendable, Equatable {
    public var kind: ControlKind
    /// The instruction's policy name, e.g. "system.assign", "spl-token.approve".
    public var instruction: String
    public var account: PublicKey
    /// New owner, authority, delegate or close destination; nil when removed.
    public var newAuthority: PublicKey?
    /// Token SetAuthority's authority type.
    public var authorityType: UInt8?
    /// Approvals: how much the delegate may move.
    public var amount: UInt64?
    public var mint: PublicKey?
    public var position: InstructionPosition
}

/// A decoded instruction whose effect is not modelled, naming the signer.
public struct UnmodelledInstruction: Sendable, Equatable {
    /// The instruction's policy name (`DecodedInstruction.policyName`).
    public var instruction: String
    public var position: InstructionPosition
}

/// An account whose rent the signer pays.
public struct AccountCreation: Sendable, Equatable {
    public var kind: String
    public var payer: PublicKey
    public var account: PublicKey
    public var owner: PublicKey?
    public var mint: PublicKey?
    public var lamports: UInt64?
    public var position: InstructionPosition
}

public struct DurableNonceUse: Sendable, Equatable {
    public var nonceAccount: PublicKey?
    public var authority: PublicKey?
}

public struct InstructionProblem: Sendable, Equatable {
    public var position: InstructionPosition
    public var programId: PublicKey
    public var code: SolanaDecodeError.Code
    public var detail: String
}
