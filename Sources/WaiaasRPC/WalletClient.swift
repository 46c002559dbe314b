import WaiaasProto

/// A typed client for `service waiaas.v1.Wallet` over `RPCClient`.
public struct WalletClient: Sendable {
    public let rpc: RPCClient

    public init(rpc: RPCClient) { self.rpc = rpc }

    public static func connect(socketPath: String) async throws -> WalletClient {
        WalletClient(rpc: try await RPCClient.connect(socketPath: socketPath))
    }

    public func getStatus(_ request: GetStatusRequest = GetStatusRequest(), timeout: Duration = .seconds(30)) async throws -> GetStatusResponse {
        try await call(.getStatus, request, timeout: timeout)
    }

    public func sign(_ request: SignRequest, timeout: Duration = .seconds(30)) async throws -> SignResponse {
        try await call(.sign, request, timeout: timeout)
    }

    public func propose(_ request: ProposeRequest, timeout: Duration = .seconds(30)) async throws -> ProposeResponse {
        try await call(.propose, request, timeout: timeout)
    }

    public func setPolicy(_ request: SetPolicyRequest, timeout: Duration = .seconds(30)) async throws -> SetPolicyResponse {
        try await call(.setPolicy, request, timeout: timeout)
    }

    public func attest(_ request: AttestRequest, timeout: Duration = .seconds(30)) async throws -> AttestResponse {
        try await call(.attest, request, timeout: timeout)
    }

    public func close() async { await rpc.close() }

    private func call<Request: ProtoMessage, Response: ProtoMessage>(_ method: WalletMethod, _ request: Request, timeout: Duration) async throws -> Response {
        let payload = try await rpc.call(method: method.rawValue, payload: request.serializedBytes(), timeout: timeout)
        do {
            return try Response(serializedBytes: payload)
        } catch {
            throw RPCError(.internal, "the daemon's \(Response.protoName) could not be decoded: \(error)")
        }
    }
}
