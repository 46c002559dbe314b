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
}
