internal import CSodium

/// Secret bytes in libsodium's guarded memory: sodium_malloc places them
/// between guard pages, behind a canary, and mlock()s them so they are never
/// swapped. While nobody is reading or writing, the pages are PROT_NONE
/// (sodium_mprotect_noaccess), so a stray pointer or an over-read elsewhere in
/// the process faults instead of leaking a key. deinit calls sodium_free,
/// which wipes the bytes before unmapping them.
///
/// Never printed: `description`, `debugDescription` and reflection show only
/// the length. Deliberately neither Codable nor Equatable by content: compare
/// with `isEqual(to:)`, which is constant-time.
///
/// Two kinds of instance exist:
/// - ordinary (`init(count:)`, `init(copying:)`): each access takes a lock and
///   opens the pages for exactly as long as the closure runs. Accesses are
///   serialized, which is correct because one thread closing the pages while
///   another reads would fault.
/// - read-only for life (`init(readOnlyCount:initializer:)`): filled once, then
///   PROT_READ until freed. Reads take no lock and make no system call. The
///   agent signer uses this: toggling protection per signature would cost two
///   mprotect calls (and TLB shootdowns across cores) on the hot path and
///   serialize signing, which docs/ARCHITECTURE.md's Sign path forbids.
///
/// `@unchecked Sendable`: the pointer is immutable; the protection state is
/// only touched with `lock` held, and read-only-for-life memory never changes
/// after initialisation.
public final class SecureBytes: @unchecked Sendable {
    public let count: Int
    private let base: UnsafeMutablePointer<UInt8>
    private let readOnlyForLife: Bool
    private let lock = RecursiveLock()
    // Guarded by `lock`.
    private var depth = 0
    private var isWritable = false

    /// `count` zero bytes.
    public init(count: Int) throws(KeystoreError) {
        self.count = count
        self.base = try Self.allocate(count)
        self.readOnlyForLife = false
        sodium_memzero(base, count)
        sodium_mprotect_noaccess(base)
    }

    /// Moves `source` into guarded memory and wipes `source`. Swift arrays are
    /// copy-on-write, so any other copy the caller made earlier is not wiped:
    /// hand over the only reference.
    public convenience init(copying source: inout [UInt8]) throws(KeystoreError) {
        try self.init(count: source.count)
        withUnsafeMutableBytes { destination in
            source.withUnsafeMutableBytes { from in
                if from.count > 0 {
                    destination.copyMemory(from: UnsafeRawBufferPointer(from))
                    sodium_memzero(from.baseAddress, from.count)
                }
            }
        }
    }

    /// Memory filled once by `initializer`, then read-only until freed; see
    /// the type's documentation for why this exists.
    public init(
        readOnlyCount count: Int,
        initializer: (UnsafeMutableRawBufferPointer) throws(KeystoreError) -> Void
    ) throws(KeystoreError) {
        let base = try Self.allocate(count)
        sodium_memzero(base, count)
        do {
            try initializer(UnsafeMutableRawBufferPointer(start: base, count: count))
        } catch {
            sodium_free(base)
            throw error
        }
        sodium_mprotect_readonly(base)
        self.count = count
        self.base = base
        self.readOnlyForLife = true
    }

    /// `count` bytes from the system CSPRNG (randombytes_buf).
    public static func random(count: Int) throws(KeystoreError) -> SecureBytes {
        let bytes = try SecureBytes(count: count)
        bytes.withUnsafeMutableBytes { if $0.count > 0 { randombytes_buf($0.baseAddress!, $0.count) } }
        return bytes
    }

    deinit {
        // sodium_free reopens the pages itself, checks the canary, wipes, unmaps.
        sodium_free(base)
    }

    private static func allocate(_ count: Int) throws(KeystoreError) -> UnsafeMutablePointer<UInt8> {
        precondition(count >= 0, "negative SecureBytes count")
        Sodium.ensureReady()
        // sodium_malloc(0) is legal but returns a pointer one cannot mprotect
        // portably; one spare byte avoids the corner case.
        guard let raw = sodium_malloc(Swift.max(count, 1)) else {
            throw KeystoreError(.secureMemory, "sodium_malloc(\(count)) failed (address space or RLIMIT_MEMLOCK)")
        }
        // Bound once, here, for the buffer's whole life: it only ever holds bytes.
        return raw.bindMemory(to: UInt8.self, capacity: Swift.max(count, 1))
    }

    /// Read access for the duration of `body`. The pointer must not escape it.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let buffer = UnsafeRawBufferPointer(start: base, count: count)
        if readOnlyForLife { return try body(buffer) }
        let previous = open(writable: false)
        defer { close(restoring: previous) }
        return try body(buffer)
    }

    /// Write access for the duration of `body`. The pointer must not escape it.
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // A programming error, not a runtime condition: such memory is frozen by design.
        precondition(!readOnlyForLife, "SecureBytes is read-only for life")
        let previous = open(writable: true)
        defer { close(restoring: previous) }
        return try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// Constant-time content comparison (sodium_memcmp); lengths are public.
    public func isEqual(to other: SecureBytes) -> Bool {
        if self === other { return true }
        guard count == other.count else { return false }
        // Always lock in address order, so a.isEqual(b) racing b.isEqual(a)
        // cannot deadlock.
        let (first, second) = ObjectIdentifier(self) < ObjectIdentifier(other) ? (self, other) : (other, self)
        return first.withUnsafeBytes { a in
            second.withUnsafeBytes { b in Sodium.constantTimeEqual(a, b) }
        }
    }

    /// A new, ordinary SecureBytes holding a copy of bytes `range` of this one.
    func copy(_ range: Range<Int>? = nil) throws(KeystoreError) -> SecureBytes {
        let range = range ?? 0..<count
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        let out = try SecureBytes(count: range.count)
        withUnsafeBytes { from in
            out.withUnsafeMutableBytes { to in
                if range.count > 0 { to.copyMemory(from: UnsafeRawBufferPointer(rebasing: from[range])) }
            }
        }
        return out
    }

    // MARK: protection state

    private func open(writable: Bool) -> Bool {
        lock.lock()
        let previous = isWritable
        depth += 1
        if depth == 1 || (writable && !isWritable) {
            if writable { sodium_mprotect_readwrite(base) } else { sodium_mprotect_readonly(base) }
            isWritable = writable
        }
        return previous
    }

    private func close(restoring previous: Bool) {
        depth -= 1
        if depth == 0 {
            sodium_mprotect_noaccess(base)
            isWritable = false
        } else if isWritable && !previous {
            sodium_mprotect_readonly(base)
            isWritable = false
        }
        lock.unlock()
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SecureBytes(\(count) bytes)" }
    public var debugDescription: String { description }
    /// Keeps dump() and debuggers' mirrors away from the pointer and its contents.
    public var customMirror: Mirror { Mirror(self, children: ["count": count], displayStyle: .class) }
}
