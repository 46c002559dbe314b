#if canImport(Glibc)
import Glibc
#endif

/// Why the socket could not be put in place, in the package's one error
/// style (docs/ARCHITECTURE.md, "Errors").
public struct SocketPlacementError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The path does not fit `sockaddr_un.sun_path`.
        public static let pathTooLong = Code(rawValue: "path_too_long")
        /// The directory or the socket could be reached or swapped by
        /// others: a symbolic link, another owner, group or world writable,
        /// or not a directory.
        public static let unsafePlace = Code(rawValue: "unsafe_place")
        /// Something already occupies the path: a live daemon, or a file
        /// that is not a socket.
        public static let occupied = Code(rawValue: "occupied")
        /// A system call failed (errno in the message).
        public static let io = Code(rawValue: "io")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Puts the socket where only the daemon's user (and an optional group) can
/// reach it, the way OpenSSH's agent does: the directory is created 0700
/// (0750 with a group), a directory that others can write to is refused (they
/// could swap the socket), a live daemon on the same path is never displaced,
/// and a stale socket file from a crash is replaced.
enum SocketPlacement {
    /// `sockaddr_un.sun_path` holds 108 bytes including the terminating NUL.
    static let maximumPathLength = 107

    static func prepare(socketPath: String, group: UInt32?) throws(SocketPlacementError) {
        guard socketPath.utf8.count <= maximumPathLength else {
            throw SocketPlacementError(.pathTooLong, "socket path is \(socketPath.utf8.count) bytes; Unix sockets allow at most \(maximumPathLength): \(socketPath)")
        }
        let directory = parentDirectory(of: socketPath)
        try ensureDirectory(directory, group: group)
        try checkDirectory(directory, group: group)
        try clearStaleSocket(socketPath)
    }

    /// Sets the socket file's mode (and group) after bind.
    static func secureSocketFile(_ socketPath: String, group: UInt32?) throws(SocketPlacementError) {
        if let group, chown(socketPath, uid_t.max, gid_t(group)) != 0 {
            throw SocketPlacementError(.io, "cannot give socket \(socketPath) to group \(group): \(errnoText())")
        }
        let mode: mode_t = group == nil ? 0o600 : 0o660
        guard chmod(socketPath, mode) == 0 else {
            throw SocketPlacementError(.io, "cannot set mode of socket \(socketPath): \(errnoText())")
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func ensureDirectory(_ directory: String, group: UInt32?) throws(SocketPlacementError) {
        var info = stat()
        if lstat(directory, &info) == 0 { return }
        guard errno == ENOENT else {
            throw SocketPlacementError(.io, "cannot inspect socket directory \(directory): \(errnoText())")
        }
        let grandparent = parentDirectory(of: directory)
        if grandparent != directory {
            var parentInfo = stat()
            if lstat(grandparent, &parentInfo) != 0 {
                // Intermediate directories get the same tight mode.
                try ensureDirectory(grandparent, group: group)
            }
        }
        let mode: mode_t = group == nil ? 0o700 : 0o750
        guard mkdir(directory, mode) == 0 || errno == EEXIST else {
            throw SocketPlacementError(.io, "cannot create socket directory \(directory): \(errnoText())")
        }
        // mkdir honours the umask; set the exact mode.
        _ = chmod(directory, mode)
        if let group {
            _ = chown(directory, uid_t.max, gid_t(group))
        }
    }

    private static func checkDirectory(_ directory: String, group: UInt32?) throws(SocketPlacementError) {
        var info = stat()
        // lstat: a link named as the directory could point anywhere later.
        guard lstat(directory, &info) == 0 else {
            throw SocketPlacementError(.io, "cannot inspect socket directory \(directory): \(errnoText())")
        }
        guard (info.st_mode & S_IFMT) != S_IFLNK else {
            throw SocketPlacementError(.unsafePlace, "socket directory \(directory) is a symbolic link; refusing to follow it")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SocketPlacementError(.unsafePlace, "socket directory \(directory) is not a directory")
        }
        let euid = geteuid()
        guard info.st_uid == euid || info.st_uid == 0 else {
            throw SocketPlacementError(.unsafePlace, "socket directory \(directory) belongs to uid \(info.st_uid), not to this daemon's uid \(euid)")
        }
        let mode = info.st_mode & 0o7777
        if mode & 0o002 != 0 {
            // Even a sticky directory (/tmp) is refused: others could place a
            // socket there first and receive the agent's requests.
            throw SocketPlacementError(.unsafePlace, "socket directory \(directory) is writable by others (mode \(String(mode, radix: 8))); refusing to start: use a directory only this user can write")
        }
        if mode & 0o020 != 0, group == nil || info.st_gid != gid_t(group!) {
            throw SocketPlacementError(.unsafePlace, "socket directory \(directory) is writable by its group (mode \(String(mode, radix: 8))) and no socket group is configured; refusing to start")
        }
    }

    private static func clearStaleSocket(_ socketPath: String) throws(SocketPlacementError) {
        var info = stat()
        guard lstat(socketPath, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw SocketPlacementError(.occupied, "\(socketPath) exists and is not a socket; refusing to replace it")
        }
        if isListening(socketPath) {
            throw SocketPlacementError(.occupied, "another daemon is listening on \(socketPath); refusing to start a second one")
        }
        guard unlink(socketPath) == 0 || errno == ENOENT else {
            throw SocketPlacementError(.io, "cannot remove stale socket \(socketPath): \(errnoText())")
        }
    }

    /// True when something accepts connections on the socket at `path`.
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maximumPathLength else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
