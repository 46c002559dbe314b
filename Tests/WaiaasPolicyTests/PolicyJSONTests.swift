import Foundation
import XCTest
import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

/// Every rule is reachable from the JSON owners write, survives the trip
/// back to JSON, and malformed JSON is refused with the place it is at.
final class PolicyJSONTests: XCTestCase {
    let usdc = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
    let other = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"

    var everyRule: String {
        """
        {"format": 1, "name": "all rules",
         "assets": [{"asset": "SOL", "per_transaction": "0.1", "windows": [{"period": "1h", "limit": "0.5"}, {"period": "24h", "limit": "2"}], "approval_threshold": "0.05"},
                    {"mint": "\(usdc)", "symbol": "USDC", "decimals": 6, "per_transaction": "100.25"}],
         "programs": {"include_defaults": false, "allow": ["\(other)"], "unlisted": "approval"},
         "control": {"allow_assign": true, "allow_allocate": false, "allow_token_approve": true, "allow_set_authority": false, "allow_close_to_foreign": true, "allow_nonce_authority_change": false, "allow_instructions": ["spl-token-2022.pausable.pause"]},
         "allow_durable_nonce": true,
         "offchain": {"allowed": true, "prefixes": ["login:"], "domains": ["\(other)"]},
         "max_fee": "0.0001",
         "rate_limits": [{"period": "1m", "max_signatures": 30}],
         "validity": {"not_before": "2026-12-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z"},
         "active_hours": [{"time_zone": "Europe/Berlin", "weekdays": ["mon", "fri"], "from": "08:00", "to": "20:30"}],
         "destinations": {"allow": ["\(other)"], "deny": ["\(usdc)"]}}
        """
    }

    func testEveryRuleIsReachableFromJSON() throws {
        let policy = try PolicyJSON.parse(Data(everyRule.utf8))
        XCTAssertEqual(policy.assets[0].perTransaction?.value, 100_000_000)
        XCTAssertEqual(policy.assets[0].windows.map(\.seconds), [3_600, 86_400])
        XCTAssertEqual(policy.assets[0].approvalThreshold?.value, 50_000_000)
        XCTAssertEqual(policy.assets[1].perTransaction?.value, 100_250_000)
        XCTAssertEqual(policy.assets[1].mint, PublicKey(base58: usdc)!.bytes)
        XCTAssertEqual(policy.programs?.includeDefaults, false)
        XCTAssertEqual(policy.programs?.unlisted, .approval)
        XCTAssertEqual(policy.control?.allowAssign, true)
        XCTAssertEqual(policy.control?.allowCloseToForeign, true)
        XCTAssertEqual(policy.control?.allowInstructions, ["spl-token-2022.pausable.pause"])
        XCTAssertEqual(policy.allowDurableNonce, true)
        XCTAssertEqual(policy.offchain?.allowedPrefixes, ["login:"])
        XCTAssertEqual(policy.maxFeeLamports?.value, 100_000)
        XCTAssertEqual(policy.rateLimits, [RateLimit(seconds: 60, maxSignatures: 30)])
        XCTAssertEqual(policy.validity, Validity(notBefore: 1_796_083_200, notAfter: 1_798_761_600))
        XCTAssertEqual(policy.activeHours, [ActiveHours(timeZone: "Europe/Berlin", weekdays: [1, 5], startMinute: 480, endMinute: 1230)])
        XCTAssertEqual(policy.destinations?.allow, [PublicKey(base58: other)!.bytes])
        XCTAssertNoThrow(try CompiledPolicy(policy))
        // Back to JSON and again: the same policy bytes.
        let again = try PolicyJSON.parse(Data(PolicyText.json(policy).utf8))
        XCTAssertEqual(again.serializedBytes(), policy.serializedBytes())
    }

    func testMalformedJSONIsRefusedWithItsPlace() {
        let cases: [(String, String)] = [
            (#"{"format": 1, "assets": [{"asset": "SOL", "per_transaction": "0.1", "limmit": "1"}]}"#, "$.assets[0].limmit"),
            (#"{"format": 1, "assets": [{"asset": "SOL", "per_transaction": "0.0000000001"}]}"#, "more than 9 decimals"),
            (#"{"format": 1, "assets": [{"asset": "SOL", "per_transaction": 0.1}]}"#, "must be a string"),
            (#"{"format": 1, "assets": [{"asset": "SOL", "windows": [{"period": "1y", "limit": "1"}]}]}"#, "$.assets[0].windows[0].period"),
            (#"{"format": 1, "assets": [{"mint": "\#(usdc)", "per_transaction": "1"}]}"#, "needs \"decimals\""),
            (#"{"format": 1, "assets": [{"asset": "BTC"}]}"#, "only \"SOL\""),
            (#"{"format": 1, "programs": {"unlisted": "maybe"}}"#, "$.programs.unlisted"),
            (#"{"format": 1, "programs": {"allow": ["not-base58!"]}}"#, "$.programs.allow[0]"),
            (#"{"format": 1, "control": {"allow_assign": "yes"}}"#, "must be true or false"),
            (#"{"format": 1, "allow_durable_nonce": 1}"#, "must be true or false"),
            (#"{"format": 1, "rate_limits": [{"period": "1m"}]}"#, "needs period and max_signatures"),
            // The fuzzer's third find: a SOL rule named USDC, with its limits given twice.
            (#"{"format": 1, "assets": [{"asset": "SOL", "per_transaction": "0.5", "per_transaction": "25"}]}"#, "$.assets[0].per_transaction: named twice in one object"),
            (#"{"format": 1, "f\u006frmat": 1}"#, "$.format: named twice"),
            (#"{"format": 1, "assets": [{"asset": "SOL", "symbol": "USDC"}]}"#, "$.assets[0].symbol: SOL is shown as SOL"),
            // The fuzzer's find: a period whose seconds overflow 64 bits trapped.
            (#"{"format": 1, "assets": [{"asset": "SOL", "windows": [{"period": "2222222222222222224h", "limit": "1"}]}]}"#, "longer than a policy period may be (3650d)"),
            (#"{"format": 1, "rate_limits": [{"period": "3651d", "max_signatures": 1}]}"#, "longer than a policy period may be"),
            (#"{"format": 1, "validity": {"not_before": "tomorrow"}}"#, "RFC 3339"),
            (#"{"format": 1, "active_hours": [{"time_zone": "UTC", "from": "25:00", "to": "02:00"}]}"#, "$.active_hours[0].from"),
            (#"{"format": 1, "active_hours": [{"time_zone": "UTC", "weekdays": ["funday"], "from": "08:00", "to": "09:00"}]}"#, "funday"),
            (#"{"format": 1, "destinations": {"allow": [42]}}"#, "must be a string"),
            (#"{"format": 1, "max_fee": "-1"}"#, "not a decimal amount"),
            (#"{"format": 1.5}"#, "whole number"),
            (#"[1, 2]"#, "must be an object"),
            (#"{"format": 1,"#, "not JSON"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try PolicyJSON.parse(Data(json.utf8)), json) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(json): \(error) should mention \(expected)")
                XCTAssertEqual((error as? PolicyError)?.code, expected == "not JSON" ? .notJSON : .invalidField, json)
                XCTAssertNotNil((error as? PolicyError)?.path, json)
            }
        }
    }

    func testJSONThatParsesButIsInvalidIsRefusedByValidation() throws {
        let zone = try PolicyJSON.parse(Data(#"{"format": 1, "active_hours": [{"time_zone": "Mars/Olympus", "from": "08:00", "to": "09:00"}]}"#.utf8))
        XCTAssertThrowsError(try CompiledPolicy(zone)) { XCTAssertEqual(($0 as? PolicyError)?.code, .invalidPolicy) }
        let format = try PolicyJSON.parse(Data(#"{"format": 7}"#.utf8))
        XCTAssertThrowsError(try CompiledPolicy(format)) { error in
            XCTAssertEqual((error as? PolicyError)?.code, .invalidPolicy)
            XCTAssertEqual((error as? PolicyError)?.problems.count, 1, "\(error)")
        }
    }
}
