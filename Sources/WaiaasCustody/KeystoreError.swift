/// Every failure of this module. Messages name files, lengths and reasons,
/// never secret material (no key, seed, passphrase or plaintext byte).
public struct KeystoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let notFound = Code(rawValue: "not_found")
        public static let alreadyExists = Code(rawValue: "already_exists")
        /// Authentication failed: a wrong passphrase or dev key, or the sealed
        /// part was modified (AEAD cannot tell these apart, by design).
        public static let wrongKey = Code(rawValue: "wrong_key")
        public static let truncated = Code(rawValue: "truncated")
        /// The file is well formed but its contents contradict themselves
        /// (for example the sealed key is not the key named in the header).
        public static let tampered = Code(rawValue: "tampered")
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
        /// A secret file is readable or writable by group or others, or not owned by us.
        public static let weakPermissions = Code(rawValue: "weak_permissions")
        public static let io = Code(rawValue: "io")
        /// A file in the home is a symbolic link, or not the kind of file it
        /// must be (a directory, a regular file).
        public static let untrustedFile = Code(rawValue: "untrusted_file")
        /// A file is larger than anything of its kind can be.
        public static let tooLarge = Code(rawValue: "too_large")
        /// A key file to import (solana-keygen JSON) is malformed or inconsistent.
        public static let invalidImport = Code(rawValue: "invalid_import")
        /// A passphrase is empty, too long, or missing from its source.
        public static let invalidPassphrase = Code(rawValue: "invalid_passphrase")
        /// sodium_malloc could not allocate guarded memory.
        public static let secureMemory = Code(rawValue: "secure_memory")
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
