import Benchmark
import Foundation
import WaiaasBenchWorkload
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// The Sign path's pieces one by one, with the allocations each makes
/// (the harness's malloc interposer): the frame codec, decoding a
/// transaction into its effects, the policy, and a ledger append.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .instructions]
    let configuration = Benchmark.Configuration(metrics: metrics, maxDuration: .seconds(2), maxIterations: 1_000_000)
    let agent = PublicKey(bytes: [UInt8](repeating: 0x11, count: 32))!
    let request = SignRequest(payload: .transaction(BenchWorkload.transfer(
        agent: agent, to: PublicKey(bytes: [UInt8](repeating: 0x22, count: 32))!, lamports: 1_000, blockhash: [UInt8](repeating: 0x33, count: 32))))

    Benchmark("frame codec: Sign envelope, encode and decode", configuration: configuration) { benchmark in
        let payload = request.serializedBytes()
        for index in benchmark.scaledIterations {
            let frame = Framing.frameBytes(Envelope(callID: UInt64(index + 1), method: "/waiaas.v1.Wallet/Sign", payload: payload))
            blackHole(try Envelope(serializedBytes: Array(frame[Framing.headerSize...])))
        }
    }

    Benchmark("decode: SignRequest to effects (legacy SOL transfer)", configuration: configuration) { benchmark in
        let bytes = request.serializedBytes()
        for _ in benchmark.scaledIterations {
            let decoded = try SignRequest(serializedBytes: bytes)
            blackHole(try SignSubject.make(decoded, agent: agent).get())
        }
    }

    Benchmark("policy: evaluate a transfer against the full policy, 10k outflows in the book", configuration: configuration) { benchmark in
        let policy = try CompiledPolicy(BenchWorkload.policy(name: "micro-benchmark"))
        let subject = try SignSubject.make(request, agent: agent).get().subject
        var book = SpendingBook(horizonSeconds: 86_400)
        let now: UInt64 = 1_800_000_000_000
        for index in 0..<10_000 {
            _ = book.record(timeMilliseconds: now - 80_000_000 + UInt64(index) * 8_000, outflows: [.sol: 1_000])
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(PolicyEngine.evaluate(policy: policy, subject: subject, agent: agent, book: book, nowMilliseconds: now))
        }
    }

    // The Sign path hashes three times (message digest, request digest, chain link).
    for size in [200, 800] {
        Benchmark("sha256: \(size) bytes (OpenSSL EVP)", configuration: configuration) { benchmark in
            let bytes = [UInt8](repeating: 0xA5, count: size)
            for _ in benchmark.scaledIterations {
                blackHole(SHA256.hash(bytes))
            }
        }
    }

    for group in [1, 32] {
        Benchmark("ledger: append \(group) Sign row(s) in one commit (fsync)",
                  configuration: .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 5_000)) { benchmark in
            let directory = NSTemporaryDirectory() + "waiaas-hot-\(getpid())-\(group)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let ledger = try Ledger.open(path: directory + "/ledger.sqlite")
            var sequence = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let entries = (0..<group).map { _ in
                    sequence += 1
                    return HotWorkload.signEntry(sequence)
                }
                blackHole(try await ledger.append(entries))
            }
            benchmark.stopMeasurement()
            ledger.close()
        }
    }
}

enum HotWorkload {
    static func signEntry(_ n: Int) -> LedgerEntry {
        LedgerEntry(kind: .sign, timeUnixMilliseconds: UInt64(n), request: [UInt8](repeating: 0x5A, count: 180),
                    messageDigest: [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 32), decision: "allow",
                    reasons: [LedgerReason(code: "within_policy", message: "sends 0.000006 SOL within every limit")],
                    outflows: [LedgerOutflow(amount: 6_000)], signature: [UInt8](repeating: 0x77, count: 64), policyVersion: 2)
    }
}
