/// What a transaction does to one signer's funds and authority: the input
/// the policy engine judges. Computed from the decoded instructions only
/// (no chain state), so it is conservative where the chain would know more:
/// an amount the transaction does not fix is reported as unknown, not guessed.
public struct EffectsSummary: Sendable, Equatable {
    public var signer: PublicKey
    public var feePayer: PublicKey
    public var signerIsFeePayer: Bool
    /// The signer is among the message's required signers.
    public var signerMustSign: Bool
    public var version: MessageVersion

    public var numSignatures: Int
    public var baseFeeLamports: UInt64
    /// The compute-unit limit that applies (requested, or the runtime default).
    public var computeUnitLimit: UInt64
    public var computeUnitLimitRequested: UInt32?
    /// Legacy/v0: SetComputeUnitPrice in micro-lamports per CU.
    public var computeUnitPriceMicroLamports: UInt64
    /// Legacy/v0: ceil(limit × price / 10^6); v1: the config's fee.
    public var priorityFeeLamports: UInt64
    /// Base fee plus priority fee (saturating): what the fee payer may be charged.
    public var maxFeeLamports: UInt64

    public var outflows: [Outflow]
    public var totals: [AssetTotal]
    /// Recipients of outflows, in first-seen order.
    public var destinations: [PublicKey]
    /// Programs called at top level, in first-seen order.
    public var programs: [PublicKey]
    public var authorityChanges: [AuthorityChange]
    public var accountCreations: [AccountCreation]
    public var durableNonce: DurableNonceUse?
    /// Calls to programs we do not decode that pass the signer as an account:
    /// they can do anything the signer's signature allows.
    public var opaqueCallsWithSigner: [InstructionPosition]
    /// Instructions that could not be decoded (known program, bad data or accounts).
    public var invalidInstructions: [InstructionProblem]
    /// Lookups whose addresses were not supplied, and the instructions that use them.
    public var unresolvedLookups: [UnresolvedLookup]
    public var unresolvedInstructions: [Int]

    /// True when nothing stands in the way of a complete judgement.
    public var isFullyDecoded: Bool {
        invalidInstructions.isEmpty && unresolvedLookups.isEmpty && unresolvedInstructions.isEmpty
    }

    public static let lamportsPerSignature: UInt64 = 5_000
    public static let defaultComputeUnitsPerInstruction: UInt64 = 200_000
    public static let maxComputeUnitLimit: UInt64 = 1_400_000

    public static func compute(transaction: SolanaTransaction, resolved: ResolvedAccounts, signer: PublicKey? = nil) -> EffectsSummary {
        compute(message: transaction.message, resolved: resolved, signer: signer)
    }

    public static func compute(message: Message, resolved: ResolvedAccounts, signer: PublicKey? = nil,
                               instructions decoded: [DecodedInstruction]? = nil) -> EffectsSummary {
        let instructions = decoded ?? InstructionDecoder.decode(message: message, resolved: resolved)
        let feePayer = message.feePayer ?? PublicKey.zero
        var builder = Builder(signer: signer ?? feePayer)
        for (i, ix) in instructions.enumerated() {
            builder.add(ix, at: i)
        }
        let b = builder

        // Fees.
        let numSignatures = Int(message.header.numRequiredSignatures)
        let baseFee = UInt64(numSignatures) &* lamportsPerSignature // ≤ 255 × 5000, no overflow
        var limit: UInt64
        var priority: UInt64
        let requested: UInt32?
        let price: UInt64
        if message.version == .v1 {
            // SIMD-0385: the config is authoritative and ComputeBudget instructions are ignored.
            let config = message.config ?? TransactionConfig()
            requested = config.computeUnitLimit
            limit = UInt64(config.computeUnitLimit ?? 0)
            priority = config.priorityFeeLamports ?? 0
            price = 0
        } else {
            requested = b.requestedLimit
            price = b.unitPrice ?? 0
            if let requested {
                limit = min(UInt64(requested), maxComputeUnitLimit)
            } else {
                // Upper bound of the runtime default: 200k per instruction
                // other than ComputeBudget (builtins get less, never more).
                limit = min(UInt64(b.nonBudgetInstructions) * defaultComputeUnitsPerInstruction, maxComputeUnitLimit)
            }
            priority = priorityFee(limit: limit, microLamportsPerUnit: price)
        }
        let (maxFee, overflow) = baseFee.addingReportingOverflow(priority)

        var nonce: DurableNonceUse?
        // The runtime's test (uses_durable_nonce): instruction 0 calls the
        // system program with data beginning 04 00 00 00, extra bytes allowed.
        if let first = message.instructions.first, resolved.key(at: Int(first.programIdIndex)) == ProgramIds.system,
           first.data.count >= 4, first.data.prefix(4).elementsEqual([4, 0, 0, 0]) {
            let accounts = first.accounts.map { resolved.key(at: Int($0)) }
            nonce = DurableNonceUse(nonceAccount: accounts.first ?? nil, authority: accounts.count > 2 ? accounts[2] : nil)
        }

        var unresolvedInstructions: [Int] = []
        for (i, ix) in instructions.enumerated() {
            if case .unresolved = ix { unresolvedInstructions.append(i) }
        }

        return EffectsSummary(
            signer: b.signer, feePayer: feePayer, signerIsFeePayer: b.signer == feePayer,
            signerMustSign: message.signerKeys.contains(b.signer), version: message.version,
            numSignatures: numSignatures, baseFeeLamports: baseFee, computeUnitLimit: limit,
            computeUnitLimitRequested: requested, computeUnitPriceMicroLamports: price,
            priorityFeeLamports: priority, maxFeeLamports: overflow ? UInt64.max : maxFee,
            outflows: b.outflows, totals: totals(of: b.outflows), destinations: b.destinations,
            programs: b.programs, authorityChanges: b.authorityChanges, accountCreations: b.creations,
            durableNonce: nonce, opaqueCallsWithSigner: b.opaque, invalidInstructions: b.invalid,
            unresolvedLookups: resolved.unresolved, unresolvedInstructions: unresolvedInstructions)
    }

    /// ceil(limit × price / 10^6), saturating instead of trapping on absurd prices.
    public static func priorityFee(limit: UInt64, microLamportsPerUnit price: UInt64) -> UInt64 {
        let (product, overflow) = limit.multipliedReportingOverflow(by: price)
        // The true fee exceeds what any account can hold: saturate.
        if overflow { return UInt64.max }
        let q = product / 1_000_000
        return product % 1_000_000 == 0 ? q : q + 1
    }

    static func totals(of outflows: [Outflow]) -> [AssetTotal] {
        var byAsset: [Asset: AssetTotal] = [:]
        for o in outflows {
            var t = byAsset[o.asset] ?? AssetTotal(asset: o.asset, amount: 0, unbounded: false)
            if let amount = o.amount {
                let (sum, overflow) = t.amount.addingReportingOverflow(amount)
                t.amount = overflow ? UInt64.max : sum
                if overflow { t.unbounded = true }
            } else {
                t.unbounded = true
            }
            byAsset[o.asset] = t
        }
        return byAsset.values.sorted { $0.asset < $1.asset }
    }
}
