internal import CSodium

/// sodium_init once per process before any other libsodium call. It is
/// idempotent but takes a lock, so it runs once through a lazy static.
enum Sodium {
    static let isReady: Bool = sodium_init() >= 0

    static func ensureReady() {
        // Without sodium_init, randombytes and sodium_malloc are unsafe to use;
        // there is no sensible way to continue.
        precondition(isReady, "libsodium failed to initialise")
    }

    /// Constant-time equality; false on different lengths (lengths are public).
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return sodium_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureReady()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { if $0.count > 0 { randombytes_buf($0.baseAddress!, $0.count) } }
        return out
    }
}
