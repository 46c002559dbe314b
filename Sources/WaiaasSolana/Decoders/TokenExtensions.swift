/// The Token-2022 extension instructions: one tag per extension, most with a
/// sub-instruction byte. Each gets a stable name (`family.operation`, used in
/// reasons and in the policy's `control.allow_instructions`) and a class.
///
/// Numbering from spl-token-2022's `TokenInstruction` and each extension's
/// instruction enum. A sub-instruction this table does not know still gets a
/// name (`family.<n>`) and is `unmodelled`: refused where it names the signer.
enum TokenExtensions {
    struct Family {
        let name: String
        /// Sub-instruction names by their byte; nil when the tag has no sub-instruction.
        let operations: [String]?
        /// Sub-instructions (or, without them, the tag itself) by class; the rest are `unmodelled`.
        let harmless: Set<UInt8>
        let control: Set<UInt8>
        let controlAll: Bool

        init(_ name: String, _ operations: [String]?, harmless: Set<UInt8> = [], control: Set<UInt8> = [], controlAll: Bool = false) {
            self.name = name
            self.operations = operations
            self.harmless = harmless
            self.control = control
            self.controlAll = controlAll
        }
    }

    /// Tags without a sub-instruction use operation 0 in the sets below.
    static let families: [UInt8: Family] = [
        // Initialising a mint's config and harvesting withheld fees (anyone may) are harmless;
        // withdrawing withheld fees or changing the fee uses an authority the policy does not model.
        26: Family("transferFee", ["initializeConfig", "transferCheckedWithFee", "withdrawWithheldFromMint",
                                   "withdrawWithheldFromAccounts", "harvestWithheldToMint", "setTransferFee"], harmless: [0, 4]),
        // Confidential balances hide value from every later check: control, whatever the operation.
        27: Family("confidentialTransfer", ["initializeMint", "updateMint", "configureAccount", "approveAccount", "emptyAccount",
                                            "deposit", "withdraw", "transfer", "applyPendingBalance", "enableConfidentialCredits",
                                            "disableConfidentialCredits", "enableNonConfidentialCredits", "disableNonConfidentialCredits",
                                            "transferWithFee", "configureAccountWithRegistry"], controlAll: true),
        28: Family("defaultAccountState", ["initialize", "update"], harmless: [0]),
        // Disabling required memos removes a protection of the signer's account.
        30: Family("memoTransfer", ["enable", "disable"], harmless: [0], control: [1]),
        31: Family("createNativeMint", nil),
        32: Family("initializeNonTransferableMint", nil, harmless: [0]),
        33: Family("interestBearingMint", ["initialize", "updateRate"], harmless: [0]),
        // Disabling the CPI guard lets programs move the account's tokens through CPI again.
        34: Family("cpiGuard", ["enable", "disable"], harmless: [0], control: [1]),
        35: Family("initializePermanentDelegate", nil, harmless: [0]),
        36: Family("transferHook", ["initialize", "update"], harmless: [0]),
        37: Family("confidentialTransferFee", ["initializeConfig", "withdrawWithheldFromMint", "withdrawWithheldFromAccounts",
                                               "harvestWithheldToMint", "enableHarvestToMint", "disableHarvestToMint"], controlAll: true),
        39: Family("metadataPointer", ["initialize", "update"], harmless: [0]),
        40: Family("groupPointer", ["initialize", "update"], harmless: [0]),
        41: Family("groupMemberPointer", ["initialize", "update"], harmless: [0]),
        42: Family("confidentialMintBurn", ["initializeMint", "rotateSupplyElGamalPubkey", "updateDecryptableSupply", "mint", "burn",
                                            "applyPendingBurn"], controlAll: true),
        43: Family("scaledUiAmount", ["initialize", "updateMultiplier"], harmless: [0]),
        44: Family("pausable", ["initialize", "pause", "resume"], harmless: [0]),
        46: Family("permissionedBurn", nil),
    ]

    /// `family.operation`, or `family` for a tag without sub-instructions.
    static func name(tag: UInt8, operation: UInt8?) -> String {
        guard let family = families[tag] else { return "tag\(tag)" }
        guard let operations = family.operations else { return family.name }
        guard let operation else { return "\(family.name).missing" }
        let known = Int(operation) < operations.count ? operations[Int(operation)] : "\(operation)"
        return "\(family.name).\(known)"
    }

    static func classification(tag: UInt8, operation: UInt8?) -> InstructionClass {
        guard let family = families[tag] else { return .unmodelled }
        if family.controlAll { return .control }
        let key: UInt8
        if family.operations == nil {
            key = 0
        } else {
            // A sub-instruction the table does not name is never harmless.
            guard let operation, Int(operation) < family.operations!.count else { return .unmodelled }
            key = operation
        }
        if family.control.contains(key) { return .control }
        if family.harmless.contains(key) { return .harmless }
        return .unmodelled
    }
}

extension TokenExtensions {
    /// Every Token-2022 extension instruction a policy may allow by name (the
    /// `control` and `unmodelled` ones), with its class: a policy naming
    /// anything else is refused, so a typo cannot silently allow nothing.
    static let namesAPolicyMayAllow: [String: InstructionClass] = {
        var names: [String: InstructionClass] = [:]
        for (tag, family) in families {
            let operations: [UInt8?] = family.operations.map { ops in ops.indices.map { UInt8($0) } } ?? [nil]
            for operation in operations {
                let kind = classification(tag: tag, operation: operation)
                if kind == .control || kind == .unmodelled {
                    names["spl-token-2022." + name(tag: tag, operation: operation)] = kind
                }
            }
        }
        return names
    }()
}

public enum InstructionNames {
    /// The instruction names `control.allow_instructions` accepts, with their class.
    public static var allowable: [String: InstructionClass] {
        TokenExtensions.namesAPolicyMayAllow.merging(squads) { token, _ in token }
    }

    /// Squads v4's instructions the agent's signature may not carry by default.
    static let squads: [String: InstructionClass] = {
        let program = ProgramIds.names[Squads.programId]!
        let modelled = ["vault_transaction_create", "proposal_create", "vault_transaction_execute"]
            + SquadsInstruction.ProposalVote.Vote.allCases.map(\.rawValue)
        return Dictionary(uniqueKeysWithValues: (modelled + SquadsInstruction.unmodelledNames.values).map { ("\(program).\($0)", InstructionClass.unmodelled) })
    }()
}
