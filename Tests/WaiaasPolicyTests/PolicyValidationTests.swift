import XCTest
import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

final class PolicyValidationTests: XCTestCase {
    func testUnknownFieldsAreRefusedAtEveryLevel() throws {
        let good = Policy(format: 1, assets: [AssetRule(mint: [], perTransaction: Amount(value: 1))]).serializedBytes()
        XCTAssertNoThrow(try CompiledPolicy.decode(good))
        // Field 99 (varint) at the top level.
        XCTAssertThrowsError(try CompiledPolicy.decode(good + [0x98, 0x06, 0x01])) {
            XCTAssertTrue("\($0)".contains("does not know"), "\($0)")
        }
        // Field 15 inside the asset rule: rebuild the nested message by hand.
        let asset = AssetRule(mint: [], perTransaction: Amount(value: 1)).serializedBytes() + [0x78, 0x01]
        let nested: [UInt8] = [0x08, 0x01, 0x1A, UInt8(asset.count)] + asset
        XCTAssertThrowsError(try CompiledPolicy.decode(nested)) {
            XCTAssertTrue("\($0)".contains("AssetRule carries fields"), "\($0)")
        }
    }

    func testUnknownEnumValueIsRefused() {
        let policy = Policy(format: 1, programs: ProgramRule(unlisted: UnlistedProgramAction(rawValue: 7)))
        XCTAssertThrowsError(try CompiledPolicy.decode(policy.serializedBytes())) {
            XCTAssertTrue("\($0)".contains("unknown to this daemon"), "\($0)")
        }
    }

    func testStructuralProblemsAreAllNamed() {
        var policy = Policy(format: 2)
        policy.assets = [AssetRule(mint: [1, 2, 3]), AssetRule(mint: []), AssetRule(mint: [], windows: [WindowLimit(seconds: 0, amount: 1)])]
        policy.activeHours = [ActiveHours(timeZone: "Mars/Olympus", startMinute: 0, endMinute: 60)]
        policy.rateLimits = [RateLimit(seconds: 0, maxSignatures: 1)]
        policy.destinations = DestinationRule(allow: [[1]])
        policy.validity = Validity(notBefore: 10, notAfter: 5)
        XCTAssertThrowsError(try CompiledPolicy(policy)) { error in
            let problems = (error as! PolicyValidationError).problems.joined(separator: "\n")
            for expected in ["format 2", "32 bytes, got 3", "listed twice", "window of 0 seconds", "Mars/Olympus", "rate limit", "destination must be 32 bytes", "not_before is after"] {
                XCTAssertTrue(problems.contains(expected), "missing \(expected) in \(problems)")
            }
        }
    }

    func testPolicySigningMessageBindsEveryPart() {
        let policy: [UInt8] = [1, 2, 3]
        let base = PolicySigning.message(agent: agent, version: 5, policy: policy)
        XCTAssertEqual(base.first, 0xFF)
        XCTAssertNotEqual(base, PolicySigning.message(agent: bob, version: 5, policy: policy))
        XCTAssertNotEqual(base, PolicySigning.message(agent: agent, version: 6, policy: policy))
        XCTAssertNotEqual(base, PolicySigning.message(agent: agent, version: 5, policy: [1, 2, 4]))
        XCTAssertEqual(base.count, PolicySigning.tag.count + 32 + 8 + 32)
    }

    func testAmountsAreShownWithDecimals() {
        XCTAssertEqual(AmountText.format(1_200_000_000, decimals: 9, symbol: "SOL"), "1.2 SOL")
        XCTAssertEqual(AmountText.format(5, decimals: 9, symbol: "SOL"), "0.000000005 SOL")
        XCTAssertEqual(AmountText.format(100_000_000, decimals: 6, symbol: "USDC"), "100 USDC")
        XCTAssertEqual(AmountText.format(42, decimals: 0, symbol: "X"), "42 X")
        XCTAssertEqual(AmountText.duration(86_400), "24h")
        XCTAssertEqual(AmountText.duration(604_800), "7d")
    }
}
