import NIOConcurrencyHelpers
import NIOCore
import WaiaasProto
import WaiaasRPC

/// What the daemon knows about itself that the wallet does not: version,
/// uptime and the RPC server's live counters. Keys, policy and ledger head
/// are read from `WalletCore` when GetStatus asks, never copied here.
public final class DaemonState: Sendable {
    public static let version = "0.1.0"

    private let started = NIODeadline.now()
    private let metricsSource = NIOLockedValueBox<ServerMetrics?>(nil)

    public init() {}

    /// Connects the live connection and call counters of the RPC server.
    public func attach(metrics: ServerMetrics) {
        metricsSource.withLockedValue { $0 = metrics }
    }

    public func status() -> GetStatusResponse {
        let metrics = metricsSource.withLockedValue { $0 }
        let uptime = (NIODeadline.now() - started).nanoseconds / 1_000_000
        return GetStatusResponse(
            version: Self.version,
            uptimeMilliseconds: UInt64(max(0, uptime)),
            connections: UInt32(clamping: metrics?.openConnections ?? 0),
            platform: "software",
            callsInFlight: UInt32(clamping: metrics?.callsInFlight ?? 0)
        )
    }
}
