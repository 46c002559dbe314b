#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations custody needs, with the rules that keep secrets
/// safe on disk: symbolic links are never followed, secret files must be
/// private (owner-only mode, owned by us), and new files appear atomically
/// (temporary file, fsync, link into place) and never replace existing ones.
enum FileAccess {
    /// Whether anything (file, directory, dangling link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates directory `path` (mode 0700) when missing; it must be a directory.
    static func ensureDirectory(_ path: String) throws(KeystoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw KeystoreError(.io, "\(path) exists and is not a directory")
            }
            return
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw KeystoreError(.io, "cannot create directory \(path): \(errnoText())")
        }
    }

    /// A whole regular file of at most `limit` bytes, for content that is not
    /// secret itself (in the ordinary heap); `requirePrivate` still refuses it
    /// when group or others have access or another user owns it.
    static func readPublic(_ path: String, limit: Int, requirePrivate: Bool = false) throws(KeystoreError) -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        if requirePrivate { try Self.requirePrivate(fd, path: path) }
        let size = try regularFileSize(fd, path: path, limit: limit)
        var bytes = [UInt8](repeating: 0, count: size)
        let count = try bytes.withMutableBytes { buffer throws(KeystoreError) in
            try readFully(fd, into: buffer, path: path)
        }
        return Array(bytes[0..<count])
    }

    /// A whole private file of at most `limit` bytes, read straight into
    /// guarded memory so the secret never lands in the ordinary heap. Refused
    /// (weakPermissions) when group or others have any access, or when another
    /// user owns it: whoever else can read it already has the secret.
    static func readSecret(_ path: String, limit: Int) throws(KeystoreError) -> SecureBytes {
        let fd = try openForReading(path)
        defer { close(fd) }
        try requirePrivate(fd, path: path)
        let size = try regularFileSize(fd, path: path, limit: limit)
        let staging = try SecureBytes(count: size)
        let count = try staging.withUnsafeMutableBytes { buffer throws(KeystoreError) in
            try readFully(fd, into: buffer, path: path)
        }
        return count == size ? staging : try staging.copy(0..<count)
    }

    /// Writes `bytes` as a new file at `path`, mode 0600. Atomic and
    /// no-clobber: the bytes go to a temporary file in the same directory,
    /// are fsynced, and the file is then hard-linked to `path`, which fails
    /// with EEXIST instead of replacing anything (rename(2) would replace).
    /// Finally the directory is fsynced so the new name survives a crash.
    static func createNew(_ path: String, bytes: UnsafeRawBufferPointer) throws(KeystoreError) {
        let directory = directoryOf(path)
        var template = Array("\(directory)/.\(baseNameOf(path)).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw KeystoreError(.io, "cannot create a temporary file in \(directory): \(errnoText())")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // The temporary name goes in every case; on success `path` keeps the inode.
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            // mkstemp already uses 0600; fchmod states it regardless of the platform.
            guard fchmod(fd, 0o600) == 0 else { throw KeystoreError(.io, "chmod \(temporary): \(errnoText())") }
            try writeFully(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw KeystoreError(.io, "fsync \(temporary): \(errnoText())") }
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw KeystoreError(.alreadyExists, "\(path) already exists; refusing to overwrite it") }
            throw KeystoreError(.io, "cannot create \(path): \(errnoText())")
        }
        try syncDirectory(directory)
    }

    // MARK: helpers

    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseNameOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func openForReading(_ path: String) throws(KeystoreError) -> Int32 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw KeystoreError(.notFound, "\(path) does not exist")
            case ELOOP: throw KeystoreError(.weakPermissions, "\(path) is a symbolic link; refusing to follow it")
            default: throw KeystoreError(.io, "cannot open \(path): \(errnoText(code))")
            }
        }
        return fd
    }

    private static func regularFileSize(_ fd: Int32, path: String, limit: Int) throws(KeystoreError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw KeystoreError(.io, "stat \(path): \(errnoText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw KeystoreError(.io, "\(path) is not a regular file") }
        guard Int(info.st_size) <= limit else {
            throw KeystoreError(.unsupportedFormat, "\(path) is \(info.st_size) bytes, more than the \(limit) expected")
        }
        return Int(info.st_size)
    }

    private static func requirePrivate(_ fd: Int32, path: String) throws(KeystoreError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw KeystoreError(.io, "stat \(path): \(errnoText())") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw KeystoreError(
                .weakPermissions,
                "\(path) is accessible by group or others (mode 0\(String(mode, radix: 8))); chmod 600 it")
        }
        guard info.st_uid == geteuid() else {
            throw KeystoreError(.weakPermissions, "\(path) is owned by uid \(info.st_uid), not by this user")
        }
    }

    /// Reads until the buffer is full or end of file; returns the bytes read.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(KeystoreError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw KeystoreError(.io, "read \(path): \(errnoText())")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    private static func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(KeystoreError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw KeystoreError(.io, "write \(path): \(errnoText())")
            }
            done += n
        }
    }

    private static func syncDirectory(_ directory: String) throws(KeystoreError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw KeystoreError(.io, "open \(directory): \(errnoText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw KeystoreError(.io, "fsync \(directory): \(errnoText())") }
    }
}
