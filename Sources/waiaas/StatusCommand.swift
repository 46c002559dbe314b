import ArgumentParser
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a running daemon's status.")

    @OptionGroup var connection: SocketOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let status = try await connection.withClient { client in try await client.getStatus(timeout: .seconds(10)) }
        if json {
            print(Self.json(status).serialized())
        } else {
            print("waiaasd \(status.version), up \(status.uptimeMilliseconds / 1000) s")
            print("connections: \(status.connections), calls in flight: \(status.callsInFlight)")
            print("agent: \(status.agentPublicKey.isEmpty ? "(no keystore yet)" : Base58.encode(status.agentPublicKey))")
            print("policy: version \(status.policyVersion), ledger head \(status.ledgerSequence), platform \(status.platform)")
            if let freeze = status.freeze {
                print("FROZEN since ledger #\(freeze.ledgerSequence)\(freeze.automatic ? " (automatic)" : ""): \(freeze.reason)")
            }
        }
    }

    /// GetStatus as JSON; "agent" only once a keystore exists.
    static func json(_ status: GetStatusResponse) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("version", .string(status.version)),
            ("uptime_ms", .integer(status.uptimeMilliseconds)),
            ("connections", .integer(status.connections)),
            ("calls_in_flight", .integer(status.callsInFlight)),
        ]
        if !status.agentPublicKey.isEmpty { fields.append(("agent", .base58(status.agentPublicKey))) }
        fields += [
            ("policy_version", .integer(status.policyVersion)),
            ("policy_hash", .hexString(status.policyHash)),
            ("ledger_sequence", .integer(status.ledgerSequence)),
            ("platform", .string(status.platform)),
            ("owners", .array(status.ownerPublicKeys.map(JSONValue.base58))),
            ("owner_threshold", .integer(status.ownerThreshold)),
            ("frozen", .bool(status.freeze != nil)),
        ]
        if let freeze = status.freeze { fields.append(("freeze", .object(FreezeText.fields(freeze)))) }
        return .object(fields)
    }
}
