/// Every failure of this module. Messages name files, lengths and reasons,
/// never secret material (no key, seed, passphrase or plaintext byte).
public struct KeystoreError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case alreadyExists = "already_exists"
        /// Authentication failed: a wrong passphrase or dev key, or the sealed
        /// part was modified (AEAD cannot tell these apart, by design).
        case wrongKey = "wrong_key"
        case truncated
        /// The file is well formed but its contents contradict themselves
        /// (for example the sealed key is not the key named in the header).
        case tampered
        case unsupportedFormat = "unsupported_format"
        /// A secret file is readable or writable by group or others, or not owned by us.
        case weakPermissions = "weak_permissions"
        case io
        /// A key file to import (solana-keygen JSON) is malformed or inconsistent.
        case invalidImport = "invalid_import"
        /// A passphrase is empty, too long, or missing from its source.
        case invalidPassphrase = "invalid_passphrase"
        /// sodium_malloc could not allocate guarded memory.
        case secureMemory = "secure_memory"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Errors compare by code only, so tests and callers can match on the kind.
    public static func == (a: KeystoreError, b: KeystoreError) -> Bool { a.code == b.code }
}
