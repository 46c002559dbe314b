import Foundation
import WaiaasCustody
import WaiaasLedger
import WaiaasPolicy
import WaiaasProto
import WaiaasSolana

/// `waiaasd init` and the `--dev` embedded default: a home with a sealed
/// agent keystore, a configuration naming the owners, and a ledger.
public enum HomeSetup {

    /// What seals the agent key: a key at hand, or a KMS key that makes one
    /// once the agent key exists (the data key is bound to the agent's address).
    public enum KEKSource: Sendable {
        case key(KeyEncryptionKey)
        case awsKMS(keyID: String, settings: KMSKeyEncryption.Settings)

        var kind: KEKKind {
            switch self {
            case .key(let key): key.kekKind
            case .awsKMS: .awsKMS
            }
        }
    }

    public struct Options {
        public var home: String
        public var kek: KEKSource
        public var passphraseEnv: String?
        public var importKeypair: String?
        public var owners: [PublicKey]
        public var ownerThreshold: Int
        public var dev: Bool

        /// The Squads v4 multisig the agent proposes to, recorded in config.json.
        public var multisig: PublicKey?

        public init(home: String, kek: KEKSource, passphraseEnv: String? = nil, importKeypair: String? = nil, owners: [PublicKey],
                    ownerThreshold: Int, dev: Bool = false, multisig: PublicKey? = nil) {
            self.multisig = multisig
            self.home = home
            self.kek = kek
            self.passphraseEnv = passphraseEnv
            self.importKeypair = importKeypair
            self.owners = owners
            self.ownerThreshold = ownerThreshold
            self.dev = dev
        }
    }

    /// Creates the keystore and the configuration; refuses an existing home's
    /// keystore. Every check and every KMS call comes before the first file
    /// is written, so a refusal leaves nothing behind.
    @discardableResult
    public static func initialize(_ options: Options) async throws -> AgentSigner {
        let config = DaemonConfig(
            owners: options.owners.map(\.base58), ownerThreshold: options.ownerThreshold, kek: options.kek.kind,
            passphraseEnv: options.passphraseEnv, dev: options.dev, multisig: options.multisig?.base58)
        do {
            try config.validate()
        } catch {
            throw DaemonError(.homeSetup, error.description)
        }
        if FileManager.default.fileExists(atPath: HomeLayout(options.home).keystore) {
            throw DaemonError(.homeSetup, "\(options.home) already has a keystore; refusing to overwrite it")
        }
        let seed: SecureBytes
        if let path = options.importKeypair {
            seed = try SolanaKeypairFile.read(path: path).seed
        } else {
            seed = try SecureBytes.random(count: Ed25519.seedCount)
        }
        let kek: KeyEncryptionKey
        switch options.kek {
        case .key(let key):
            kek = key
        case .awsKMS(let keyID, let settings):
            let agent = try AgentSigner(seed: seed).publicKey
            kek = .kmsDataKey(try await KMSKeyEncryption.generate(keyID: keyID, agent: agent, settings: settings))
        }
        let signer = try Keystore.create(home: options.home, kek: kek, importing: seed)
        try config.write(home: options.home)
        let (_, configBytes) = try DaemonConfig.load(home: options.home)
        try HomeIntegrity.writeConfigTag(home: options.home, configBytes: configBytes, authenticator: try HomeAuthenticator(signer: signer))
        return signer
    }

    /// The starter policy of a development home: small SOL limits (0.1 SOL
    /// per transaction, 1 SOL per 24 h), the default program set, no
    /// destination list, and Propose's defaults written out (10 proposals an
    /// hour, the default programs, 0.05 SOL each) so the section shows.
    public static func starterPolicy() -> Policy {
        Policy(
            format: 1, name: "development starter policy",
            assets: [AssetRule(mint: [], symbol: "SOL", decimals: 9, perTransaction: Amount(value: 100_000_000),
                               windows: [WindowLimit(seconds: 86_400, amount: 1_000_000_000)])],
            programs: ProgramRule(includeDefaults: true),
            propose: ProposeRule(rate: ProposeRules.defaultRate, programs: ProgramRule(includeDefaults: true),
                                 maxLamports: Amount(value: ProposeRules.defaultMaxLamports)))
    }

    /// What `waiaasd serve --dev` prints about a development home.
    public struct DevSummary {
        public var created: Bool
        public var agent: PublicKey
        public var owner: PublicKey
    }

    /// Makes HOME a development home when it has no keystore yet: a dev-file
    /// keystore, a development owner key beside it (never in production: the
    /// owner key must not live on the daemon's host), and the starter policy
    /// signed with it as version 1 in the ledger.
    public static func ensureDevHome(_ home: String) async throws -> DevSummary {
        let ownerPath = HomeLayout(home).devOwnerKey
        if FileManager.default.fileExists(atPath: HomeLayout(home).keystore) {
            let agent = try Keystore.publicKey(home: home)
            let owner = (try? OwnerKey.load(path: ownerPath))?.publicKey ?? PublicKey.zero
            return DevSummary(created: false, agent: agent, owner: owner)
        }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ownerBytes = try SolanaKeypairFile.generate(path: ownerPath)
        let owner = PublicKey(bytes: ownerBytes)!
        let signer = try await initialize(Options(home: home, kek: .key(.devFile(home: home)), owners: [owner], ownerThreshold: 1, dev: true))
        let agent = signer.publicKey
        let ownerKey = try OwnerKey.load(path: ownerPath)
        let policyBytes = starterPolicy().serializedBytes()
        let request = SetPolicyRequest(
            policy: policyBytes, version: 1,
            signatures: [OwnerSignature(publicKey: ownerBytes, signature: ownerKey.sign(PolicySigning.message(agent: agent, version: 1, policy: policyBytes)))],
            agentPublicKey: agent.bytes)
        let ledger = try Ledger.open(path: HomeLayout(home).ledger)
        defer { ledger.close() }
        let entry = LedgerEntry(
            kind: .policySet, timeUnixMilliseconds: WalletCore.systemMilliseconds(), request: request.serializedBytes(),
            messageDigest: [], decision: "policy_set", reasons: [LedgerReason(code: "policy_set", message: "development starter policy, version 1")],
            outflows: [], signature: [], policyVersion: 1, clientReference: "")
        let head = try await ledger.append([entry])[0]
        let authenticator = try HomeAuthenticator(signer: signer)
        let anchored = WaiaasLedger.LedgerHead(sequence: head.sequence, hash: head.hash)
        try LedgerAnchor(head: anchored, tag: authenticator.tag(.ledgerAnchor, LedgerAnchor.taggedBytes(anchored))).write(path: HomeLayout(home).ledgerAnchor)
        return DevSummary(created: true, agent: agent, owner: owner)
    }
}

