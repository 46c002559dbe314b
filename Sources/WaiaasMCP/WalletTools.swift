import Foundation
import MCP
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// Runs one tool call: reads its arguments, makes the daemon calls, and
/// shapes the answer. Every path ends in a result the model can read; none
/// throws to the SDK, so a host never sees a protocol error for a refusal.
struct WalletTools: Sendable {
    let link: DaemonLink

    func call(_ name: String, _ arguments: [String: Value]?) async -> CallTool.Result {
        guard let tool = WalletTool(rawValue: name) else {
            return ToolResult.invalid(ToolInputError("no tool \"\(name)\"; the tools are \(WalletTool.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        do {
            let input = try ToolArguments(arguments, accepted: tool.accepted)
            return try await run(tool, input)
        } catch let error as ToolInputError {
            return ToolResult.invalid(error)
        } catch let error as RPCError {
            return ToolResult.refusal(error)
        } catch {
            return ToolResult.failure([("decision", .string("error")), ("message", .string("\(error)"))])
        }
    }

    private func run(_ tool: WalletTool, _ input: ToolArguments) async throws -> CallTool.Result {
        switch tool {
        case .walletStatus: try await walletStatus()
        case .getBalances: try await balances()
        case .explainPolicy: try await explainPolicy()
        case .proposalStatus: try await proposalStatus(input)
        case .attest: try await attest(input)
        case .transfer: try await transfer(input)
        case .signTransaction: try await signTransaction(input)
        case .signMessage: try await signMessage(input)
        case .propose: try await propose(input)
        case .payX402: try await payX402(input)
        case .freeze: try await freeze(input)
        }
    }
}

/// Shorthands the tools' answers share (amounts as decimal strings in the
/// asset's units beside the exact base units).
extension JSONValue {
    static func integer<Integer: BinaryInteger>(_ value: Integer) -> JSONValue {
        value < 0 ? .int(Int64(value)) : .uint(UInt64(value))
    }

    static func base58(_ bytes: [UInt8]) -> JSONValue { .string(Base58.encode(bytes)) }

    static func base64(_ bytes: [UInt8]) -> JSONValue { .string(Data(bytes).base64EncodedString()) }
}
