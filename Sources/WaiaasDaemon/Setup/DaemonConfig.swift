import Foundation
import WaiaasCustody
import WaiaasSolana

/// `HOME/config.json`: what `waiaasd init` decided, read at every start.
///
/// ```json
/// {"format": "waiaas-config-v1", "owners": ["<base58>", …], "owner_threshold": 1,
///  "kek": "dev-file" | "passphrase" | "aws-kms", "passphrase_env": "WAIAAS_PASSPHRASE", "dev": false,
///  "multisig": "<base58>"}
/// ```
/// Nothing secret lives here. Its SHA-384 is part of the attested code
/// measurement, so a changed owner set shows in every report.
public struct DaemonConfig: Codable, Sendable, Equatable {
    public static let currentFormat = "waiaas-config-v1"

    public var format: String = currentFormat
    public var owners: [String]
    public var ownerThreshold: Int
    public var kek: KEKKind
    /// For `kek: passphrase`: the environment variable holding the passphrase
    /// when no descriptor is given (`--passphrase-fd`).
    public var passphraseEnv: String?
    /// A development home: the owner key lives beside the daemon.
    public var dev: Bool
    /// The Squads v4 multisig the agent proposes to (docs/SQUADS.md); sealed
    /// by the configuration's tag like the owner set.
    public var multisig: String?

    enum CodingKeys: String, CodingKey {
        case format, owners, kek, dev, multisig
        case ownerThreshold = "owner_threshold"
        case passphraseEnv = "passphrase_env"
    }

    public init(owners: [String], ownerThreshold: Int, kek: KEKKind, passphraseEnv: String? = nil, dev: Bool = false, multisig: String? = nil) {
        self.owners = owners
        self.ownerThreshold = ownerThreshold
        self.kek = kek
        self.passphraseEnv = passphraseEnv
        self.dev = dev
        self.multisig = multisig
    }

    public var ownerKeys: [PublicKey] { owners.compactMap { PublicKey(base58: $0) } }
    public var multisigKey: PublicKey? { multisig.flatMap { PublicKey(base58: $0) } }

    public func validate() throws(DaemonError) {
        guard format == Self.currentFormat else { throw DaemonError(.invalidConfiguration, "config format \(format) is not \(Self.currentFormat)") }
        guard !owners.isEmpty else { throw DaemonError(.invalidConfiguration, "no owner public key configured") }
        for owner in owners where PublicKey(base58: owner) == nil {
            throw DaemonError(.invalidConfiguration, "owner key \(owner) is not a base58 32-byte public key")
        }
        guard Set(owners).count == owners.count else { throw DaemonError(.invalidConfiguration, "an owner key is listed twice") }
        guard (1...owners.count).contains(ownerThreshold) else {
            throw DaemonError(.invalidConfiguration, "owner threshold \(ownerThreshold) must be between 1 and \(owners.count)")
        }
        if let multisig, PublicKey(base58: multisig) == nil {
            throw DaemonError(.invalidConfiguration, "multisig \(multisig) is not a base58 32-byte address")
        }
    }

    public static func load(home: String) throws -> (config: DaemonConfig, bytes: [UInt8]) {
        let path = HomeLayout(home).config
        guard FileManager.default.fileExists(atPath: path) else {
            throw DaemonError(.invalidConfiguration, "no config.json in \(home): run `waiaasd init --home \(home)` first")
        }
        // Not followed through a link, owned by us, writable by no one else.
        let data: Data
        do {
            data = Data(try HomeTrust.read(path, limit: 64 * 1024))
        } catch {
            throw DaemonError(.invalidConfiguration, error.description)
        }
        let config: DaemonConfig
        do {
            config = try JSONDecoder().decode(DaemonConfig.self, from: data)
        } catch {
            throw DaemonError(.invalidConfiguration, "\(path) is not a valid configuration: \(error)")
        }
        try config.validate()
        return (config, Array(data))
    }

    public func write(home: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let path = HomeLayout(home).config
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DaemonError(.invalidConfiguration, "cannot write \(path)")
        }
    }
}
