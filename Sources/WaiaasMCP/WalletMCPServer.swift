import Logging
import MCP

/// `waiaas mcp`: the wallet's tools for an MCP host, on stdin and stdout.
/// It holds no key and decides nothing: each tool is a call to the
/// daemon's socket, and the daemon's answer goes back verbatim. stdout
/// carries only the protocol; diagnostics go to stderr.
public struct WalletMCPServer: Sendable {
    public static let name = "waiaas"
    let socketPath: String
    let version: String

    public init(socketPath: String, version: String) {
        self.socketPath = socketPath
        self.version = version
    }

    static let instructions = """
        WAIaaS is a Solana wallet whose key the agent never holds: its owner's policy decides what the agent may sign. \
        Check wallet_status for the address, the freeze and the remaining budgets before spending. Amounts are decimal \
        strings in the asset's units ("0.25" SOL). A refusal carries the policy's reasons verbatim: do not retry a refused \
        request unchanged, and freeze the wallet if something is wrong.
        """

    /// Serves until the host closes stdin and every request read is answered.
    public func run() async throws {
        let tools = WalletTools(link: DaemonLink(socketPath: socketPath))
        let server = Server(
            name: Self.name, version: version, title: "WAIaaS agent wallet", instructions: Self.instructions,
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: WalletTool.allCases.map(\.definition))
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            await tools.call(parameters.name, parameters.arguments)
        }
        try await server.start(transport: StdioLineTransport())
        await server.waitUntilCompleted()
        await tools.link.close()
    }
}
