import Foundation
import WaiaasBenchWorkload
import WaiaasLedger
import WaiaasSolana

/// One Sign-shaped row appended alone through the daemon's own ledger (its
/// schema: the table and its three indexes; its group-commit writer thread
/// and the hop back), one at a time: what a Sign at one connection pays for
/// its row before anything else. The bench's plain SQLite commit writes one
/// page of one index-free table; this row writes a page of each index too.
enum LedgerAppend {
    static func measure(directory: String, seconds: Double) async throws -> ClosedLoop.Result {
        try await measure(directory: directory, seconds: seconds, appenders: 1).result
    }

    /// `appenders` tasks appending at once, each one row at a time, so the
    /// writer groups up to that many rows per commit; with the CPU the whole
    /// process spent per row (appenders, writer, the hops between them).
    static func measure(directory: String, seconds: Double, appenders: Int) async throws -> (result: ClosedLoop.Result, cpuPerRow: Double) {
        let path = directory + "/bench-ledger-\(appenders).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let ledger = try Ledger.open(path: path)
        defer { ledger.close() }
        let request = BenchWorkload.transfer(
            agent: PublicKey(bytes: [UInt8](repeating: 0x11, count: 32))!, to: PublicKey(bytes: [UInt8](repeating: 0x22, count: 32))!,
            lamports: 1_000, blockhash: [UInt8](repeating: 0x33, count: 32))
        let cpuBefore = ProcessCPU.ownSeconds
        let began = DispatchTime.now().uptimeNanoseconds
        let end = began + UInt64(seconds * 1e9)
        let samples = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var samples: [UInt64] = []
                    var n = UInt64(appender) << 40
                    while DispatchTime.now().uptimeNanoseconds < end {
                        n += 1
                        let entry = row(request: request, n: n)
                        let before = DispatchTime.now().uptimeNanoseconds
                        _ = try await ledger.append([entry])
                        samples.append(DispatchTime.now().uptimeNanoseconds - before)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let cpu = ProcessCPU.ownSeconds - cpuBefore
        return (ClosedLoop.Result(latencies: samples, seconds: elapsed), cpu * 1e6 / Double(max(samples.count, 1)))
    }

    /// A Sign row as the daemon writes one, with a distinct message each
    /// time, as Sign rows have: the digest index is keyed on it.
    private static func row(request: [UInt8], n: UInt64) -> LedgerEntry {
        let digest = SHA256.hash([request, withUnsafeBytes(of: n.bigEndian, Array.init)])
        return LedgerEntry(
            kind: .sign, request: request, messageDigest: digest, decision: "allow",
            reasons: [LedgerReason(code: "within_policy", message: "sends 0.000001 SOL within every limit")],
            outflows: [LedgerOutflow(amount: 6_000)], signature: [UInt8](repeating: 0x5A, count: 64),
            policyVersion: 1, clientReference: "")
    }
}
