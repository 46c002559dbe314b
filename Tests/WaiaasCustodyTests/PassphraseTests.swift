import Foundation
import XCTest
@testable import WaiaasCustody

final class PassphraseTests: TemporaryDirectoryTestCase {
    /// Writes `bytes` into a pipe, closes its write end, returns the read end.
    private func pipe(with bytes: [UInt8]) -> Int32 {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(Glibc.pipe(&fds), 0)
        bytes.withUnsafeBytes { _ = Glibc.write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        return fds[0]
    }

    private func text(_ secret: SecureBytes) -> String {
        secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    func testFromAPipe() throws {
        for (input, expected) in [("pass phrase\n", "pass phrase"), ("crlf\r\n", "crlf"), ("no newline", "no newline"),
                                  ("two\n\n", "two\n"), ("inner\nline", "inner\nline")] {
            let fd = pipe(with: Array(input.utf8))
            defer { close(fd) }
            XCTAssertTrue(text(try Passphrase.read(fileDescriptor: fd)) == expected, "input #\(input.count) bytes")
        }
        let exact = pipe(with: [UInt8](repeating: 0x61, count: Passphrase.maximumLength) + [0x0D, 0x0A])
        defer { close(exact) }
        XCTAssertEqual(try Passphrase.read(fileDescriptor: exact).count, Passphrase.maximumLength)
    }

    func testBadPipeInput() throws {
        for bytes in [[], [0x0A], [UInt8](repeating: 0x61, count: Passphrase.maximumLength + 1),
                      [UInt8](repeating: 0x61, count: 5000)] {
            let fd = pipe(with: bytes)
            defer { close(fd) }
            assertThrows([.invalidPassphrase], "\(bytes.count) bytes") { try Passphrase.read(fileDescriptor: fd) }
        }
        assertThrows([.io]) { try Passphrase.read(fileDescriptor: 9999) }
    }

    func testFromTheEnvironmentThenUnset() throws {
        let name = "WAIAAS_TEST_PASSPHRASE_\(getpid())"
        setenv(name, "from the environment", 1)
        let secret = try Passphrase.read(environmentVariable: name)
        XCTAssertTrue(text(secret) == "from the environment")
        XCTAssertNil(getenv(name), "the variable is unset")
        XCTAssertNil(ProcessInfo.processInfo.environment[name])
        assertThrows([.invalidPassphrase]) { try Passphrase.read(environmentVariable: name) }
        setenv(name, "", 1)
        assertThrows([.invalidPassphrase]) { try Passphrase.read(environmentVariable: name) }
        XCTAssertNil(getenv(name))
    }

    func testPassphraseFromAPipeOpensAKeystore() throws {
        let home = path("home")
        let fd = pipe(with: Array("piped\n".utf8))
        defer { close(fd) }
        let created = try Keystore.create(home: home, kek: .passphrase(try Passphrase.read(fileDescriptor: fd)), argon2: fastArgon2)
        let name = "WAIAAS_TEST_PASSPHRASE2_\(getpid())"
        setenv(name, "piped", 1)
        let opened = try Keystore.open(home: home, kek: .passphrase(try Passphrase.read(environmentVariable: name)))
        XCTAssertEqual(opened.publicKey, created.publicKey)
    }
}
