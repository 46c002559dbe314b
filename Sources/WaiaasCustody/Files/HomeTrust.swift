#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the daemon trusts in its home, checked the way OpenSSH's StrictModes
/// checks ~/.ssh: the home and every file in it that decides trust must be
/// owned by this user, writable by no one else, and not a symbolic link.
/// Whoever else could write them could name their own owner key or swap the
/// ledger, so such a home is refused before anything in it is read.
public enum HomeTrust {
    /// Checks the home and each of its trusted files that exists.
    public static func check(_ home: HomeLayout) throws(KeystoreError) {
        try checkEntry(home.path, directory: true)
        for path in home.trustedFiles {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if errno == ENOENT { continue }
                throw KeystoreError(.io, "cannot inspect \(path): \(String(cString: strerror(errno)))")
            }
            try checkEntry(path, directory: false)
        }
    }

    /// A whole file of at most `limit` bytes, opened without following a
    /// link and checked on the open descriptor (so it cannot be swapped
    /// between check and read).
    public static func read(_ path: String, limit: Int) throws(KeystoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw KeystoreError(.untrustedFile, "\(path) is a symbolic link; refusing to follow it") }
            throw KeystoreError(.io, "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw KeystoreError(.io, "cannot stat \(path): \(String(cString: strerror(errno)))") }
        try judge(info, path: path, directory: false)
        guard Int(info.st_size) <= limit else { throw KeystoreError(.tooLarge, "\(path) is \(info.st_size) bytes, more than \(limit)") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return Array(bytes[0..<done])
    }

    private static func checkEntry(_ path: String, directory: Bool) throws(KeystoreError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw KeystoreError(.io, "cannot inspect \(path): \(String(cString: strerror(errno)))")
        }
        try judge(info, path: path, directory: directory)
    }

    private static func judge(_ info: stat, path: String, directory: Bool) throws(KeystoreError) {
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK { throw KeystoreError(.untrustedFile, "\(path) is a symbolic link; the home and its files must be real") }
        if directory, type != S_IFDIR { throw KeystoreError(.untrustedFile, "\(path) is not a directory") }
        if !directory, type != S_IFREG { throw KeystoreError(.untrustedFile, "\(path) is not a regular file") }
        guard info.st_uid == geteuid() else {
            throw KeystoreError(.weakPermissions, "\(path) is owned by uid \(info.st_uid), not by this user (uid \(geteuid()))")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            throw KeystoreError(.weakPermissions, "\(path) is writable by group or others (mode 0\(String(mode, radix: 8))); chmod go-w it")
        }
    }
}
