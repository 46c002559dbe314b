import CSodium
import Foundation
import XCTest
@testable import WaiaasCustody

final class SignerTests: TemporaryDirectoryTestCase {
    func testAgentSignerMatchesRFC8032AndLibsodium() throws {
        var seedBytes = RFC8032.seed
        let signer = try AgentSigner(seed: try SecureBytes(copying: &seedBytes))
        XCTAssertEqual(signer.publicKey.bytes, RFC8032.publicKey)
        XCTAssertEqual(signer.sign([]), RFC8032.emptyMessageSignature)
        let message = Array("transfer 1 SOL".utf8)
        let signature = signer.sign(message)
        XCTAssertEqual(signature.count, 64)
        XCTAssertEqual(crypto_sign_verify_detached(signature, message, UInt64(message.count), signer.publicKey.bytes), 0)
        XCTAssertTrue(Ed25519.verify(signature: signature, message: message, publicKey: signer.publicKey.bytes))
        XCTAssertEqual(message.withUnsafeBytes { signer.sign($0) }, signature)
        XCTAssertFalse(String(describing: signer).contains("SecureBytes"))
    }

    func testSigningFromManyThreads() throws {
        let signer = try AgentSigner(seed: try SecureBytes.random(count: 32))
        let messages = (0..<256).map { i in [UInt8](repeating: UInt8(i), count: 200) }
        let expected = messages.map { signer.sign($0) }
        DispatchQueue.concurrentPerform(iterations: 4096) { i in
            let m = messages[i % messages.count]
            XCTAssertEqual(signer.sign(m), expected[i % messages.count])
        }
    }

    func testSignerRefusesWrongSeedLength() throws {
        let short = try SecureBytes(count: 31)
        assertThrows([.invalidImport]) { try AgentSigner(seed: short) }
    }

    func testVerifyIsFalseOnWrongLengthsAndWrongInput() throws {
        var seedBytes = RFC8032.seed
        let owner = try OwnerKey(seed: try SecureBytes(copying: &seedBytes))
        let message = Array("policy v2".utf8)
        let signature = owner.sign(message)
        let key = owner.publicKey.bytes
        XCTAssertTrue(Ed25519.verify(signature: signature, message: message, publicKey: key))
        for badSignature in [[], Array(signature.dropLast()), signature + [0], [UInt8](repeating: 0, count: 64)] {
            XCTAssertFalse(Ed25519.verify(signature: badSignature, message: message, publicKey: key))
        }
        for badKey in [[], Array(key.dropLast()), key + [0], [UInt8](repeating: 0, count: 32)] {
            XCTAssertFalse(Ed25519.verify(signature: signature, message: message, publicKey: badKey))
        }
        XCTAssertFalse(Ed25519.verify(signature: signature, message: message + [0], publicKey: key))
        var flipped = signature
        flipped[10] ^= 1
        XCTAssertFalse(Ed25519.verify(signature: flipped, message: message, publicKey: key))
    }

    func testOwnerKeyLoadSignVerify() throws {
        let file = path("owner.json")
        let publicKey = try SolanaKeypairFile.generate(path: file)
        let owner = try OwnerKey.load(path: file)
        XCTAssertEqual(owner.publicKey.bytes, publicKey)
        let message = [UInt8](repeating: 0xAB, count: 1000)
        let signature = owner.sign(message)
        XCTAssertTrue(Ed25519.verify(signature: signature, message: message, publicKey: publicKey))
        XCTAssertEqual(crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKey), 0)
    }
}
