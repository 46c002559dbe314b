#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum LedgerFile {
    /// Creates the ledger file with mode 0600 when it does not exist, before
    /// SQLite opens it: SQLite would create it with the umask's mode, and the
    /// WAL and shared-memory files it adds later copy the database's mode.
    /// O_EXCL also refuses to follow a symbolic link planted at the path.
    static func createIfMissing(_ path: String) throws(LedgerError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let error = errno
        if error == EEXIST { return }
        throw LedgerError(.storage, "cannot create \(path): \(String(cString: strerror(error)))")
    }

    /// A read-only connection to an existing file. Checked first because
    /// SQLite's own message for a missing file ("unable to open database
    /// file") does not say which problem it is.
    static func openExistingReadOnly(_ path: String) throws -> SQLiteConnection {
        guard access(path, R_OK) == 0 else {
            throw LedgerError(.storage, "\(path): \(String(cString: strerror(errno)))")
        }
        return try SQLiteConnection(path: path, mode: .readOnly)
    }
}
