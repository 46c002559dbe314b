import CSodium
import Foundation
import WaiaasProto
import XCTest
@testable import WaiaasAttestation

/// An ed25519 key made with libsodium, standing in for the agent key.
struct TestAgentKey {
    let publicKey: [UInt8]
    private let secretKey: [UInt8]

    init() {
        _ = sodium_init()
        var pk = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var sk = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        precondition(crypto_sign_keypair(&pk, &sk) == 0)
        publicKey = pk
        secretKey = sk
    }

    func sign(_ message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        precondition(crypto_sign_detached(&signature, nil, message, UInt64(message.count), secretKey) == 0)
        return signature
    }
}

enum ReportFixture {
    static let time = Date(timeIntervalSince1970: 1_800_000_000)
    static let nonce = [UInt8](0 ..< 32)
    static let policyHash = [UInt8](repeating: 0x70, count: 32)
    static let executable = [UInt8](repeating: 0xE0, count: 48)
    static let configuration = Array("home = /var/lib/waiaas\n".utf8)
    static let ledgerHead = LedgerHead(sequence: 41, hash: [UInt8](repeating: 0x1E, count: 32))
    static let owners = [[UInt8](repeating: 1, count: 32), [UInt8](repeating: 2, count: 32)]

    static func builder(agent: TestAgentKey, clock: Date = time) throws -> AttestationBuilder {
        try AttestationBuilder(
            agentPublicKey: agent.publicKey, ownerPublicKeys: owners, ownerThreshold: 2,
            multisig: [UInt8](repeating: 0x33, count: 32), vault: [UInt8](repeating: 0x44, count: 32),
            configuration: configuration, executableSHA384: executable, clock: { clock })
    }

    static func response(agent: TestAgentKey, nonce: [UInt8] = nonce, nitro: (any NitroAttesting)? = nil) throws -> AttestResponse {
        try builder(agent: agent).attest(nonce: nonce, policyHash: policyHash, policyVersion: 7, ledgerHead: ledgerHead,
                                         nitro: nitro, sign: agent.sign)
    }
}

/// An NSM stand-in that signs documents with a test PKI, recording what it
/// was asked for.
final class FakeNSM: NitroAttesting, @unchecked Sendable {
    // @unchecked: tests call it from one thread at a time.
    let chain: TestPKI.Chain
    var requests: [(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?)] = []

    init(chain: TestPKI.Chain) { self.chain = chain }

    func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8] {
        requests.append((userData, nonce, publicKey))
        var fields = TestPKI.DocumentFields()
        fields.userData = userData
        fields.nonce = nonce
        fields.publicKey = publicKey
        do { return try TestPKI.document(fields, chain: chain) } catch { throw AttestationError(.nsmDeviceError, "test PKI failed") }
    }
}
