import XCTest
import Foundation
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
            let problems = (error as! PolicyError).problems.joined(separator: "\n")
            for expected in ["format 2", "32 bytes, got 3", "listed twice", "window of 0 seconds", "Mars/Olympus", "rate limit", "destination must be 32 bytes", "not_before is after"] {
                XCTAssertTrue(problems.contains(expected), "missing \(expected) in \(problems)")
            }
        }
    }

    /// Each list at its bound compiles; one more is refused with the bound named.
    func testEveryListIsBounded() throws {
        func key(_ n: Int) -> [UInt8] { [UInt8(n & 0xFF), UInt8(n >> 8)] + [UInt8](repeating: 7, count: 30) }
        func policy(assets: Int = 1, windows: Int = 1, programs: Int = 0, destinations: Int = 0, rateLimits: Int = 0,
                    hours: Int = 0, prefixes: Int = 0, domains: Int = 0, instructions: Int = 0) -> Policy {
            var p = Policy(format: 1)
            p.assets = [AssetRule(mint: [], windows: (0..<windows).map { WindowLimit(seconds: UInt64($0 + 1), amount: 1) })]
                + (1..<max(assets, 1)).map { AssetRule(mint: key(5_000 + $0), decimals: 6) }
            p.programs = ProgramRule(allowed: (0..<programs).map(key), includeDefaults: true)
            p.destinations = DestinationRule(deny: (0..<destinations).map(key))
            p.rateLimits = (0..<rateLimits).map { RateLimit(seconds: UInt64($0 + 1), maxSignatures: 10) }
            p.activeHours = (0..<hours).map { _ in ActiveHours(timeZone: "UTC", weekdays: [1], startMinute: 0, endMinute: 60) }
            p.offchain = OffchainRule(allowed: true, allowedPrefixes: (0..<prefixes).map { "p\($0)" }, allowedDomains: (0..<domains).map(key))
            p.control = ControlRule(allowInstructions: [String](repeating: "spl-token-2022.pausable.pause", count: instructions))
            return p
        }
        let cases: [(String, Int, (Int) -> Policy)] = [
            ("assets", PolicyBounds.assets, { policy(assets: $0) }),
            ("windows of one asset", PolicyBounds.windowsPerAsset, { policy(windows: $0) }),
            ("programs.allow", PolicyBounds.programs, { policy(programs: $0) }),
            ("destinations (allow and deny)", PolicyBounds.destinations, { policy(destinations: $0) }),
            // 63 mints (and SOL): 65 destinations make 4,095 pairs, 66 make 4,158.
            ("destinations times mints", 65, { policy(assets: 64, destinations: $0) }),
            ("rate_limits", PolicyBounds.rateLimits, { policy(rateLimits: $0) }),
            ("active_hours", PolicyBounds.activeHours, { policy(hours: $0) }),
            ("offchain.prefixes", PolicyBounds.offchainPrefixes, { policy(prefixes: $0) }),
            ("offchain.domains", PolicyBounds.offchainDomains, { policy(domains: $0) }),
            ("control.allow_instructions", PolicyBounds.allowedInstructions, { policy(instructions: $0) }),
        ]
        for (name, bound, make) in cases {
            XCTAssertEqual(PolicyBounds.problems(make(bound)), [], "\(name) at \(bound)")
            // Compiling 4,095 destination-mint pairs derives 8,190 addresses: minutes in a debug build.
            if name != "destinations times mints" {
                XCTAssertNoThrow(try CompiledPolicy(make(bound)), "\(name) at \(bound)")
            }
            XCTAssertThrowsError(try CompiledPolicy(make(bound + 1)), name) { error in
                let problems = (error as! PolicyError).problems
                XCTAssertTrue(problems.contains { $0.hasPrefix("\(name): ") && $0.hasSuffix("at most \(name == "destinations times mints" ? PolicyBounds.destinationMintPairs : bound)") }, "\(problems)")
            }
        }
    }

    /// A SOL rule from protobuf cannot rename SOL or rescale it (reasons and
    /// `policy show` would misstate every amount).
    func testSOLIsSOLWithNineDecimals() {
        XCTAssertNoThrow(try CompiledPolicy(Policy(format: 1, assets: [AssetRule(mint: [], symbol: "SOL", decimals: 9)])))
        XCTAssertNoThrow(try CompiledPolicy(Policy(format: 1, assets: [AssetRule(mint: [])])))
        for rule in [AssetRule(mint: [], symbol: "USDC"), AssetRule(mint: [], decimals: 6)] {
            XCTAssertThrowsError(try CompiledPolicy(Policy(format: 1, assets: [rule]))) { error in
                XCTAssertTrue("\(error)".contains("SOL is SOL with 9 decimals"), "\(error)")
            }
        }
    }

    /// Periods come from protobuf too (SetPolicy), where no JSON reader checks them.
    func testPeriodsAreBoundedToTenYears() {
        let tenYears = PolicyBounds.longestPeriodSeconds
        XCTAssertNoThrow(try CompiledPolicy(Policy(format: 1, assets: [AssetRule(mint: [], windows: [WindowLimit(seconds: tenYears, amount: 1)])])))
        for policy in [Policy(format: 1, assets: [AssetRule(mint: [], windows: [WindowLimit(seconds: tenYears + 1, amount: 1)])]),
                       Policy(format: 1, rateLimits: [RateLimit(seconds: .max, maxSignatures: 1)])] {
            XCTAssertThrowsError(try CompiledPolicy(policy)) { error in
                XCTAssertTrue("\(error)".contains("at most \(tenYears) (ten years)"), "\(error)")
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
        XCTAssertEqual(AmountText.decimal(0, decimals: 9), "0")
        XCTAssertEqual(AmountText.decimal(10, decimals: 1), "1")
        XCTAssertEqual(AmountText.decimal(500_005_000, decimals: 9), "0.500005")
        XCTAssertEqual(AmountText.decimal(UInt64.max, decimals: 9), "18446744073.709551615")
        XCTAssertEqual(AmountText.decimal(UInt64.max, decimals: 20), "0.18446744073709551615")
        XCTAssertEqual(AmountText.decimal(7, decimals: 255), "0." + String(repeating: "0", count: 254) + "7")
        // Against the decimal arithmetic of Foundation, over many shapes.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let amount = UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator)
            let decimals = UInt32.random(in: 0...24, using: &generator)
            let expected = (Decimal(string: String(amount))! / pow(Decimal(10), Int(decimals)))
            XCTAssertEqual(AmountText.decimal(amount, decimals: decimals), "\(expected)", "\(amount) at \(decimals) decimals")
        }
        XCTAssertEqual(AmountText.duration(86_400), "24h")
        XCTAssertEqual(AmountText.duration(604_800), "7d")
    }
}
