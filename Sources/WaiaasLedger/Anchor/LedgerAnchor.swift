import WaiaasSolana
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ledger's head as last seen, kept outside the ledger file so that a
/// ledger cut short (rows deleted from the end, the WAL removed after a
/// kill) is found out: a shorter chain still verifies on its own, but it no
/// longer reaches the anchored row. The anchor carries a tag made with a key
/// only the agent's keystore can give (`tag` below, supplied by custody), so
/// it cannot be rolled back along with the ledger without that key.
///
/// A file beside the ledger (a home's `ledger.head`), one line:
/// `waiaas-ledger-anchor-v1 <sequence> <hash, 64 hex> <tag, 64 hex>`.
public struct LedgerAnchor: Sendable, Equatable {
    public static let format = "waiaas-ledger-anchor-v1"
    public var head: LedgerHead
    public var tag: [UInt8]

    public init(head: LedgerHead, tag: [UInt8]) {
        self.head = head
        self.tag = tag
    }

    /// The bytes the tag covers: the format name, the sequence (u64
    /// big-endian) and the head hash.
    public static func taggedBytes(_ head: LedgerHead) -> [UInt8] {
        var bytes = Array(format.utf8) + [0]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: head.sequence >> UInt64(shift))) }
        return bytes + head.hash
    }

    /// The anchor at `path`, or nil when there is none.
    public static func read(path: String) throws(LedgerError) -> LedgerAnchor? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw LedgerError(.corrupt, "cannot open the ledger anchor \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0, count < buffer.count, let line = String(validating: buffer[0..<count], as: UTF8.self) else {
            throw LedgerError(.corrupt, "the ledger anchor \(path) is empty, too long or not text")
        }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == format, line.hasSuffix("\n"),
              let sequence = UInt64(fields[1]), let hash = Hex.decode(fields[2]), hash.count == 32,
              let tag = Hex.decode(fields[3].dropLast()), tag.count == 32 else {
            throw LedgerError(.corrupt, "the ledger anchor \(path) is not a \(format) line")
        }
        return LedgerAnchor(head: LedgerHead(sequence: sequence, hash: hash), tag: tag)
    }

    /// Replaces the anchor at `path` atomically and durably: a temporary file,
    /// fsync, rename over the old one, fsync of the directory.
    public func write(path: String) throws(LedgerError) {
        let line = "\(Self.format) \(head.sequence) \(Hex.encode(head.hash)) \(Hex.encode(tag))\n"
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("create \(temporary)") }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = written == bytes.count && fsync(fd) == 0
        close(fd)
        guard synced else {
            unlink(temporary)
            throw Self.failure("write \(temporary)")
        }
        guard rename(temporary, path) == 0 else { throw Self.failure("rename \(temporary)") }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    private static func failure(_ what: String) -> LedgerError {
        LedgerError(.storage, "cannot \(what): \(String(cString: strerror(errno)))")
    }
}

/// How a ledger stands against its anchor.
public enum AnchorCheck: Sendable, Equatable {
    /// The ledger reaches the anchored row and holds it unchanged.
    case consistent
    /// The ledger ends before the anchored row: rows were removed.
    case truncated(ledgerHead: UInt64, anchored: UInt64)
    /// The anchored row is there but is not the row that was anchored.
    case rewritten(sequence: UInt64)

    public var problem: String? {
        switch self {
        case .consistent: nil
        case .truncated(let head, let anchored):
            "the ledger ends at row \(head), but its anchor names row \(anchored): rows were removed from the end (or its WAL was deleted)"
        case .rewritten(let sequence):
            "row \(sequence) is not the row the anchor names: the ledger was rewritten"
        }
    }
}

extension AnchorCheck {
    /// `head` against `anchor`; `hash(sequence)` reads one row's hash.
    static func compare(head: LedgerHead, anchor: LedgerAnchor, hash: (UInt64) throws(LedgerError) -> [UInt8]?) throws(LedgerError) -> AnchorCheck {
        guard head.sequence >= anchor.head.sequence else {
            return .truncated(ledgerHead: head.sequence, anchored: anchor.head.sequence)
        }
        guard anchor.head.sequence > 0 else { return .consistent }
        return try hash(anchor.head.sequence) == anchor.head.hash ? .consistent : .rewritten(sequence: anchor.head.sequence)
    }
}

extension Ledger {
    /// Compares this ledger with `anchor` (whose tag the caller has checked).
    public func check(against anchor: LedgerAnchor) throws(LedgerError) -> AnchorCheck {
        try AnchorCheck.compare(head: head(), anchor: anchor) { sequence throws(LedgerError) in try events(from: sequence, limit: 1).first?.hash }
    }
}

extension LedgerFileReader {
    /// Compares the file with `anchor`, offline. The anchor's tag cannot be
    /// checked without the agent key; the daemon checks it at start.
    public func check(against anchor: LedgerAnchor) throws(LedgerError) -> AnchorCheck {
        try AnchorCheck.compare(head: head(), anchor: anchor) { sequence throws(LedgerError) in try events(from: sequence, limit: 1).first?.hash }
    }
}
