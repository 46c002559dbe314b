import Foundation
import Logging
import NIOConcurrencyHelpers
import XCTest
@testable import WaiaasCustody
@testable import WaiaasDaemon
import WaiaasLedger
@testable import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// WalletCore without a socket, on a temporary ledger and an injected clock:
/// a policy with a longer window fills the spending book from older rows
/// while reservations and commits go on, and the book equals the ledger
/// afterwards at every window.
final class WalletCoreTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "waiaas-core-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let day: UInt64 = 86_400_000
    static let start: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    private static func policy(windowDays: UInt64, version: UInt64) throws -> PolicyState {
        let policy = Policy(
            format: 1, name: "test",
            assets: [AssetRule(mint: [], symbol: "SOL", decimals: 9, perTransaction: Amount(value: 1_000_000_000),
                               windows: [WindowLimit(seconds: windowDays * 86_400, amount: 1_000_000_000_000)])],
            programs: ProgramRule(includeDefaults: true))
        return PolicyState(compiled: try CompiledPolicy(policy), version: version, bytes: policy.serializedBytes())
    }

    private static func spendEntry(time: UInt64, lamports: UInt64, n: Int) -> LedgerEntry {
        let digest = digest(n)
        return LedgerEntry(kind: .sign, timeUnixMilliseconds: time, request: [1], messageDigest: digest, decision: "allow",
                           outflows: [LedgerOutflow(asset: [], amount: lamports)], signature: [UInt8](repeating: 1, count: 64), policyVersion: 1)
    }

    func testALongerWindowFillsTheBookWithoutLosingConcurrentSpends() async throws {
        // 40 days of history, one spend of 1,000 + i lamports every hour.
        let ledger = try Ledger.open(path: directory + "/ledger.sqlite")
        defer { ledger.close() }
        var history: [LedgerEntry] = []
        for i in 0..<(40 * 24) { history.append(Self.spendEntry(time: Self.start + UInt64(i) * 3_600_000, lamports: 1_000 + UInt64(i), n: i)) }
        _ = try await ledger.append(history)

        let now = NIOLockedValueBox(Self.start + 40 * Self.day)
        var seed = [UInt8](repeating: 5, count: 32)
        let signer = try AgentSigner(seed: try SecureBytes(copying: &seed))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let core = try WalletCore(signer: signer, ledger: ledger, owners: [], ownerThreshold: 1, configurationBytes: [], logger: logger,
                                  clock: { now.withLockedValue { $0 } })
        try core.install(try Self.policy(windowDays: 1, version: 1))

        // Spends keep coming (reserve, commit, settle) while policies with
        // ever longer windows are installed: 10, 20 and 39 days.
        let agent = core.agent
        let subject = PolicySubject.transaction(try Self.transfer(from: agent, lamports: 7_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<300 {
                    now.withLockedValue { $0 += 10 }
                    let digest = WalletCoreTests.digest(1_000_000 + n)
                    guard case .reserved(let evaluation, _, let time) = core.decideAndReserve(subject: subject, digest: digest, dryRun: false) else {
                        XCTFail("spend \(n) was not reserved")
                        return
                    }
                    let entry = WalletCoreTests.spendEntry(time: time, lamports: evaluation.outflows[.sol] ?? 0, n: 1_000_000 + n)
                    _ = try await ledger.append([entry])
                    core.settle(digest: digest, time: time, outflows: evaluation.outflows, committed: true)
                }
            }
            group.addTask {
                for (version, days) in [(2, UInt64(10)), (3, 20), (4, 39)] {
                    try core.install(try WalletCoreTests.policy(windowDays: days, version: UInt64(version)))
                    await Task.yield()
                }
            }
            try await group.waitForAll()
        }

        // The book against the ledger, at every window the last policy can see.
        let rows = try ledger.events(since: 0, kinds: [.sign])
        let at = now.withLockedValue { $0 }
        for days: UInt64 in [1, 10, 20, 39] {
            let since = at - days * Self.day
            let expected = rows.filter { $0.entry.timeUnixMilliseconds > since }.reduce(UInt64(0)) { $0 + ($1.entry.outflows.first?.amount ?? 0) }
            let inBook = core.spentForTesting(.sol, inLast: days * 86_400)
            XCTAssertEqual(inBook, expected, "\(days)-day window: the book and the ledger disagree")
        }
        XCTAssertEqual(core.policyState.version, 4)
    }

    /// A message digest as Sign makes them: SHA-256, here of the number.
    static func digest(_ n: Int) -> [UInt8] { SHA256.hash(Array("message \(n)".utf8)) }

    static func transfer(from agent: PublicKey, lamports: UInt64) throws -> EffectsSummary {
        let message = DaemonFixtures.transferMessage(from: agent, lamports: lamports)
        return EffectsSummary.compute(message: message, resolved: try message.resolve(), signer: agent)
    }
}
