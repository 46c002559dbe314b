import WaiaasSolana

/// The code of a reason: the stable string a decision carries on the wire
/// (`Reason.code`), in the ledger and in docs/POLICY.md. Clients and agents
/// match on it, so a code once shipped never changes meaning. Every code is
/// named here; the places that raise one use these names, never a literal.
///
/// A struct rather than an enum, as swift-certificates' error codes are:
/// two families carry a part (a window's period, a control kind), and codes
/// from the decoders pass through unchanged (`decoder(_:)`).
public struct ReasonCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // MARK: Sign: the policy's decision

    public static let withinPolicy = ReasonCode(rawValue: "within_policy")

    /// The wallet is frozen: nothing is signed until M of the owners unfreeze it.
    public static let frozen = ReasonCode(rawValue: "frozen")

    // MARK: PayX402 (docs/X402.md)

    public static let x402FeePayerIsAgent = ReasonCode(rawValue: "x402_fee_payer_is_agent")
    public static let x402FeePayerInInstruction = ReasonCode(rawValue: "x402_fee_payer_in_instruction")
    public static let x402Mismatch = ReasonCode(rawValue: "x402_mismatch")
    public static let x402PayToNotAllowed = ReasonCode(rawValue: "x402_pay_to_not_allowed")
    public static let x402OriginNotAllowed = ReasonCode(rawValue: "x402_origin_not_allowed")
    public static let x402OverMaximum = ReasonCode(rawValue: "x402_over_maximum")
    public static let noPolicy = ReasonCode(rawValue: "no_policy")
    public static let policyNotYetValid = ReasonCode(rawValue: "policy_not_yet_valid")
    public static let policyExpired = ReasonCode(rawValue: "policy_expired")
    public static let outsideActiveHours = ReasonCode(rawValue: "outside_active_hours")
    public static let perTransactionLimitExceeded = ReasonCode(rawValue: "per_transaction_limit_exceeded")
    /// `window_<period>_exceeded`, e.g. `window_24h_exceeded`.
    public static func windowExceeded(seconds: UInt64) -> ReasonCode {
        ReasonCode(rawValue: "window_\(AmountText.duration(seconds))_exceeded")
    }
    /// `rate_limit_<period>_exceeded`, e.g. `rate_limit_1m_exceeded`.
    public static func rateLimitExceeded(seconds: UInt64) -> ReasonCode {
        ReasonCode(rawValue: "rate_limit_\(AmountText.duration(seconds))_exceeded")
    }
    public static let approvalRequired = ReasonCode(rawValue: "approval_required")
    public static let assetNotAllowed = ReasonCode(rawValue: "asset_not_allowed")
    public static let unknownMint = ReasonCode(rawValue: "unknown_mint")
    public static let unboundedOutflow = ReasonCode(rawValue: "unbounded_outflow")
    public static let feeCapExceeded = ReasonCode(rawValue: "fee_cap_exceeded")
    public static let programNotAllowed = ReasonCode(rawValue: "program_not_allowed")
    public static let programNeedsApproval = ReasonCode(rawValue: "program_needs_approval")
    /// `control_<kind>`, e.g. `control_set_authority`.
    public static func control(_ kind: ControlKind) -> ReasonCode { ReasonCode(rawValue: "control_\(kind.rawValue)") }
    public static let instructionNotClassified = ReasonCode(rawValue: "instruction_not_classified")
    public static let durableNonceNotAllowed = ReasonCode(rawValue: "durable_nonce_not_allowed")
    public static let destinationDenied = ReasonCode(rawValue: "destination_denied")
    public static let destinationNotAllowed = ReasonCode(rawValue: "destination_not_allowed")
    public static let lookupTableUnverified = ReasonCode(rawValue: "lookup_table_unverified")
    public static let lookupTableMismatch = ReasonCode(rawValue: "lookup_table_mismatch")
    public static let lookupTableNotFound = ReasonCode(rawValue: "lookup_table_not_found")
    public static let lookupTableDeactivated = ReasonCode(rawValue: "lookup_table_deactivated")
    public static let lookupTableIndexOutOfRange = ReasonCode(rawValue: "lookup_table_index_out_of_range")
    public static let rpcDisagreement = ReasonCode(rawValue: "rpc_disagreement")
    public static let rpcUnavailable = ReasonCode(rawValue: "rpc_unavailable")
    public static let simulationFailed = ReasonCode(rawValue: "simulation_failed")
    public static let simulationUnavailable = ReasonCode(rawValue: "simulation_unavailable")
    public static let undecodableInstruction = ReasonCode(rawValue: "undecodable_instruction")
    public static let agentNotSigner = ReasonCode(rawValue: "agent_not_signer")
    public static let offchainNotAllowed = ReasonCode(rawValue: "offchain_not_allowed")
    public static let offchainPrefixNotAllowed = ReasonCode(rawValue: "offchain_prefix_not_allowed")
    public static let offchainDomainNotAllowed = ReasonCode(rawValue: "offchain_domain_not_allowed")
    public static let offchainAgentNotSigner = ReasonCode(rawValue: "offchain_agent_not_signer")
    /// The ledger keeps the first reasons of a refusal; this one says how many more the caller was told.
    public static let moreReasons = ReasonCode(rawValue: "more_reasons")

    // MARK: Sign: the request itself

    public static let emptyRequest = ReasonCode(rawValue: "empty_request")
    public static let invalidLookupTable = ReasonCode(rawValue: "invalid_lookup_table")
    /// These exact bytes were signed before: the earlier signature, counted once.
    public static let replayed = ReasonCode(rawValue: "replayed")
    /// A decoder's own error code (a malformed transaction or message), passed through.
    public static func decoder(_ code: String) -> ReasonCode { ReasonCode(rawValue: code) }

    // MARK: Propose

    /// More proposals in the window than `propose.rate_limit` allows.
    /// `propose_rate_<period>_exceeded`, e.g. `propose_rate_1h_exceeded`.
    public static func proposeRateExceeded(seconds: UInt64) -> ReasonCode {
        ReasonCode(rawValue: "propose_rate_\(AmountText.duration(seconds))_exceeded")
    }
    /// The vault's transaction calls a program `propose.programs` does not list.
    public static let proposeProgramNotAllowed = ReasonCode(rawValue: "propose_program_not_allowed")
    /// The rent and fee the agent would pay exceed `propose.max_sol`.
    public static let proposeCostExceeded = ReasonCode(rawValue: "propose_cost_exceeded")
    /// The multisig does not give the agent the permission the call needs (Initiate to propose).
    public static let multisigPermissionMissing = ReasonCode(rawValue: "multisig_permission_missing")
    /// Added to an approval-required answer when the daemon has a multisig:
    /// names the multisig and vault Propose would use.
    public static let proposeAvailable = ReasonCode(rawValue: "propose_available")
    /// How a proposed on-chain spending limit was fitted to the policy's windows.
    public static let spendingLimitFit = ReasonCode(rawValue: "spending_limit_fit")
    /// An approved proposal run by the agent (it has Execute).
    public static let executed = ReasonCode(rawValue: "executed")
    /// The proposal is not approved yet, or its time lock has not passed.
    public static let proposalNotExecutable = ReasonCode(rawValue: "proposal_not_executable")
    /// A proposal for the vault's transaction, made instead of a signature.
    public static let proposed = ReasonCode(rawValue: "proposed")

    // MARK: SetPolicy

    public static let policySet = ReasonCode(rawValue: "policy_set")
    public static let wrongWallet = ReasonCode(rawValue: "wrong_wallet")
    public static let invalidPolicy = ReasonCode(rawValue: "invalid_policy")
    public static let staleVersion = ReasonCode(rawValue: "stale_version")
    public static let badSignature = ReasonCode(rawValue: "bad_signature")
    public static let notEnoughSignatures = ReasonCode(rawValue: "not_enough_signatures")
    public static let ownerNotConfigured = ReasonCode(rawValue: "owner_not_configured")
    public static let duplicateSignature = ReasonCode(rawValue: "duplicate_signature")
}
