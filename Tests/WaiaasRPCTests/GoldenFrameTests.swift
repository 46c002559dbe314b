import Foundation
import XCTest
import WaiaasProto
import WaiaasRPC

/// docs/PROTOCOL.md shows a real frame; our encoder must produce it exactly.
final class GoldenFrameTests: XCTestCase {
    func testProtocolDocFrameIsWhatWeEncode() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: repo.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
        let afterMarker = try XCTUnwrap(doc.components(separatedBy: "<!-- frame-example -->").dropFirst().first)
        let block = afterMarker.components(separatedBy: "```")[1]
        let hex = block.split(whereSeparator: \.isWhitespace).dropFirst().joined()
        let documented = try XCTUnwrap(Self.bytes(fromHex: hex))
        let envelope = Envelope(callID: 7, method: WalletMethod.getStatus.rawValue, timeoutMilliseconds: 5000, metadata: ["request-id": "r1"])
        XCTAssertEqual(Framing.frameBytes(envelope), documented)
        XCTAssertEqual(try Envelope(serializedBytes: Array(documented.dropFirst(4))), envelope)
    }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
