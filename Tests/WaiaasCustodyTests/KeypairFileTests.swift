import Foundation
import XCTest
@testable import WaiaasCustody

final class KeypairFileTests: TemporaryDirectoryTestCase {
    private var knownText: String {
        "[" + (RFC8032.seed + RFC8032.publicKey).map(String.init).joined(separator: ",") + "]"
    }

    func testReadsAKnownKeypair() throws {
        let file = path("id.json")
        for text in [knownText, knownText + "\n", " \n" + knownText.replacingOccurrences(of: ",", with: ", ") + "\n\n"] {
            try? FileManager.default.removeItem(atPath: file)
            try write(Array(text.utf8), to: file)
            let (seed, publicKey) = try SolanaKeypairFile.read(path: file)
            XCTAssertEqual(publicKey, RFC8032.publicKey)
            var expected = RFC8032.seed
            XCTAssertTrue(seed.isEqual(to: try SecureBytes(copying: &expected)))
            XCTAssertEqual(try OwnerKey.load(path: file).sign([]), RFC8032.emptyMessageSignature)
        }
    }

    func testPublicKeyMustMatchTheSeed() throws {
        var bytes = RFC8032.seed + RFC8032.publicKey
        bytes[40] ^= 0x01
        let file = path("mismatch.json")
        try write(Array(("[" + bytes.map(String.init).joined(separator: ",") + "]").utf8), to: file)
        assertThrows([.invalidImport]) { try SolanaKeypairFile.read(path: file) }
        assertThrows([.invalidImport]) { try OwnerKey.load(path: file) }
    }

    func testMalformedFilesAreRefusedWithoutCrashing() throws {
        let numbers = (RFC8032.seed + RFC8032.publicKey).map(String.init)
        func array(_ items: [String], separator: String = ",") -> String { "[" + items.joined(separator: separator) + "]" }
        let tail = Array(numbers.dropFirst())
        var variants: [String] = ["", "[]", "{}", array(Array(numbers.dropLast())), array(numbers + ["0"])]
        for first in ["256", "1000", "-1", "01", "1.0"] { variants.append(array([first] + tail)) }
        variants.append("[" + numbers.joined(separator: ",") + ",]")
        variants.append(array(numbers, separator: ",,"))
        variants += [knownText + "x", "x" + knownText, knownText + "]"]
        let file = path("bad.json")
        for (i, text) in variants.enumerated() {
            try? FileManager.default.removeItem(atPath: file)
            try write(Array(text.utf8), to: file)
            assertThrows([.invalidImport], "variant \(i)") { try SolanaKeypairFile.read(path: file) }
        }
        let full = Array(knownText.utf8)
        for length in 0..<full.count {
            try? FileManager.default.removeItem(atPath: file)
            try write(Array(full[0..<length]), to: file)
            assertThrows([.invalidImport], "length \(length)") { try SolanaKeypairFile.read(path: file) }
        }
        try? FileManager.default.removeItem(atPath: file)
        try write([UInt8](repeating: 0x20, count: 5000), to: file)
        assertThrows([.unsupportedFormat]) { try SolanaKeypairFile.read(path: file) }
        assertThrows([.notFound]) { try SolanaKeypairFile.read(path: path("absent.json")) }
    }

    func testGroupOrWorldAccessibleKeyFilesAreRefused() throws {
        let file = path("open.json")
        try write(Array(knownText.utf8), to: file, mode: 0o644)
        assertThrows([.weakPermissions]) { try SolanaKeypairFile.read(path: file) }
        assertThrows([.weakPermissions]) { try OwnerKey.load(path: file) }
    }

    func testGenerateWritesAPrivateLoadableFileAndNeverOverwrites() throws {
        let file = path("owner.json")
        let publicKey = try SolanaKeypairFile.generate(path: file)
        XCTAssertEqual(mode(file), 0o600)
        let text = String(decoding: try readBytes(file), as: UTF8.self)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [Int]
        XCTAssertEqual(parsed.count, 64)
        XCTAssertTrue(parsed.allSatisfy { (0...255).contains($0) })
        XCTAssertEqual(parsed[32...].map { UInt8($0) }, publicKey)
        XCTAssertEqual(try SolanaKeypairFile.read(path: file).publicKey, publicKey)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["owner.json"], "no temporary file left")

        let before = try readBytes(file)
        assertThrows([.alreadyExists]) { try SolanaKeypairFile.generate(path: file) }
        XCTAssertEqual(try readBytes(file), before)
        XCTAssertNotEqual(try SolanaKeypairFile.generate(path: path("second.json")), publicKey)
        assertThrows([.io]) { try SolanaKeypairFile.generate(path: path("no/such/dir/k.json")) }
    }
}
