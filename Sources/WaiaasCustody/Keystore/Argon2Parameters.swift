internal import CSodium

/// Argon2id (version 1.3, libsodium crypto_pwhash ALG_ARGON2ID13) cost
/// parameters for deriving a key-encryption key from a passphrase.
public struct Argon2Parameters: Sendable, Equatable {
    /// Passes over memory.
    public var opsLimit: UInt64
    /// Bytes of memory.
    public var memLimit: Int

    public init(opsLimit: UInt64, memLimit: Int) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// libsodium's interactive level (2 passes, 64 MiB): well under a second.
    public static let interactive = Argon2Parameters(
        opsLimit: UInt64(crypto_pwhash_argon2id_opslimit_interactive()),
        memLimit: crypto_pwhash_argon2id_memlimit_interactive())

    /// libsodium's moderate level (3 passes, 256 MiB).
    public static let moderate = Argon2Parameters(
        opsLimit: UInt64(crypto_pwhash_argon2id_opslimit_moderate()),
        memLimit: crypto_pwhash_argon2id_memlimit_moderate())

    /// Upper bounds for what `open` accepts from a keystore header. The
    /// header is read before anything is authenticated, so without a cap an
    /// edited file could make the daemon try to allocate terabytes or spin
    /// for hours before reporting the edit.
    static let maximumOpsLimit: UInt64 = 32
    static let maximumMemLimit = 4 << 30

    var isAcceptable: Bool {
        opsLimit >= UInt64(crypto_pwhash_argon2id_opslimit_min()) && opsLimit <= Self.maximumOpsLimit
            && memLimit >= crypto_pwhash_argon2id_memlimit_min() && memLimit <= Self.maximumMemLimit
    }
}
