import Foundation
import XCTest
@testable import WaiaasCustody

final class SecureBytesTests: XCTestCase {
    func testDescriptionShowsOnlyLength() throws {
        var source: [UInt8] = Array("correct horse battery".utf8)
        let secret = try SecureBytes(copying: &source)
        XCTAssertEqual(source, [UInt8](repeating: 0, count: 21), "the source is wiped")
        XCTAssertEqual(secret.description, "SecureBytes(21 bytes)")
        XCTAssertEqual(String(reflecting: secret), "SecureBytes(21 bytes)")
        var dumped = ""
        dump(secret, to: &dumped)
        XCTAssertFalse(dumped.contains("horse"))
        XCTAssertFalse("\(secret)".contains("horse"))
        XCTAssertFalse("\([secret])".contains("horse"))
        XCTAssertTrue(secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) == "correct horse battery" })
    }

    func testZeroedRandomAndWrite() throws {
        let zero = try SecureBytes(count: 32)
        XCTAssertTrue(zero.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
        let random = try SecureBytes.random(count: 32)
        XCTAssertFalse(random.isEqual(to: zero))
        zero.withUnsafeMutableBytes { $0[3] = 7 }
        XCTAssertEqual(zero.withUnsafeBytes { $0[3] }, 7)
        let empty = try SecureBytes(count: 0)
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(empty.withUnsafeBytes { $0.count }, 0)
    }

    func testConstantTimeEquality() throws {
        var a1: [UInt8] = [1, 2, 3, 4]
        var a2: [UInt8] = [1, 2, 3, 4]
        var b: [UInt8] = [1, 2, 3, 5]
        var c: [UInt8] = [1, 2, 3]
        let x = try SecureBytes(copying: &a1), y = try SecureBytes(copying: &a2)
        let z = try SecureBytes(copying: &b), w = try SecureBytes(copying: &c)
        XCTAssertTrue(x.isEqual(to: y))
        XCTAssertTrue(y.isEqual(to: x))
        XCTAssertTrue(x.isEqual(to: x))
        XCTAssertFalse(x.isEqual(to: z))
        XCTAssertFalse(x.isEqual(to: w))
    }

    func testNestedAccessOnOneThreadDoesNotDeadlock() throws {
        let bytes = try SecureBytes(count: 8)
        bytes.withUnsafeBytes { outer in
            bytes.withUnsafeMutableBytes { $0[0] = 9 }
            XCTAssertEqual(outer[0], 9)
            bytes.withUnsafeBytes { XCTAssertEqual($0[0], 9) }
        }
        XCTAssertEqual(bytes.withUnsafeBytes { $0[0] }, 9)
    }

    func testConcurrentAccessIsSerialized() throws {
        // Readers and writers from many threads: a reader must never find
        // the pages closed under it (that would crash this test).
        let bytes = try SecureBytes(count: 64)
        DispatchQueue.concurrentPerform(iterations: 2000) { i in
            if i % 3 == 0 {
                bytes.withUnsafeMutableBytes { $0[i % 64] = UInt8(truncatingIfNeeded: i) }
            } else {
                _ = bytes.withUnsafeBytes { $0.reduce(0, &+) }
            }
        }
    }

    func testReadOnlyForLife() throws {
        let frozen = try SecureBytes(readOnlyCount: 4) { $0.copyBytes(from: [5, 6, 7, 8]) }
        XCTAssertEqual(frozen.withUnsafeBytes { Array($0) }, [5, 6, 7, 8])
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in
            XCTAssertEqual(frozen.withUnsafeBytes { $0[2] }, 7)
        }
        XCTAssertThrowsError(
            try SecureBytes(readOnlyCount: 4) { _ throws(KeystoreError) in throw KeystoreError(.io, "fill failed") })
    }
}
