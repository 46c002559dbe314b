import Foundation
import WaiaasProto
import WaiaasSolana

/// A policy with its owners' signatures, as `policy sign` writes it and
/// `policy set` sends it:
/// `{"format": "waiaas-signed-policy-v1", "agent": base58, "version": N,
///   "policy": base64 of the Policy bytes, "signatures": [{"public_key": base58, "signature": base58}]}`.
struct SignedPolicyFile: Codable {
    static let currentFormat = "waiaas-signed-policy-v1"

    struct OwnerSignatureJSON: Codable {
        var publicKey: String
        var signature: String
        enum CodingKeys: String, CodingKey { case publicKey = "public_key", signature }
    }

    var format = currentFormat
    var agent: String
    var version: UInt64
    var policy: String
    var signatures: [OwnerSignatureJSON]

    static func load(_ path: String) throws -> SignedPolicyFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure(.input, "cannot read \(path)") }
        do {
            let file = try JSONDecoder().decode(SignedPolicyFile.self, from: data)
            guard file.format == currentFormat else { throw CLIFailure(.input, "\(path): format \(file.format) is not \(currentFormat)") }
            return file
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(.input, "\(path) is not a signed policy file: \(error)")
        }
    }

    func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(self)) else { throw CLIFailure(.input, "cannot write \(path)") }
    }

    var request: SetPolicyRequest {
        SetPolicyRequest(
            policy: Array(Data(base64Encoded: policy) ?? Data()), version: version,
            signatures: signatures.map { OwnerSignature(publicKey: Base58.decode($0.publicKey) ?? [], signature: Base58.decode($0.signature) ?? []) },
            agentPublicKey: Base58.decode(agent) ?? [])
    }
}
