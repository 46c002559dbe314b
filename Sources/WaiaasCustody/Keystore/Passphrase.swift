#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSodium

/// Where a keystore passphrase may come from. Never a command-line argument:
/// argv is visible to every user through /proc/PID/cmdline and ps.
public enum Passphrase {
    public static let maximumLength = 1024

    /// Reads the passphrase from an open descriptor (a pipe, or a file the
    /// caller opened) until end of file, straight into guarded memory. One
    /// final "\n" or "\r\n" is removed, so `echo secret |` works. The
    /// descriptor is not closed. A terminal needs an end of file (Ctrl-D).
    public static func read(fileDescriptor fd: Int32) throws(KeystoreError) -> SecureBytes {
        // Two spare bytes: room for a trailing CR LF after a maximum-length passphrase.
        let staging = try SecureBytes(count: maximumLength + 3)
        let total = try staging.withUnsafeMutableBytes { buffer throws(KeystoreError) -> Int in
            var done = 0
            while done < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw KeystoreError(.io, "cannot read the passphrase from descriptor \(fd): \(FileAccess.errnoText())")
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        let length = staging.withUnsafeBytes { trimmedLength($0, total) }
        guard total < staging.count, length <= maximumLength else {
            throw KeystoreError(.invalidPassphrase, "the passphrase on descriptor \(fd) is longer than \(maximumLength) bytes")
        }
        guard length > 0 else { throw KeystoreError(.invalidPassphrase, "the passphrase on descriptor \(fd) is empty") }
        return try staging.copy(0..<length)
    }

    /// Reads the passphrase from environment variable `name`, then wipes the
    /// value in place and unsets the variable, so neither child processes nor
    /// /proc/PID/environ (which shows the original environment block) see it.
    /// Like every getenv/unsetenv user, call it before starting threads.
    public static func read(environmentVariable name: String) throws(KeystoreError) -> SecureBytes {
        guard let value = getenv(name) else {
            throw KeystoreError(.invalidPassphrase, "environment variable \(name) is not set")
        }
        let length = strlen(value)
        defer {
            sodium_memzero(value, length)
            unsetenv(name)
        }
        guard length > 0 else { throw KeystoreError(.invalidPassphrase, "environment variable \(name) is empty") }
        guard length <= maximumLength else {
            throw KeystoreError(.invalidPassphrase, "environment variable \(name) is longer than \(maximumLength) bytes")
        }
        let passphrase = try SecureBytes(count: length)
        passphrase.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: value, count: length)) }
        return passphrase
    }

    /// `total` without one trailing "\n" or "\r\n".
    private static func trimmedLength(_ bytes: UnsafeRawBufferPointer, _ total: Int) -> Int {
        var length = total
        if length > 0, bytes[length - 1] == UInt8(ascii: "\n") {
            length -= 1
            if length > 0, bytes[length - 1] == UInt8(ascii: "\r") { length -= 1 }
        }
        return length
    }
}
