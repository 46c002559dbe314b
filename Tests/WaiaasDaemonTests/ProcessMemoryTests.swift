import XCTest

@testable import WaiaasDaemon

final class ProcessMemoryTests: XCTestCase {
    /// glibc's default raises its mmap threshold to the size of a freed
    /// mapped block, after which a block of half that size comes from the
    /// heap. With the threshold fixed it is still a mapping of its own, so
    /// freeing it returns its pages at once.
    func testABlockAfterALargerOneFreedIsStillMapped() throws {
        XCTAssertTrue(ProcessMemory.returnLargeBlocksToTheSystem())
        let large = try XCTUnwrap(malloc(4 << 20))
        memset(large, 1, 4 << 20)
        free(large)
        let mappedBefore = ProcessMemory.mappedBlockCount
        let block = try XCTUnwrap(malloc(2 << 20))
        defer { free(block) }
        XCTAssertEqual(ProcessMemory.mappedBlockCount, mappedBefore + 1, "a 2 MiB block after a freed 4 MiB one is mapped, not from the heap")
    }
}
