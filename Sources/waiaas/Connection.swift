import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasRPCClient

/// Options every command that talks to the daemon shares.
struct SocketOptions: ParsableArguments {
    @Option(help: "The daemon's socket (default: $WAIAAS_SOCKET, else HOME/waiaasd.sock).")
    var socket: String?

    @Option(help: "The daemon's home directory, used to find its socket.")
    var home: String = "./.waiaas"

    var socketPath: String {
        HomeLayout(home).socketPath(flag: socket, environment: ProcessInfo.processInfo.environment)
    }
}

extension SocketOptions {
    /// Connects to the daemon, runs `body` with the client, and closes the
    /// connection on every path. A daemon that cannot be reached, and any
    /// error of `body` that is not already a `CLIFailure` (an RPC failure the
    /// command does not handle itself), is `waiaas: <error>`, exit 3.
    func withClient<T>(_ body: (WalletClient) async throws -> T) async throws(CLIFailure) -> T {
        let client: WalletClient
        do {
            client = try await WalletClient.connect(socketPath: socketPath)
        } catch {
            throw CLIFailure(.daemon, "\(error)")
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch let failure as CLIFailure {
            await client.close()
            throw failure
        } catch {
            await client.close()
            throw CLIFailure(.daemon, "\(error)")
        }
    }
}
