import Foundation
import XCTest
import WaiaasPolicy
import WaiaasSolana

/// Reason codes are a contract: clients match on their strings, and
/// docs/POLICY.md lists them. These pin each code's string and check that
/// the document names every code the daemon can answer with.
final class ReasonCodeTests: XCTestCase {
    static let signCodes: [(ReasonCode, String)] = [
        (.withinPolicy, "within_policy"), (.noPolicy, "no_policy"), (.policyNotYetValid, "policy_not_yet_valid"),
        (.policyExpired, "policy_expired"), (.outsideActiveHours, "outside_active_hours"),
        (.perTransactionLimitExceeded, "per_transaction_limit_exceeded"), (.approvalRequired, "approval_required"),
        (.assetNotAllowed, "asset_not_allowed"), (.unknownMint, "unknown_mint"), (.unboundedOutflow, "unbounded_outflow"),
        (.feeCapExceeded, "fee_cap_exceeded"), (.programNotAllowed, "program_not_allowed"),
        (.programNeedsApproval, "program_needs_approval"), (.instructionNotClassified, "instruction_not_classified"),
        (.durableNonceNotAllowed, "durable_nonce_not_allowed"), (.destinationDenied, "destination_denied"),
        (.destinationNotAllowed, "destination_not_allowed"), (.lookupTableUnverified, "lookup_table_unverified"),
        (.undecodableInstruction, "undecodable_instruction"), (.agentNotSigner, "agent_not_signer"),
        (.offchainNotAllowed, "offchain_not_allowed"), (.offchainPrefixNotAllowed, "offchain_prefix_not_allowed"),
        (.offchainDomainNotAllowed, "offchain_domain_not_allowed"), (.offchainAgentNotSigner, "offchain_agent_not_signer"),
        (.lookupTableMismatch, "lookup_table_mismatch"), (.lookupTableNotFound, "lookup_table_not_found"),
        (.lookupTableDeactivated, "lookup_table_deactivated"), (.lookupTableIndexOutOfRange, "lookup_table_index_out_of_range"),
        (.rpcDisagreement, "rpc_disagreement"), (.rpcUnavailable, "rpc_unavailable"),
        (.simulationFailed, "simulation_failed"), (.simulationUnavailable, "simulation_unavailable"),
        (.proposeProgramNotAllowed, "propose_program_not_allowed"), (.proposeCostExceeded, "propose_cost_exceeded"),
        (.multisigPermissionMissing, "multisig_permission_missing"), (.proposed, "proposed"),
        (.proposeAvailable, "propose_available"), (.executed, "executed"), (.proposalNotExecutable, "proposal_not_executable"),
        (.spendingLimitFit, "spending_limit_fit"),
    ]
    static let setPolicyCodes: [(ReasonCode, String)] = [
        (.wrongWallet, "wrong_wallet"), (.invalidPolicy, "invalid_policy"), (.staleVersion, "stale_version"),
        (.badSignature, "bad_signature"), (.notEnoughSignatures, "not_enough_signatures"),
        (.ownerNotConfigured, "owner_not_configured"), (.duplicateSignature, "duplicate_signature"),
    ]

    func testEveryCodeKeepsItsString() {
        for (code, text) in Self.signCodes + Self.setPolicyCodes { XCTAssertEqual(code.rawValue, text) }
        XCTAssertEqual(ReasonCode.windowExceeded(seconds: 86_400).rawValue, "window_24h_exceeded")
        XCTAssertEqual(ReasonCode.rateLimitExceeded(seconds: 60).rawValue, "rate_limit_1m_exceeded")
        XCTAssertEqual(ReasonCode.proposeRateExceeded(seconds: 3_600).rawValue, "propose_rate_1h_exceeded")
        XCTAssertEqual(ReasonCode.control(.setAuthority).rawValue, "control_set_authority")
        XCTAssertEqual(ReasonCode.control(.closeAccount).rawValue, "control_close_to_foreign")
    }

    func testThePolicyDocumentNamesEveryCode() throws {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/POLICY.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        for (code, _) in Self.signCodes + Self.setPolicyCodes {
            XCTAssertTrue(text.contains("`\(code.rawValue)`"), "docs/POLICY.md does not name \(code)")
        }
        for kind in ControlKind.allCases {
            XCTAssertTrue(text.contains("`\(ReasonCode.control(kind).rawValue)`"), "docs/POLICY.md does not name control_\(kind.rawValue)")
        }
        XCTAssertTrue(text.contains("`window_<period>_exceeded`") && text.contains("`rate_limit_<period>_exceeded`"))
        XCTAssertTrue(text.contains("`propose_rate_<period>_exceeded`"))
    }
}
