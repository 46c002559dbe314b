import Foundation
import XCTest
@testable import WaiaasCustody

/// The `aws-kms` keystore kind without KMS: the data key is made here, as
/// GenerateDataKey would return it. What KMS itself does is tested against
/// moto's server (Tests/python/kms).
final class KMSKeystoreTests: TemporaryDirectoryTestCase {
    var home: String { path("home") }

    private func dataKey(keyID: String = "alias/waiaas-kek", blob: [UInt8] = Array(repeating: 7, count: 184), plaintext: SecureBytes? = nil) throws -> KMSDataKey {
        KMSDataKey(keyID: keyID, encryptedDataKey: blob, plaintext: try plaintext ?? SecureBytes.random(count: 32))
    }

    func testRoundTripRecordsTheKeyAndTheSealedDataKey() throws {
        let key = try dataKey()
        let created = try Keystore.create(home: home, kek: .kmsDataKey(key))
        XCTAssertEqual(try Keystore.kekKind(home: home), "aws-kms")
        // No KEK file beside it: the only copy of the data key is KMS's.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home), ["keystore.json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: HomeLayout(home).keystore))) as! [String: Any]
        let kms = try XCTUnwrap(json["kms"] as? [String: String])
        XCTAssertEqual(kms["keyId"], "alias/waiaas-kek")
        XCTAssertEqual(Data(base64Encoded: kms["encryptedDataKey"]!).map(Array.init), key.encryptedDataKey)

        let reference = try XCTUnwrap(try Keystore.kmsDataKeyReference(home: home))
        XCTAssertEqual(reference.keyID, key.keyID)
        XCTAssertEqual(reference.encryptedDataKey, key.encryptedDataKey)
        XCTAssertEqual(reference.agent, created.publicKey)
        let opened = try Keystore.open(home: home, kek: .kmsDataKey(key))
        XCTAssertEqual(opened.publicKey, created.publicKey)
    }

    func testAnotherDataKeyOrAnotherRecordIsRefused() throws {
        let key = try dataKey()
        _ = try Keystore.create(home: home, kek: .kmsDataKey(key))
        // The right blob with a different plaintext: AEAD fails.
        XCTAssertThrowsError(try Keystore.open(home: home, kek: .kmsDataKey(try dataKey()))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .wrongKey)
        }
        // A data key for another record is not even tried.
        XCTAssertThrowsError(try Keystore.open(home: home, kek: .kmsDataKey(try dataKey(blob: [1, 2, 3], plaintext: key.plaintext)))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .wrongKey)
        }
        XCTAssertThrowsError(try Keystore.open(home: home, kek: .devFile(home: home))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .wrongKey)
        }
    }

    func testEditingTheRecordedKeyFailsAuthentication() throws {
        let key = try dataKey(keyID: "1234abcd-12ab-34cd-56ef-1234567890ab")
        _ = try Keystore.create(home: home, kek: .kmsDataKey(key))
        let path = HomeLayout(home).keystore
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Point the record at another KMS key (one the attacker controls), keeping the data key.
        try text.replacingOccurrences(of: "1234abcd-12ab-34cd-56ef-1234567890ab", with: "alias/attacker")
            .write(toFile: path, atomically: false, encoding: .utf8)
        let moved = KMSDataKey(keyID: "alias/attacker", encryptedDataKey: key.encryptedDataKey, plaintext: key.plaintext)
        XCTAssertThrowsError(try Keystore.open(home: home, kek: .kmsDataKey(moved))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .wrongKey)
        }
    }

    func testMalformedRecordsAreRefusedBeforeAnyWork() throws {
        XCTAssertThrowsError(try Keystore.create(home: home, kek: .kmsDataKey(try dataKey(keyID: "alias/\"quoted\"")))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .unsupportedFormat)
        }
        XCTAssertThrowsError(try Keystore.create(home: home, kek: .kmsDataKey(try dataKey(plaintext: try SecureBytes.random(count: 16))))) {
            XCTAssertEqual(($0 as? KeystoreError)?.code, .wrongKey)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: HomeLayout(home).keystore))

        _ = try Keystore.create(home: home, kek: .kmsDataKey(try dataKey()))
        let path = HomeLayout(home).keystore
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (from, to, code) in [
            ("\"kms\"", "\"kmz\"", KeystoreError.Code.unsupportedFormat),
            ("\"keyId\": \"alias/waiaas-kek\"", "\"keyId\": \"\"", .tampered),
            ("\"encryptedDataKey\": \"", "\"encryptedDataKey\": \"!", .tampered),
        ] {
            try text.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: false, encoding: .utf8)
            XCTAssertThrowsError(try Keystore.publicKey(home: home), "\(from) -> \(to)") {
                XCTAssertEqual(($0 as? KeystoreError)?.code, code, "\(from) -> \(to): \($0)")
            }
        }
    }
}
