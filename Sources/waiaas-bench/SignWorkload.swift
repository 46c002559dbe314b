import Foundation
import WaiaasBenchWorkload
import WaiaasCustody
import WaiaasPolicy
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// The Sign workload: a typical SOL transfer from the agent, all distinct
/// (so none is an idempotent replay), judged by a full policy (per-transaction
/// limit, two rolling windows, a fee cap, a rate limit) and recorded in the
/// durable ledger.
enum SignWorkload {
    /// Distinct Sign requests, prepared before measuring.
    static func requests(agent: PublicKey, count: Int, connection: Int, dryRun: Bool) -> [SignRequest] {
        let destination = PublicKey(bytes: (0..<32).map { UInt8(($0 * 7 + connection) & 0xFF) })!
        let blockhash = (0..<32).map { UInt8(($0 * 13 + 5) & 0xFF) }
        return (0..<count).map { index in
            // Distinct small amounts: no two requests share message bytes.
            let lamports = UInt64(connection) * 10_000_000 + UInt64(index + 1)
            return SignRequest(payload: .transaction(BenchWorkload.transfer(agent: agent, to: destination, lamports: lamports, blockhash: blockhash)), dryRun: dryRun)
        }
    }

    /// Envelope frames of distinct Sign requests, prepared before measuring.
    static func frames(agent: PublicKey, count: Int, connection: Int, dryRun: Bool) -> [[UInt8]] {
        requests(agent: agent, count: count, connection: connection, dryRun: dryRun).enumerated().map { index, request in
            Framing.frameBytes(Envelope(callID: UInt64(index + 1), method: WalletMethod.sign.rawValue, payload: request.serializedBytes()))
        }
    }

    /// Sets the benchmark policy with the dev home's owner key.
    static func install(home: String, socketPath: String, agent: PublicKey) async throws {
        let owner = try OwnerKey.load(path: HomeLayout(home).devOwnerKey)
        let bytes = BenchWorkload.policy().serializedBytes()
        let request = SetPolicyRequest(
            policy: bytes, version: 2,
            signatures: [OwnerSignature(publicKey: owner.publicKey.bytes, signature: owner.sign(PolicySigning.message(agent: agent, version: 2, policy: bytes)))],
            agentPublicKey: agent.bytes)
        let client = try await WalletClient.connect(socketPath: socketPath)
        _ = try await client.setPolicy(request)
        await client.close()
    }
}

/// A blocking waiaasd client replaying prepared Sign frames in a loop.
final class SignLoop {
    let socket: BlockingSocket
    let frames: [[UInt8]]
    var next = 0

    init(socketPath: String, frames: [[UInt8]]) throws {
        socket = try BlockingSocket(path: socketPath)
        self.frames = frames
    }

    func call() throws {
        guard next < frames.count else { throw BenchError("ran out of prepared requests; raise --prepared") }
        try socket.write(frames[next])
        next += 1
        let answer = try Envelope(serializedBytes: socket.readFrame())
        guard answer.status?.statusCode == .ok else { throw BenchError("sign failed: \(answer.status?.message ?? "no status")") }
    }
}
