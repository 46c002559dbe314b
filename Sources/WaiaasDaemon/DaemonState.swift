import NIOConcurrencyHelpers
import NIOCore
import WaiaasProto
import WaiaasRPC

/// What the daemon knows about itself, for GetStatus (and later Attest).
public final class DaemonState: Sendable {
    public static let version = "0.1.0"

    private let started = NIODeadline.now()
    private let metricsSource = NIOLockedValueBox<ServerMetrics?>(nil)
    private let identity: NIOLockedValueBox<Identity>

    /// Keys and policy, as far as they exist.
    public struct Identity: Sendable {
        public var agentPublicKey: [UInt8] = []
        public var ownerPublicKeys: [[UInt8]] = []
        public var ownerThreshold: UInt32 = 0
        public var policyVersion: UInt64 = 0
        public var policyHash: [UInt8] = []
        public var ledgerSequence: UInt64 = 0
        public init() {}
    }

    public init(identity: Identity = Identity()) {
        self.identity = NIOLockedValueBox(identity)
    }

    /// Connects the live connection and call counters of the RPC server.
    public func attach(metrics: ServerMetrics) {
        metricsSource.withLockedValue { $0 = metrics }
    }

    public func update(_ change: (inout Identity) -> Void) {
        identity.withLockedValue { change(&$0) }
    }

    public func status() -> GetStatusResponse {
        let identity = identity.withLockedValue { $0 }
        let metrics = metricsSource.withLockedValue { $0 }
        let uptime = (NIODeadline.now() - started).nanoseconds / 1_000_000
        return GetStatusResponse(
            version: Self.version,
            uptimeMilliseconds: UInt64(max(0, uptime)),
            connections: UInt32(clamping: metrics?.openConnections ?? 0),
            agentPublicKey: identity.agentPublicKey,
            policyVersion: identity.policyVersion,
            policyHash: identity.policyHash,
            ledgerSequence: identity.ledgerSequence,
            platform: "software",
            callsInFlight: UInt32(clamping: metrics?.callsInFlight ?? 0),
            ownerPublicKeys: identity.ownerPublicKeys,
            ownerThreshold: identity.ownerThreshold
        )
    }
}
