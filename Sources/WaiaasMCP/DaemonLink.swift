import WaiaasRPCClient

/// The MCP server's one connection to the daemon, made on the first tool
/// call (an MCP host starts its servers before the wallet may be running)
/// and made again after the daemon went away. No call is retried here: a
/// tool that failed says so, and the model decides.
actor DaemonLink {
    let socketPath: String
    private var client: WalletClient?

    init(socketPath: String) { self.socketPath = socketPath }

    /// Runs `body` with a connected client. A daemon that cannot be reached,
    /// or a connection that broke during the call, is UNAVAILABLE with the
    /// socket's path; the next call connects again.
    func call<T: Sendable>(_ body: (WalletClient) async throws(RPCError) -> T) async throws(RPCError) -> T {
        let client: WalletClient
        if let connected = self.client {
            client = connected
        } else {
            do {
                client = try await WalletClient.connect(socketPath: socketPath)
            } catch {
                throw RPCError(.unavailable, "the wallet daemon is not reachable at \(socketPath) (is `waiaasd serve` running?): \(error)")
            }
            self.client = client
        }
        do {
            return try await body(client)
        } catch {
            if error.code == .unavailable {
                self.client = nil
                await client.close()
            }
            throw error
        }
    }

    func close() async {
        await client?.close()
        client = nil
    }
}
