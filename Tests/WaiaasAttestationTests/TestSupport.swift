import Foundation
import XCTest

/// Hex helpers for tests.
enum TestHex {
    static func bytes(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        precondition(digits.count % 2 == 0, "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0 ... $0 + 1]), radix: 16)! }
    }

    static func string(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The real Nitro vectors in `Fixtures/nitro` beside this file (their
/// README names the source of each). Absence is a failure, never a skip:
/// these tests are the evidence that real documents verify.
enum NitroTestData {
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // WaiaasAttestationTests
            .appendingPathComponent("Fixtures/nitro")
    }

    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "Nitro test data is absent: \(path) (expected in Tests/WaiaasAttestationTests/Fixtures/nitro)" }
    }

    static func load(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let missing = Missing(path: url.path)
            XCTFail(missing.description, file: file, line: line)
            throw missing
        }
        return [UInt8](data)
    }

    static func production() throws -> [UInt8] { try load("nitro-prod-2022-10-13.cbor") }
    static func debug() throws -> [UInt8] { try load("nitro-debug.cbor") }

    /// Inside the leaves' three-hour windows (see the README there).
    static let productionTime = Date(timeIntervalSince1970: 1_665_655_200)  // 2022-10-13T10:00:00Z
    static let debugTime = Date(timeIntervalSince1970: 1_665_586_800)  // 2022-10-12T15:00:00Z
}
