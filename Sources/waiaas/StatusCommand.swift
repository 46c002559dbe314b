import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

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

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a running daemon's status.")

    @OptionGroup var connection: SocketOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let client: WalletClient
        do {
            client = try await WalletClient.connect(socketPath: connection.socketPath)
        } catch {
            FileHandle.standardError.write(Data("waiaas: \(error)\n".utf8))
            throw ExitCode(3)
        }
        let status: GetStatusResponse
        do {
            status = try await client.getStatus(timeout: .seconds(10))
        } catch {
            await client.close()
            FileHandle.standardError.write(Data("waiaas: \(error)\n".utf8))
            throw ExitCode(3)
        }
        await client.close()
        if json {
            print(StatusJSON(status).render())
        } else {
            print("waiaasd \(status.version), up \(status.uptimeMilliseconds / 1000) s")
            print("connections: \(status.connections), calls in flight: \(status.callsInFlight)")
            print("agent: \(status.agentPublicKey.isEmpty ? "(no keystore yet)" : Base58.encode(status.agentPublicKey))")
            print("policy: version \(status.policyVersion), ledger head \(status.ledgerSequence), platform \(status.platform)")
        }
    }
}

/// GetStatus as JSON, with stable key order.
struct StatusJSON {
    let status: GetStatusResponse
    init(_ status: GetStatusResponse) { self.status = status }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func render() -> String {
        var object: [(String, Any)] = [
            ("version", status.version),
            ("uptime_ms", status.uptimeMilliseconds),
            ("connections", status.connections),
            ("calls_in_flight", status.callsInFlight),
            ("agent", Base58.encode(status.agentPublicKey)),
            ("policy_version", status.policyVersion),
            ("policy_hash", Self.hex(status.policyHash)),
            ("ledger_sequence", status.ledgerSequence),
            ("platform", status.platform),
            ("owners", status.ownerPublicKeys.map(Base58.encode)),
            ("owner_threshold", status.ownerThreshold),
        ]
        if status.agentPublicKey.isEmpty { object.removeAll { $0.0 == "agent" } }
        return JSONText.object(object)
    }
}

/// A small, ordered JSON writer (Foundation's serializer does not keep key order).
enum JSONText {
    static func object(_ pairs: [(String, Any)]) -> String {
        "{" + pairs.map { "\(string($0.0)):\(value($0.1))" }.joined(separator: ",") + "}"
    }

    static func value(_ value: Any) -> String {
        switch value {
        case let text as String: string(text)
        case let flag as Bool: flag ? "true" : "false"
        case let number as any BinaryInteger: "\(number)"
        case let list as [String]: "[" + list.map(string).joined(separator: ",") + "]"
        // An object (ordered pairs) before a plain list: [(String, Any)] also matches [Any].
        case let pairs as [(String, Any)]: object(pairs)
        case let objects as [[(String, Any)]]: "[" + objects.map(object).joined(separator: ",") + "]"
        case let list as [Any]: "[" + list.map { self.value($0) }.joined(separator: ",") + "]"
        default: "null"
        }
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
