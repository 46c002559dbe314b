import Foundation
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// The generated Swift `WalletClient` (Sources/WaiaasRPC/Generated): one
/// connection, `concurrency` calls in flight, each task calling again as
/// soon as its answer arrives. The same measure as Tests/Contract/bench.py
/// and bench.mjs give for the Python and JavaScript clients.
enum SwiftClientBench {
    static func run(socketPath: String, agent: PublicKey, concurrency: Int, seconds: Double, sign: Bool, seed: Int) async throws -> Double {
        let requests: [[SignRequest]] = sign ? (0..<concurrency).map { worker in
            SignWorkload.requests(agent: agent, count: 40_000, connection: seed + worker, dryRun: false)
        } : []
        let wallet = try await WalletClient.connect(socketPath: socketPath)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Result<Int, any Error>
        do {
            outcome = .success(try await calls(wallet, requests, concurrency: concurrency, until: start + .milliseconds(Int(seconds * 1000))))
        } catch {
            outcome = .failure(error)
        }
        await wallet.close()
        let elapsed = clock.now - start
        return Double(try outcome.get()) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Calls made by `concurrency` tasks until `end`: Sign with the prepared
    /// requests when there are any, GetStatus otherwise.
    private static func calls(_ wallet: WalletClient, _ requests: [[SignRequest]], concurrency: Int, until end: ContinuousClock.Instant) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < end {
                        if requests.isEmpty {
                            _ = try await wallet.getStatus()
                        } else {
                            _ = try await wallet.sign(requests[worker][done % requests[worker].count])
                        }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
    }
}
