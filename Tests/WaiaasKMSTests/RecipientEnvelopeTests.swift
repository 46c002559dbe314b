import Foundation
import Testing
import WaiaasCustody
@testable import WaiaasKMS

/// CMS EnvelopedData made by `openssl cms -encrypt` with RSAES-OAEP-SHA-256
/// and AES-256-CBC to a test key (Fixtures/cms/make-cms-fixtures.sh; the
/// README there names every file), opened as the daemon opens KMS's
/// `CiphertextForRecipient`.
@Suite struct RecipientEnvelopeTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cms/\(name)").path
        return [UInt8](try #require(FileManager.default.contents(atPath: path)))
    }

    static func recipient() throws -> RecipientKey { try RecipientKey(privateKeyDER: try fixture("recipient-key.der")) }

    @Test func theEnvelopeOpensToThePlaintext() throws {
        let plaintext = try Self.fixture("plaintext.bin")
        for name in ["enveloped.der", "enveloped-ber.der"] {
            let opened = try Self.recipient().open(envelope: try Self.fixture(name), expectedCount: plaintext.count)
            #expect(opened.withUnsafeBytes { Array($0) } == plaintext, "\(name)")
        }
        #expect(try Self.recipient().subjectPublicKeyInfo == Self.fixture("recipient-spki.der"))
    }

    @Test func aTamperedEnvelopeOrAnotherKeyIsRefused() throws {
        for name in ["enveloped-tampered.der", "enveloped-bad-key.der"] {
            #expect(throws: KMSError(.envelope, ""), "\(name)") { try Self.recipient().open(envelope: try Self.fixture(name)) }
        }
        // Another RSA key cannot open the good envelope.
        #expect(throws: KMSError(.envelope, "")) { try RecipientKey().open(envelope: try Self.fixture("enveloped.der")) }
    }

    /// AES-CBC has no integrity: a change that keeps the padding valid opens
    /// to other bytes. The keystore's AEAD, not the envelope, catches that.
    @Test func aPaddingPreservingTamperGivesOtherBytes() throws {
        let plaintext = try Self.fixture("plaintext.bin")
        let opened = try Self.recipient().open(envelope: try Self.fixture("enveloped-tampered-valid-padding.der"))
        #expect(opened.withUnsafeBytes { Array($0) } != plaintext)
    }
}
