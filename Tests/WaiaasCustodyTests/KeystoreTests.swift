import CSodium
import Foundation
import XCTest
import WaiaasSolana
@testable import WaiaasCustody

final class KeystoreTests: TemporaryDirectoryTestCase {
    var home: String { path("home") }
    var keystorePath: String { HomeLayout(home).keystore }
    var devKEK: KeyEncryptionKey { .devFile(home: home) }

    private func assertUsable(_ signer: AgentSigner, file: StaticString = #filePath, line: UInt = #line) {
        let message = Array("a Solana message".utf8)
        let signature = signer.sign(message)
        XCTAssertEqual(crypto_sign_verify_detached(signature, message, UInt64(message.count), signer.publicKey.bytes), 0, file: file, line: line)
    }

    func testDevFileRoundTrip() throws {
        let created = try Keystore.create(home: home, kek: devKEK)
        XCTAssertEqual(mode(home), 0o700)
        XCTAssertEqual(mode(keystorePath), 0o600)
        XCTAssertEqual(mode(path("home/kek-dev.key")), 0o600)
        XCTAssertEqual(try readBytes(path("home/kek-dev.key")).count, 32)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home).sorted(), ["kek-dev.key", "keystore.json"])

        let opened = try Keystore.open(home: home, kek: devKEK)
        XCTAssertEqual(opened.publicKey, created.publicKey)
        XCTAssertEqual(try Keystore.publicKey(home: home), created.publicKey)
        XCTAssertEqual(try Keystore.kekKind(home: home), "dev-file")
        XCTAssertEqual(opened.sign([1, 2, 3]), created.sign([1, 2, 3]))
        assertUsable(opened)
    }

    func testPassphraseRoundTrip() throws {
        let created = try Keystore.create(home: home, kek: .passphrase(try passphrase("hunter2 but longer")), argon2: fastArgon2)
        XCTAssertEqual(try Keystore.kekKind(home: home), "passphrase")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home), ["keystore.json"])
        let opened = try Keystore.open(home: home, kek: .passphrase(try passphrase("hunter2 but longer")))
        XCTAssertEqual(opened.publicKey, created.publicKey)
        assertUsable(opened)
    }

    func testPassphraseAtInteractiveCost() throws {
        let created = try Keystore.create(home: home, kek: .passphrase(try passphrase("interactive")))
        let text = String(decoding: try readBytes(keystorePath), as: UTF8.self)
        XCTAssertTrue(text.contains("\"opslimit\": 2,"))
        XCTAssertTrue(text.contains("\"memlimit\": 67108864,"))
        let opened = try Keystore.open(home: home, kek: .passphrase(try passphrase("interactive")))
        XCTAssertEqual(opened.publicKey, created.publicKey)
    }

    func testFileLayout() throws {
        let signer = try Keystore.create(home: home, kek: .passphrase(try passphrase("layout")), argon2: fastArgon2)
        let json = try JSONSerialization.jsonObject(with: Data(try readBytes(keystorePath))) as! [String: Any]
        XCTAssertEqual(Set(json.keys), ["format", "publicKey", "kek", "kdf", "cipher", "nonce", "ciphertext"])
        XCTAssertEqual(json["format"] as? String, "waiaas-keystore-v1")
        XCTAssertEqual(json["publicKey"] as? String, Base58.encode(signer.publicKey.bytes))
        XCTAssertEqual(json["cipher"] as? String, "xchacha20poly1305-ietf")
        let kdf = json["kdf"] as! [String: Any]
        XCTAssertEqual(kdf["algorithm"] as? String, "argon2id13")
        XCTAssertEqual(Data(base64Encoded: kdf["salt"] as! String)?.count, 16)
        XCTAssertEqual(Data(base64Encoded: json["nonce"] as! String)?.count, 24)
        XCTAssertEqual(Data(base64Encoded: json["ciphertext"] as! String)?.count, 48)
    }

    func testWrongPassphraseLeavesTheFileUnchanged() throws {
        _ = try Keystore.create(home: home, kek: .passphrase(try passphrase("right")), argon2: fastArgon2)
        let before = try readBytes(keystorePath)
        do {
            _ = try Keystore.open(home: home, kek: .passphrase(try passphrase("wrong")))
            XCTFail("opened with a wrong passphrase")
        } catch let error as KeystoreError {
            XCTAssertEqual(error.code, .wrongKey)
            XCTAssertFalse(error.description.contains("wrong\""), "no passphrase in the message")
            XCTAssertFalse(error.description.contains("right"))
        }
        XCTAssertEqual(try readBytes(keystorePath), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home), ["keystore.json"])
    }

    func testWrongDevKeyAndWrongKind() throws {
        _ = try Keystore.create(home: home, kek: devKEK)
        let before = try readBytes(keystorePath)
        // Another dev key of the right shape.
        let other = path("other.key")
        try write(Array(repeating: 7, count: 32), to: other)
        assertThrows([.wrongKey]) { try Keystore.open(home: home, kek: .devFile(path: other)) }
        // A passphrase for a dev-file keystore, and the reverse.
        assertThrows([.wrongKey]) { try Keystore.open(home: home, kek: .passphrase(try passphrase("x"))) }
        XCTAssertEqual(try readBytes(keystorePath), before)
        let home2 = path("home2")
        _ = try Keystore.create(home: home2, kek: .passphrase(try passphrase("p")), argon2: fastArgon2)
        assertThrows([.wrongKey]) { try Keystore.open(home: home2, kek: .devFile(home: home)) }
    }

    func testTruncatedAtEveryOffset() throws {
        for kek in [devKEK, .passphrase(try passphrase("truncate me"))] {
            try? FileManager.default.removeItem(atPath: home)
            _ = try Keystore.create(home: home, kek: kek, argon2: fastArgon2)
            let full = try readBytes(keystorePath)
            for length in 0..<full.count {
                let prefix = Array(full[0..<length])
                try FileManager.default.removeItem(atPath: keystorePath)
                try write(prefix, to: keystorePath)
                if String(decoding: prefix, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    == String(decoding: full, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) {
                    XCTAssertNoThrow(try Keystore.open(home: home, kek: kek))
                    continue
                }
                assertThrows([.truncated], "at length \(length)") { try Keystore.open(home: home, kek: kek) }
                assertThrows([.truncated], "at length \(length)") { try Keystore.publicKey(home: home) }
                XCTAssertEqual(try readBytes(keystorePath), prefix, "nothing written")
            }
        }
    }

    /// Replaces the JSON value of `key` (a string or an integer) in the file.
    private func edit(_ key: String, _ transform: (String) -> String) throws {
        var text = String(decoding: try readBytes(keystorePath), as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: "\"\(key)\": (\"[^\"]*\"|[0-9]+)")
        let match = try XCTUnwrap(pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)))
        let range = Range(match.range(at: 1), in: text)!
        text.replaceSubrange(range, with: transform(String(text[range])))
        try FileManager.default.removeItem(atPath: keystorePath)
        try write(Array(text.utf8), to: keystorePath)
    }

    private func flipBase64(_ quoted: String, byte: Int = 0) -> String {
        var bytes = [UInt8](Data(base64Encoded: String(quoted.dropFirst().dropLast()))!)
        bytes[byte] ^= 0x01
        return "\"" + Data(bytes).base64EncodedString() + "\""
    }

    func testEveryClearFieldIsBound() throws {
        let phrase = "tamper"
        let otherKey = "\"" + Base58.encode(RFC8032.publicKey) + "\""
        // (field, replacement, the errors that are acceptable)
        let edits: [(String, (String) -> String, Set<KeystoreError.Code>)] = [
            ("format", { _ in "\"waiaas-keystore-v2\"" }, [.unsupportedFormat]),
            ("publicKey", { _ in otherKey }, [.wrongKey, .tampered]),
            ("publicKey", { _ in "\"not base58 0OIl\"" }, [.tampered]),
            ("kek", { _ in "\"dev-file\"" }, [.unsupportedFormat, .wrongKey]),
            ("kek", { _ in "\"kms\"" }, [.unsupportedFormat]),
            ("algorithm", { _ in "\"argon2i13\"" }, [.unsupportedFormat]),
            ("opslimit", { _ in "2" }, [.wrongKey]),
            ("opslimit", { _ in "1000000" }, [.unsupportedFormat]),
            ("memlimit", { _ in "16384" }, [.wrongKey]),
            ("memlimit", { _ in "99999999999999" }, [.unsupportedFormat]),
            ("salt", { self.flipBase64($0) }, [.wrongKey]),
            ("cipher", { _ in "\"aes256gcm\"" }, [.unsupportedFormat]),
            ("nonce", { self.flipBase64($0, byte: 23) }, [.wrongKey]),
            ("nonce", { _ in "\"AAAA\"" }, [.tampered]),
            ("ciphertext", { self.flipBase64($0, byte: 47) }, [.wrongKey]),
        ]
        for (field, transform, codes) in edits {
            try? FileManager.default.removeItem(atPath: home)
            _ = try Keystore.create(home: home, kek: .passphrase(try passphrase(phrase)), argon2: fastArgon2)
            try edit(field, transform)
            let edited = try readBytes(keystorePath)
            assertThrows(codes, "editing \(field)") { try Keystore.open(home: home, kek: .passphrase(try passphrase(phrase))) }
            XCTAssertEqual(try readBytes(keystorePath), edited, "nothing written")
        }
        // The dev-file kind too: its header has no KDF, the rest is bound the same way.
        for (field, transform, codes) in edits where !["algorithm", "opslimit", "memlimit", "salt"].contains(field) {
            try? FileManager.default.removeItem(atPath: home)
            _ = try Keystore.create(home: home, kek: devKEK)
            try edit(field, field == "kek" && codes.contains(.wrongKey) ? { _ in "\"passphrase\"" } : transform)
            assertThrows(codes, "editing \(field) (dev-file)") { try Keystore.open(home: home, kek: self.devKEK) }
        }
    }

    func testEveryCiphertextByteIsAuthenticated() throws {
        _ = try Keystore.create(home: home, kek: devKEK)
        let original = try readBytes(keystorePath)
        for byte in 0..<48 {
            try FileManager.default.removeItem(atPath: keystorePath)
            try write(original, to: keystorePath)
            try edit("ciphertext") { self.flipBase64($0, byte: byte) }
            assertThrows([.wrongKey], "byte \(byte)") { try Keystore.open(home: home, kek: devKEK) }
        }
    }

    func testUnknownOrMissingFieldsAreRefused() throws {
        _ = try Keystore.create(home: home, kek: devKEK)
        let text = String(decoding: try readBytes(keystorePath), as: UTF8.self)
        let variants = [
            text.replacingOccurrences(of: "{\n", with: "{\n  \"extra\": \"x\",\n"),
            text.replacingOccurrences(of: "  \"cipher\": \"xchacha20poly1305-ietf\",\n", with: ""),
            text.replacingOccurrences(of: "{\n", with: "{\n  \"format\": \"waiaas-keystore-v1\",\n"),
            text.replacingOccurrences(of: "\"kek\": \"dev-file\"", with: "\"kek\": \"dev-file\", \"kdf\": {}"),
            "[]", "\"waiaas\"", "{}", text + "x", text.replacingOccurrences(of: "\"format\"", with: "\"fo\\u0072mat\""),
        ]
        for variant in variants {
            try FileManager.default.removeItem(atPath: keystorePath)
            try write(Array(variant.utf8), to: keystorePath)
            assertThrows([.unsupportedFormat]) { try Keystore.open(home: home, kek: devKEK) }
        }
    }

    func testSealedKeyMustMatchTheHeaderKey() throws {
        // Someone holding the KEK reseals a different seed under the original
        // header: authentication passes, the public-key check must not.
        let signer = try Keystore.create(home: home, kek: devKEK)
        var header = try Keystore.readHeader(home: home)
        XCTAssertEqual(header.publicKey, signer.publicKey.bytes)
        let key = try Sealing.devFileKey(path: path("home/kek-dev.key"))
        var otherSeed = RFC8032.seed
        header.ciphertext = Sealing.seal(
            seed: try SecureBytes(copying: &otherSeed), key: key, nonce: header.nonce, associatedData: header.associatedData())
        try FileManager.default.removeItem(atPath: keystorePath)
        try write(header.json(), to: keystorePath)
        assertThrows([.tampered]) { try Keystore.open(home: home, kek: devKEK) }
    }

    func testRefusesToOverwrite() throws {
        let first = try Keystore.create(home: home, kek: devKEK)
        let before = try readBytes(keystorePath)
        let kekBefore = try readBytes(path("home/kek-dev.key"))
        assertThrows([.alreadyExists]) { try Keystore.create(home: home, kek: devKEK) }
        assertThrows([.alreadyExists]) {
            try Keystore.create(home: home, kek: .passphrase(try passphrase("p")), argon2: fastArgon2)
        }
        XCTAssertEqual(try readBytes(keystorePath), before)
        XCTAssertEqual(try readBytes(path("home/kek-dev.key")), kekBefore)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home).sorted(), ["kek-dev.key", "keystore.json"])
        XCTAssertEqual(try Keystore.open(home: home, kek: devKEK).publicKey, first.publicKey)
    }

    func testAKeystoreOthersCanReadIsNotOpenedButItsPublicKeyIsReadable() throws {
        let created = try Keystore.create(home: home, kek: devKEK)
        let keystorePath = path("home/keystore.json")
        for weak: mode_t in [0o640, 0o604, 0o644, 0o666] {
            XCTAssertEqual(chmod(keystorePath, weak), 0)
            assertThrows([.weakPermissions], "mode \(String(weak, radix: 8))") { try Keystore.open(home: home, kek: devKEK) }
            // The clear header (for status and offline tools) stays readable.
            XCTAssertEqual(try Keystore.publicKey(home: home), created.publicKey)
        }
        XCTAssertEqual(chmod(keystorePath, 0o400), 0)
        XCTAssertEqual(try Keystore.open(home: home, kek: devKEK).publicKey, created.publicKey)
        XCTAssertEqual(chmod(keystorePath, 0o600), 0)
    }

    func testDevKEKPermissionsAndShape() throws {
        _ = try Keystore.create(home: home, kek: devKEK)
        let kekPath = path("home/kek-dev.key")
        for weak: mode_t in [0o640, 0o604, 0o660, 0o620, 0o602] {
            XCTAssertEqual(chmod(kekPath, weak), 0)
            assertThrows([.weakPermissions], "mode \(String(weak, radix: 8))") { try Keystore.open(home: home, kek: devKEK) }
        }
        XCTAssertEqual(chmod(kekPath, 0o400), 0)
        XCTAssertNoThrow(try Keystore.open(home: home, kek: devKEK))
        XCTAssertEqual(chmod(kekPath, 0o600), 0)

        // A symbolic link is not followed.
        let linked = path("linked.key")
        XCTAssertEqual(symlink(kekPath, linked), 0)
        assertThrows([.weakPermissions]) { try Keystore.open(home: home, kek: .devFile(path: linked)) }

        // Wrong size, missing.
        let kekBytes = try readBytes(kekPath)
        try FileManager.default.removeItem(atPath: kekPath)
        try write(Array(kekBytes.prefix(31)), to: kekPath)
        assertThrows([.truncated]) { try Keystore.open(home: home, kek: devKEK) }
        try FileManager.default.removeItem(atPath: kekPath)
        try write(kekBytes + [0], to: kekPath)
        assertThrows([.unsupportedFormat]) { try Keystore.open(home: home, kek: devKEK) }
        try FileManager.default.removeItem(atPath: kekPath)
        assertThrows([.notFound]) { try Keystore.open(home: home, kek: devKEK) }
    }

    func testCreateWithAWeakExistingKEKIsRefused() throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        try write(Array(repeating: 1, count: 32), to: path("home/kek-dev.key"), mode: 0o644)
        assertThrows([.weakPermissions]) { try Keystore.create(home: home, kek: devKEK) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: keystorePath))
    }

    func testMissingKeystore() throws {
        assertThrows([.notFound]) { try Keystore.open(home: home, kek: devKEK) }
        assertThrows([.notFound]) { try Keystore.publicKey(home: home) }
        assertThrows([.notFound]) { try Keystore.kekKind(home: home) }
    }

    func testImportASolanaKeygenFile() throws {
        let file = path("id.json")
        let text = "[" + (RFC8032.seed + RFC8032.publicKey).map(String.init).joined(separator: ",") + "]"
        try write(Array(text.utf8), to: file)
        let (seed, publicKey) = try SolanaKeypairFile.read(path: file)
        XCTAssertEqual(publicKey, RFC8032.publicKey)
        let signer = try Keystore.create(home: home, kek: .passphrase(try passphrase("import")), importing: seed, argon2: fastArgon2)
        XCTAssertEqual(signer.publicKey.bytes, RFC8032.publicKey)
        XCTAssertEqual(try Keystore.publicKey(home: home).bytes, RFC8032.publicKey)
        let opened = try Keystore.open(home: home, kek: .passphrase(try passphrase("import")))
        XCTAssertEqual(opened.sign([]), RFC8032.emptyMessageSignature)
        assertThrows([.invalidImport]) {
            try Keystore.create(home: path("home3"), kek: devKEK, importing: try SecureBytes(count: 64))
        }
    }

    func testOutOfRangeArgon2ParametersAreRefusedAtCreate() throws {
        assertThrows([.unsupportedFormat]) {
            try Keystore.create(home: home, kek: .passphrase(try passphrase("p")), argon2: Argon2Parameters(opsLimit: 0, memLimit: 8192))
        }
        assertThrows([.invalidPassphrase]) {
            try Keystore.create(home: home, kek: .passphrase(try SecureBytes(count: 0)), argon2: fastArgon2)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: keystorePath))
    }
}
