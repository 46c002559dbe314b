import Foundation
import XCTest
@testable import WaiaasCustody

/// Argon2id at libsodium's minimum cost: the format and the checks are the
/// same, the test suite stays fast. One test uses the real `.interactive`.
let fastArgon2 = Argon2Parameters(opsLimit: 1, memLimit: 8192)

/// RFC 8032 section 7.1, test 1: a known seed, its public key, and the
/// signature of the empty message.
enum RFC8032 {
    static let seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let publicKey = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    static let emptyMessageSignature = hex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
}

func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        out.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return out
}

func passphrase(_ text: String) throws -> SecureBytes {
    var bytes = Array(text.utf8)
    return try SecureBytes(copying: &bytes)
}

/// A fresh private directory per test, removed afterwards.
class TemporaryDirectoryTestCase: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/waiaas-custody-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        XCTAssertNotNil(made)
        directory = String(cString: made!)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func readBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, mode), 0)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        return info.st_mode & 0o7777
    }

    /// Asserts that `body` throws a KeystoreError with one of `codes`. The
    /// message printed on failure names codes only, never key material.
    func assertThrows<T>(
        _ codes: Set<KeystoreError.Code>, _ context: @autoclosure () -> String = "",
        file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
    ) {
        do {
            _ = try body()
            XCTFail("expected \(codes.map(\.rawValue).sorted()) but it succeeded \(context())", file: file, line: line)
        } catch let error as KeystoreError {
            XCTAssertTrue(
                codes.contains(error.code),
                "expected \(codes.map(\.rawValue).sorted()), got \(error.code.rawValue) \(context())", file: file, line: line)
        } catch {
            XCTFail("not a KeystoreError: \(type(of: error)) \(context())", file: file, line: line)
        }
    }
}
