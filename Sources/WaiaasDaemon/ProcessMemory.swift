internal import CWaiaasShims

/// How the daemon's heap gives memory back.
public enum ProcessMemory {
    /// Blocks of this size and up get pages of their own from the kernel
    /// (mmap), which go back to it the moment they are freed.
    public static let mappedBlockBytes: Int32 = 128 << 10

    /// Fixes glibc's mmap threshold, which otherwise rises to the size of
    /// every mapped block freed: the spending book's arrays and the
    /// signed-digest filter's layers grow by doubling, so each freed
    /// predecessor raised the threshold and the next, larger arrays came
    /// from the heap, whose freed holes stay resident. Measured with `make
    /// bench` (Sign at 32 connections, then 16 and 64 pipelined): peak RSS
    /// 51.1-51.5 MB without, 45.8-45.9 MB with. The heap's top is also
    /// trimmed once 256 KiB of it is free. False when glibc refused.
    @discardableResult
    public static func returnLargeBlocksToTheSystem() -> Bool {
        waiaas_fix_mmap_threshold(mappedBlockBytes) == 0
    }

    /// Blocks malloc holds as mappings of their own (glibc's `hblks`).
    static var mappedBlockCount: Int { Int(waiaas_mapped_block_count()) }
}
