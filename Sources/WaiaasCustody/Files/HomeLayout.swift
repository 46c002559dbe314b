/// Where everything lives in a daemon's home. The daemon, `waiaasd init` and
/// the CLI all reach a home's files through this type, so each name is
/// spelled here once (docs/ARCHITECTURE.md lists what each file holds).
public struct HomeLayout: Sendable, Equatable {
    /// The home directory, without a trailing slash.
    public let path: String

    public init(_ path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The sealed agent key.
    public var keystore: String { file("keystore.json") }
    /// The development key-encryption key (dev homes only).
    public var devKEK: String { file("kek-dev.key") }
    /// The development owner keypair (dev homes only).
    public var devOwnerKey: String { file("owner-dev.json") }
    /// Owners, threshold and KEK kind, as `waiaasd init` wrote them.
    public var config: String { file("config.json") }
    /// config.json's tag under a key from the agent's seed.
    public var configTag: String { file("config.tag") }
    /// The hash-chained ledger (SQLite, WAL mode: `-wal` and `-shm` beside it).
    public var ledger: String { file("ledger.sqlite") }
    /// The ledger's head, anchored outside the ledger file.
    public var ledgerAnchor: String { file("ledger.head") }
    /// The default socket.
    public var socket: String { file("waiaasd.sock") }

    /// Every file whose mode and owner are checked before the home is read.
    public var trustedFiles: [String] {
        [config, configTag, keystore, devKEK, devOwnerKey, ledger, ledger + "-wal", ledger + "-shm", ledgerAnchor]
    }

    /// The socket a client or the daemon uses: the flag, else
    /// `$WAIAAS_SOCKET`, else HOME/waiaasd.sock.
    public func socketPath(flag: String?, environment: [String: String]) -> String {
        if let flag { return flag }
        if let fromEnvironment = environment["WAIAAS_SOCKET"], !fromEnvironment.isEmpty { return fromEnvironment }
        return socket
    }

    private func file(_ name: String) -> String { (path == "/" ? "" : path) + "/" + name }
}
