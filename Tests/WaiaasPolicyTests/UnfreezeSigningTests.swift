import XCTest
import WaiaasSolana
@testable import WaiaasPolicy

final class UnfreezeSigningTests: XCTestCase {
    func testTheMessageBindsTagAgentAndSequence() {
        let agent = PublicKey(bytes: Array(1...32))!
        let message = UnfreezeSigning.message(agent: agent, freezeSequence: 0x0102_0304_0506_0708)
        XCTAssertEqual(Array(message.prefix(20)), [0xFF] + Array("waiaas unfreeze v1".utf8) + [0])
        XCTAssertEqual(Array(message[20..<52]), agent.bytes)
        XCTAssertEqual(Array(message.suffix(8)), [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertNotEqual(message, UnfreezeSigning.message(agent: agent, freezeSequence: 0x0102_0304_0506_0709))
        // Never a policy approval: a different tag from the first byte on.
        XCTAssertNotEqual(Array(message.prefix(20)), Array(PolicySigning.tag.prefix(20)))
    }

    func testFreezeAfterParsesAndRefusesNonsense() throws {
        let policy = try PolicyJSON.parse(Data(#"{"format": 1, "assets": [], "freeze_after": {"denials": 5, "within": "10m"}}"#.utf8))
        XCTAssertEqual(policy.freezeAfter?.denials, 5)
        XCTAssertEqual(policy.freezeAfter?.seconds, 600)
        for bad in [#"{"denials": 0, "within": "10m"}"#, #"{"denials": 5}"#, #"{"denials": 5, "within": "10m", "x": 1}"#, #"{"denials": 5, "within": "soon"}"#] {
            XCTAssertThrowsError(try PolicyJSON.parse(Data(#"{"format": 1, "assets": [], "freeze_after": \#(bad)}"#.utf8)), bad)
        }
    }
}
