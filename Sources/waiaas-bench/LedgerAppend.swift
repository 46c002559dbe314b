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
        let path = directory + "/bench-ledger.sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let ledger = try Ledger.open(path: path)
        defer { ledger.close() }
        let agent = PublicKey(bytes: [UInt8](repeating: 0x11, count: 32))!
        let request = BenchWorkload.transfer(
            agent: agent, to: PublicKey(bytes: [UInt8](repeating: 0x22, count: 32))!, lamports: 1_000,
            blockhash: [UInt8](repeating: 0x33, count: 32))
        var samples: [UInt64] = []
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var n: UInt64 = 0
        while DispatchTime.now().uptimeNanoseconds < end {
            n += 1
            // A distinct message each time, as Sign rows have: the digest index is keyed on it.
            let digest = SHA256.hash([request, withUnsafeBytes(of: n.bigEndian, Array.init)])
            let entry = LedgerEntry(
                kind: .sign, request: request, messageDigest: digest, decision: "allow",
                reasons: [LedgerReason(code: "within_policy", message: "sends 0.000001 SOL within every limit")],
                outflows: [LedgerOutflow(amount: 6_000)], signature: [UInt8](repeating: 0x5A, count: 64),
                policyVersion: 1, clientReference: "")
            let before = DispatchTime.now().uptimeNanoseconds
            _ = try await ledger.append([entry])
            samples.append(DispatchTime.now().uptimeNanoseconds - before)
        }
        return ClosedLoop.Result(latencies: samples, seconds: seconds)
    }
}
