import Foundation
import XCTest
@testable import WaiaasCustody

/// Proves the page protections are real: a child process touches the
/// memory outside an access window and must fault. (fork is safe here: the
/// child only performs one memory access and _exits.) The child replaces the
/// Swift runtime's crash handler with one that exits with `faulted`, so a
/// fault is reported without a backtrace in the test log.
final class GuardedMemoryTests: XCTestCase {
    private let faulted: Int32 = 99

    /// The child's exit status: 0 when `touch` ran, `faulted` on SIGSEGV.
    private func childStatus(_ touch: @escaping () -> Void) -> Int32 {
        let pid = fork()
        if pid == 0 {
            signal(SIGSEGV) { _ in _exit(99) }
            touch()
            _exit(0)
        }
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertEqual(status & 0x7F, 0, "the child exited normally")
        return (status >> 8) & 0xFF
    }

    func testIdleMemoryIsNoAccess() throws {
        let secret = try SecureBytes.random(count: 32)
        let address = secret.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        // Inside an access window the same read works.
        XCTAssertEqual(childStatus { secret.withUnsafeBytes { _ = $0[0] } }, 0)
        XCTAssertEqual(childStatus {
            let pointer = UnsafePointer<UInt8>(bitPattern: address)!
            _exit(Int32(pointer.pointee & 1) + 10)
        }, faulted)
    }

    func testReadOnlyForLifeMemoryCannotBeWritten() throws {
        let frozen = try SecureBytes(readOnlyCount: 32) { $0.initializeMemory(as: UInt8.self, repeating: 1) }
        let address = frozen.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        XCTAssertEqual(childStatus { _ = UnsafePointer<UInt8>(bitPattern: address)!.pointee }, 0)
        XCTAssertEqual(childStatus { UnsafeMutablePointer<UInt8>(bitPattern: address)!.pointee = 2 }, faulted)
    }

    func testGuardPageAfterTheBuffer() throws {
        // sodium_malloc ends the buffer at a guard page: one byte past it faults.
        let secret = try SecureBytes(count: 64)
        XCTAssertEqual(childStatus {
            let byte: UInt8 = secret.withUnsafeBytes { $0.baseAddress!.load(fromByteOffset: 64, as: UInt8.self) }
            _exit(Int32(byte & 1) + 10)
        }, faulted)
    }
}
