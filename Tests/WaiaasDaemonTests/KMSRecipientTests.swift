import Foundation
import WaiaasAttestation
import WaiaasCustody
@testable import WaiaasDaemon
@testable import WaiaasKMS
import XCTest

/// The enclave path of an `aws-kms` keystore's start: Decrypt carries a
/// Recipient whose attestation document holds the recipient key's public
/// key, and KMS's CMS envelope is opened into the data key. KMS and the NSM
/// are stand-ins (no KMS-compatible server implements Recipient, and no
/// enclave runs here); the envelope is a real one made by `openssl cms
/// -encrypt` to the fixture recipient key (Tests/WaiaasKMSTests/Fixtures/cms,
/// make-cms-fixtures.sh), whose plaintext plays the data key.
final class KMSRecipientTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("WaiaasKMSTests/Fixtures/cms")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// A stand-in NSM: remembers the public key it was asked to attest.
    final class FakeNSM: NitroAttesting, @unchecked Sendable {
        let lock = NSLock()
        var attestedKeys: [[UInt8]] = []
        static let document: [UInt8] = Array("attestation document".utf8)

        func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8] {
            lock.withLock { attestedKeys.append(publicKey ?? []) }
            return Self.document
        }
    }

    /// A stand-in KMS: an enabled key; Decrypt answers `answer` and records what it was sent.
    final class FakeKMS: DataKeyService, @unchecked Sendable {
        let lock = NSLock()
        let answer: KMSClient.Decrypted
        var decrypts: [(keyID: String, blob: [UInt8], context: [String: String], document: [UInt8]?)] = []

        init(answer: KMSClient.Decrypted) { self.answer = answer }

        func describeKey(keyID: String) throws(KMSError) -> KMSClient.KeyMetadata {
            KMSClient.KeyMetadata(keyID: keyID, arn: "arn:aws:kms:us-east-1:111122223333:key/\(keyID)", keyState: "Enabled", enabled: true,
                                  keySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT")
        }

        func decrypt(keyID: String, ciphertextBlob: [UInt8], context: [(String, String)], recipient: KMSClient.Recipient?) throws(KMSError) -> KMSClient.Decrypted {
            lock.withLock {
                decrypts.append((keyID, ciphertextBlob, Dictionary(uniqueKeysWithValues: context), recipient?.attestationDocument))
            }
            return answer
        }
    }

    var home = ""

    override func setUpWithError() throws {
        home = NSTemporaryDirectory() + "waiaas-recipient-\(UUID().uuidString.prefix(8))"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: home)
    }

    /// A keystore sealed under the fixture plaintext, as init would have made it.
    private func sealedKeystore() throws -> AgentSigner {
        var plaintext = try Self.fixture("plaintext.bin")
        let dataKey = KMSDataKey(keyID: "alias/enclave-kek", encryptedDataKey: Array(repeating: 0xA5, count: 170),
                                 plaintext: try SecureBytes(copying: &plaintext))
        return try Keystore.create(home: home, kek: .kmsDataKey(dataKey))
    }

    private static func fixtureRecipient() throws(KMSError) -> RecipientKey {
        guard let der = try? fixture("recipient-key.der") else { throw KMSError(.envelope, "no fixture key") }
        return try RecipientKey(privateKeyDER: der)
    }

    func testDecryptNamesTheEnclaveAndTheEnvelopeOpensTheKeystore() async throws {
        let signer = try sealedKeystore()
        let kms = FakeKMS(answer: .envelope(try Self.fixture("enveloped-ber.der")))
        let nsm = FakeNSM()
        let kek = try await KMSKeyEncryption.unseal(home: home, service: kms, nitro: nsm, makeRecipient: Self.fixtureRecipient)
        // The NSM attested exactly the recipient key's SubjectPublicKeyInfo.
        XCTAssertEqual(nsm.attestedKeys, [try Self.fixture("recipient-spki.der")])
        // One Decrypt, with the recorded blob, the agent's context and the document.
        XCTAssertEqual(kms.decrypts.count, 1)
        XCTAssertEqual(kms.decrypts[0].keyID, "alias/enclave-kek")
        XCTAssertEqual(kms.decrypts[0].blob, Array(repeating: 0xA5, count: 170))
        XCTAssertEqual(kms.decrypts[0].context, ["waiaas:agent": signer.publicKey.base58, "waiaas:purpose": "agent-keystore-kek"])
        XCTAssertEqual(kms.decrypts[0].document, FakeNSM.document)
        XCTAssertEqual(try Keystore.open(home: home, kek: kek).publicKey, signer.publicKey)
    }

    func testAnAnswerInTheClearOrATamperedEnvelopeIsRefused() async throws {
        _ = try sealedKeystore()
        var plaintext = try Self.fixture("plaintext.bin")
        // An enclave never accepts the data key in the clear, even the right one.
        let clear = FakeKMS(answer: .plaintext(try SecureBytes(copying: &plaintext)))
        await assertRefused(clear, code: .malformed)
        await assertRefused(FakeKMS(answer: .envelope(try Self.fixture("enveloped-tampered.der"))), code: .envelope)
        await assertRefused(FakeKMS(answer: .envelope(try Self.fixture("enveloped-bad-key.der"))), code: .envelope)
    }

    func testOutsideAnEnclaveAnEnvelopeIsRefused() async throws {
        _ = try sealedKeystore()
        do {
            _ = try await KMSKeyEncryption.unseal(home: home, service: FakeKMS(answer: .envelope([0x30])), nitro: nil, makeRecipient: Self.fixtureRecipient)
            XCTFail("an envelope without a Recipient was accepted")
        } catch let error as KMSError {
            XCTAssertEqual(error.code, .malformed)
        }
    }

    private func assertRefused(_ kms: FakeKMS, code: KMSError.Code, line: UInt = #line) async {
        do {
            _ = try await KMSKeyEncryption.unseal(home: home, service: kms, nitro: FakeNSM(), makeRecipient: Self.fixtureRecipient)
            XCTFail("accepted", line: line)
        } catch let error as KMSError {
            XCTAssertEqual(error.code, code, "\(error)", line: line)
        } catch {
            XCTFail("\(error)", line: line)
        }
    }
}
