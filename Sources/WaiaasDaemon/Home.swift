#if canImport(Glibc)
import Glibc
#endif

/// The daemon's home directory: keystore, ledger and, by default, the socket.
public struct DaemonHome: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Default socket: `$WAIAAS_SOCKET`, else `HOME/waiaasd.sock`.
    public func defaultSocketPath(environment: [String: String]) -> String {
        if let fromEnvironment = environment["WAIAAS_SOCKET"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return path + "/waiaasd.sock"
    }

    /// Creates the home (mode 0700) when missing.
    public func ensureExists() throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw HomeError(description: "home \(path) exists and is not a directory")
            }
            return
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw HomeError(description: "cannot create home \(path): \(String(cString: strerror(errno)))")
        }
    }

    public struct HomeError: Error, CustomStringConvertible {
        public var description: String
    }
}
