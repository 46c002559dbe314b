import ArgumentParser
import WaiaasMCP

/// `waiaas mcp`: serve the wallet as MCP tools on stdio (docs/AGENTS.md).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve the wallet's tools to an MCP host on stdin/stdout (the daemon must be running; docs/AGENTS.md).")

    @OptionGroup var connection: SocketOptions

    func run() async throws {
        try await WalletMCPServer(socketPath: connection.socketPath, version: "0.1.0").run()
    }
}
