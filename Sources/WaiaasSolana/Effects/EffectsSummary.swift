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
    /// Signatures the precompile instructions verify (each one's first data
    /// byte); the runtime charges the signature fee for these too.
    public var precompileSignatures: Int
    /// 5,000 lamports for each transaction and precompile signature.
    public var baseFeeLamports: UInt64
    /// The compute-unit limit that applies: requested, or the upper bound of
    /// the runtime default (see `defaultComputeUnitLimit`).
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
    /// Decoded instructions naming the signer whose effect is not modelled.
    public var unmodelledInstructions: [UnmodelledInstruction]
    /// Instructions that could not be decoded (known program, bad data or accounts).
    public var invalidInstructions: [InstructionProblem]
    /// Lookups whose addresses were not supplied, and the instructions that use them.
    public var unresolvedLookups: [UnresolvedLookup]
    public var unresolvedInstructions: [Int]
    /// Instructions to a program the daemon decodes that name an account
    /// loaded from a lookup table the chain has not vouched for (a caller's
    /// claim of a table is not evidence), so what such an instruction does
    /// cannot be known: the policy refuses it.
    public var instructionsUsingLoadedAccounts: [Int]
    /// Tables the chain could not vouch for, and why (set by the caller of
    /// `compute` from its `LookupTableReport`).
    public var lookupTableProblems: [LookupTableProblem] = []
    /// The chain's simulation of the transaction, when the policy asked for one.
    public var simulation: SimulationReport?

    /// True when nothing stands in the way of a complete judgement.
    public var isFullyDecoded: Bool {
        invalidInstructions.isEmpty && unresolvedLookups.isEmpty && unresolvedInstructions.isEmpty && instructionsUsingLoadedAccounts.isEmpty
            && lookupTableProblems.isEmpty
    }

    public static let lamportsPerSignature: UInt64 = 5_000
    /// The runtime's default limits per instruction when a transaction sets
    /// none (Agave's compute-budget processing, SIMD-0170).
    public static let defaultComputeUnitsPerInstruction: UInt64 = 200_000
    public static let builtinComputeUnitsPerInstruction: UInt64 = 3_000
    public static let maxComputeUnitLimit: UInt64 = 1_400_000

    /// The programs the daemon decodes: the decision depends on every account
    /// their instructions name.
    public static let decodedPrograms: Set<PublicKey> = [
        ProgramIds.system, ProgramIds.token, ProgramIds.token2022, ProgramIds.associatedToken,
        ProgramIds.computeBudget, ProgramIds.memo, ProgramIds.memoV1,
    ]
    public static let precompiles: Set<PublicKey> = [ProgramIds.ed25519, ProgramIds.secp256k1, ProgramIds.secp256r1]

    /// The most the runtime can allot a transaction that sets no limit.
    /// Before SIMD-0170 every instruction but ComputeBudget's got 200,000
    /// units; after it builtins not yet migrated to sBPF get 3,000, and
    /// ComputeBudget's own instructions are builtins too. Which builtins
    /// are migrated changes with feature gates, so every instruction but
    /// ComputeBudget's is counted at 200,000 and ComputeBudget's at 3,000:
    /// the larger of the two rules for each, capped at 1.4M units.
    public static func defaultComputeUnitLimit(programs: [PublicKey]) -> UInt64 {
        var units: UInt64 = 0
        for program in programs {
            units += program == ProgramIds.computeBudget ? builtinComputeUnitsPerInstruction : defaultComputeUnitsPerInstruction
            if units >= maxComputeUnitLimit { return maxComputeUnitLimit }
        }
        return units
    }

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

        // Fees. Program ids are static keys, so they are known whatever the tables hold.
        let programs = message.instructions.map { resolved.key(at: Int($0.programIdIndex)) ?? PublicKey.zero }
        let numSignatures = Int(message.header.numRequiredSignatures)
        var precompileSignatures = 0
        for (program, ix) in zip(programs, message.instructions) where precompiles.contains(program) {
            precompileSignatures += Int(ix.data.first ?? 0)
        }
        // ≤ (255 + 64 × 255) × 5000: no overflow.
        let baseFee = UInt64(numSignatures + precompileSignatures) * lamportsPerSignature
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
                limit = defaultComputeUnitLimit(programs: programs)
            }
            priority = priorityFee(limit: limit, microLamportsPerUnit: price)
            if let extra = b.requestUnitsFee {
                let (sum, overflow) = priority.addingReportingOverflow(extra)
                priority = overflow ? .max : sum
            }
        }
        let (maxFee, overflow) = baseFee.addingReportingOverflow(priority)

        // A loaded account counts as known only when its table is the
        // chain's and the index was found in it.
        var usingLoaded: [Int] = []
        for (i, (program, ix)) in zip(programs, message.instructions).enumerated()
        where decodedPrograms.contains(program) && ix.accounts.contains(where: {
            Int($0) >= resolved.staticCount && (!resolved.tablesVerified || resolved.key(at: Int($0)) == nil)
        }) {
            usingLoaded.append(i)
        }

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
            numSignatures: numSignatures, precompileSignatures: precompileSignatures, baseFeeLamports: baseFee, computeUnitLimit: limit,
            computeUnitLimitRequested: requested, computeUnitPriceMicroLamports: price,
            priorityFeeLamports: priority, maxFeeLamports: overflow ? UInt64.max : maxFee,
            outflows: b.outflows, totals: totals(of: b.outflows), destinations: b.destinations,
            programs: b.programs, authorityChanges: b.authorityChanges, accountCreations: b.creations,
            durableNonce: nonce, opaqueCallsWithSigner: b.opaque, unmodelledInstructions: b.unmodelled, invalidInstructions: b.invalid,
            unresolvedLookups: resolved.unresolved, unresolvedInstructions: unresolvedInstructions,
            instructionsUsingLoadedAccounts: usingLoaded)
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
