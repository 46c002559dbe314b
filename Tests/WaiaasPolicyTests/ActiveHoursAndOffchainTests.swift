import XCTest
import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

final class ActiveHoursAndOffchainTests: XCTestCase {
    private func berlinWorkdays(_ start: UInt32 = 8 * 60, _ end: UInt32 = 20 * 60) -> CompiledPolicy {
        basePolicy { $0.activeHours = [ActiveHours(timeZone: "Europe/Berlin", weekdays: [1, 2, 3, 4, 5], startMinute: start, endMinute: end)] }
    }

    private func decision(_ policy: CompiledPolicy, at milliseconds: UInt64) throws -> PolicyEvaluation {
        try evaluate(policy, [Build.transfer(from: agent, to: alice, lamports: 1)], now: milliseconds)
    }

    func testHoursInANamedZoneAcrossDaylightSavingChanges() throws {
        let policy = berlinWorkdays()
        // Wed 2026-03-25 07:30Z = 08:30 CET (UTC+1): inside.
        XCTAssertEqual(try decision(policy, at: 1_774_423_800_000).decision, .allow)
        // Wed 2026-04-01 06:30Z = 08:30 CEST (UTC+2, after the 29 March change): inside.
        XCTAssertEqual(try decision(policy, at: 1_775_025_000_000).decision, .allow)
        // Wed 2026-03-25 06:30Z = 07:30 CET: outside.
        let early = try decision(policy, at: 1_774_420_200_000)
        XCTAssertEqual(early.codes, ["outside_active_hours"])
        XCTAssertTrue(early.reasons[0].message.contains("08:00–20:00 Europe/Berlin"), early.reasons[0].message)
        XCTAssertTrue(early.reasons[0].message.contains("now 07:30"), early.reasons[0].message)
        // Wed 2026-04-01 18:30Z = 20:30 CEST: outside (but 19:30 CET would have been inside in winter).
        XCTAssertEqual(try decision(policy, at: 1_775_068_200_000).codes, ["outside_active_hours"])
        // Sat 2026-03-28 10:00Z: a weekend.
        XCTAssertEqual(try decision(policy, at: 1_774_692_000_000).codes, ["outside_active_hours"])
    }

    func testEndOfTheWindowIsExclusive() throws {
        let policy = berlinWorkdays()
        // Wed 2026-03-25 19:00Z = 20:00 CET exactly: outside; 18:59Z = 19:59: inside.
        XCTAssertEqual(try decision(policy, at: 1_774_465_200_000).codes, ["outside_active_hours"])
        XCTAssertEqual(try decision(policy, at: 1_774_465_140_000).decision, .allow)
    }

    func testAWindowSpanningMidnight() throws {
        let policy = basePolicy { $0.activeHours = [ActiveHours(timeZone: "UTC", startMinute: 22 * 60, endMinute: 2 * 60)] }
        XCTAssertEqual(try decision(policy, at: noon).codes, ["outside_active_hours"])
        XCTAssertEqual(try decision(policy, at: noon + 11 * 3_600_000).decision, .allow)  // 23:00
        XCTAssertEqual(try decision(policy, at: noon + 13 * 3_600_000).decision, .allow)  // 01:00
    }

    // MARK: off-chain

    private func offchain(_ text: String, signers: [PublicKey] = [agent], domain: [UInt8] = [UInt8](repeating: 0, count: 32)) -> OffchainMessage {
        OffchainMessage(applicationDomain: domain, format: .restrictedASCII, signers: signers, message: Array(text.utf8))
    }

    private func judge(_ policy: CompiledPolicy, _ message: OffchainMessage) -> PolicyEvaluation {
        PolicyEngine.evaluate(policy: policy, subject: .offchainMessage(message), agent: agent, book: SpendingBook(horizonSeconds: 0), nowMilliseconds: noon)
    }

    func testOffchainMessagesAreDeniedUnlessAllowed() {
        XCTAssertEqual(judge(basePolicy(), offchain("hello")).codes, ["offchain_not_allowed"])
        let policy = basePolicy { $0.offchain = OffchainRule(allowed: true, allowedPrefixes: ["login:"]) }
        XCTAssertEqual(judge(policy, offchain("login: example.com")).decision, .allow)
        XCTAssertEqual(judge(policy, offchain("transfer all")).codes, ["offchain_prefix_not_allowed"])
        XCTAssertEqual(judge(policy, offchain("login: x", signers: [bob])).codes, ["offchain_agent_not_signer"])
    }

    func testOffchainDomains() {
        let domain = [UInt8](repeating: 7, count: 32)
        let policy = basePolicy { $0.offchain = OffchainRule(allowed: true, allowedDomains: [domain]) }
        XCTAssertEqual(judge(policy, offchain("x", domain: domain)).decision, .allow)
        XCTAssertEqual(judge(policy, offchain("x")).codes, ["offchain_domain_not_allowed"])
    }

    func testOffchainParseRoundTripAndRefusals() throws {
        let message = offchain("sign in")
        XCTAssertEqual(try OffchainMessage.parse(message.encoded()), message)
        XCTAssertThrowsError(try OffchainMessage.parse(Array(message.encoded().dropLast()))) {
            XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .offchainTruncated)
        }
        XCTAssertThrowsError(try OffchainMessage.parse(message.encoded() + [0])) {
            XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .offchainTrailingBytes)
        }
        XCTAssertThrowsError(try OffchainMessage.parse([0x80, 1, 2])) {
            XCTAssertEqual(($0 as? SolanaDecodeError)?.code, .offchainHeaderMissing)
        }
        var bad = message.encoded()
        bad[bad.count - 1] = 0x01  // control character in restricted ASCII
        XCTAssertThrowsError(try OffchainMessage.parse(bad))
        for cut in 0..<message.encoded().count {
            XCTAssertThrowsError(try OffchainMessage.parse(Array(message.encoded().prefix(cut))))
        }
    }
}
