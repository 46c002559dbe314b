import XCTest
@testable import WaiaasCustody

/// The tags that bind config.json and the ledger anchor to the agent key:
/// the same key always gives the same tag, another key or purpose never
/// does, and any changed byte fails verification.
final class HomeAuthenticatorTests: XCTestCase {
    func signer(_ byte: UInt8) throws -> AgentSigner {
        var seed = [UInt8](repeating: byte, count: 32)
        return try AgentSigner(seed: try SecureBytes(copying: &seed))
    }

    func testTagsAreBoundToTheKeyThePurposeAndEveryByte() throws {
        let one = try HomeAuthenticator(signer: try signer(1))
        let again = try HomeAuthenticator(signer: try signer(1))
        let other = try HomeAuthenticator(signer: try signer(2))
        let message = Array("{\"owners\":[\"x\"]}".utf8)
        let tag = one.tag(.configuration, message)
        XCTAssertEqual(tag.count, 32)
        XCTAssertEqual(again.tag(.configuration, message), tag, "derived from the seed: stable across opens")
        XCTAssertNotEqual(other.tag(.configuration, message), tag)
        XCTAssertNotEqual(one.tag(.ledgerAnchor, message), tag, "one key per purpose")
        XCTAssertTrue(one.verify(.configuration, message, tag: tag))
        XCTAssertFalse(other.verify(.configuration, message, tag: tag))
        for i in message.indices {
            var changed = message
            changed[i] ^= 1
            XCTAssertFalse(one.verify(.configuration, changed, tag: tag), "byte \(i)")
        }
        for i in tag.indices {
            var changed = tag
            changed[i] ^= 0x80
            XCTAssertFalse(one.verify(.configuration, message, tag: changed), "tag byte \(i)")
        }
        XCTAssertFalse(one.verify(.configuration, message, tag: Array(tag.prefix(16))))
    }
}
