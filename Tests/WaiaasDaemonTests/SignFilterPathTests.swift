import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import XCTest
@testable import WaiaasDaemon
import WaiaasProto
@testable import WaiaasRPC
import WaiaasSolana

/// The signed-digest filter's "maybe" path, on a real dev home and ledger:
/// with a filter that claims every digest, every Sign takes the ledger
/// lookup while other Signs commit. An honest request must never be
/// answered ABORTED because of it (the old generation check sent such a
/// request round the lookup loop until it gave up), and a replay must still
/// be recognised and counted once.
final class SignFilterPathTests: XCTestCase {
    private var home = ""

    override func setUp() async throws {
        home = NSTemporaryDirectory() + "waiaas-filter-\(UUID().uuidString)"
        _ = try await HomeSetup.ensureDevHome(home)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: home)
    }

    private func transfer(from agent: PublicKey, lamports: UInt64) throws -> [UInt8] {
        let message = DaemonFixtures.transferMessage(from: agent, lamports: lamports)
        let unsigned = Signature(bytes: [UInt8](repeating: 0, count: 64))!
        return try SolanaTransaction(signatures: [unsigned], message: message).encoded()
    }

    private static func sign(_ service: SignService, _ bytes: [UInt8]) async -> Result<SignResponse, RPCError> {
        let request = SignRequest(payload: .transaction(bytes))
        let call = ServerCall(callID: 1, method: "/waiaas.v1.Wallet/Sign", payload: request.serializedBytes(), metadata: [:],
                              peer: PeerCredentials(pid: 1, uid: 0, gid: 0), deadline: .distantFuture)
        return await withCheckedContinuation { continuation in
            service.sign(request, call) { continuation.resume(returning: $0) }
        }
    }

    func testFalsePositivesUnderSteadyCommitsNeverAbortAnHonestRequest() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let opened = try await DaemonRuntime.open(home: home, passphraseFD: nil, logger: logger)
        defer { opened.core.ledger.close() }
        opened.core.saturateSignedFilterForTesting()
        let service = SignService(core: opened.core)
        let agent = opened.core.agent

        // Steady commits: other digests enter the filter all the time, as
        // they do on a busy wallet (each a commit of some other request).
        let running = NIOLockedValueBox(true)
        let core = opened.core
        let stopped = DispatchSemaphore(value: 0)
        // A thread of its own, off the cooperative pool the lookups run on.
        Thread {
            var n: UInt64 = 0
            while running.withLockedValue({ $0 }) {
                n += 1
                core.settle(digest: SHA256.hash(Array("other \(n)".utf8)), time: 0, outflows: [:], committed: true)
            }
            stopped.signal()
        }.start()

        // 200 distinct transfers of 1,000 + i lamports, 40 at a time.
        let outcomes = NIOLockedValueBox<[Int: Result<SignResponse, RPCError>]>([:])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                let bytes = try transfer(from: agent, lamports: 1_000 + UInt64(i))
                group.addTask {
                    let outcome = await Self.sign(service, bytes)
                    outcomes.withLockedValue { $0[i] = outcome }
                }
                if i % 40 == 39 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        running.withLockedValue { $0 = false }
        stopped.wait()
        let refused = outcomes.withLockedValue { all in all.compactMap { i, outcome -> String? in
            if case .failure(let error) = outcome { return "\(i): \(error)" }
            return nil
        } }
        XCTAssertEqual(refused, [], "honest requests refused on the filter's false positives")
        let signed = try opened.core.ledger.events(since: 0, kinds: [.sign])
        XCTAssertEqual(signed.count, 200)

        // The same bytes again: found in the ledger, the same signature, counted once.
        let again = await Self.sign(service, try transfer(from: agent, lamports: 1_000))
        let replayed = try again.get()
        XCTAssertTrue(replayed.replayed)
        XCTAssertEqual(replayed.signature, signed.first { $0.entry.outflows.first?.amount == 6_000 }?.entry.signature)
        XCTAssertEqual(try opened.core.ledger.events(since: 0, kinds: [.sign]).count, 200)
    }
}
