import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasDaemon
import WaiaasSolana

/// `waiaasd init`: seal a new agent key in HOME and name its owners.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a daemon home: a sealed agent key and the owners who authorise its policy.")

    enum KEKSource: ExpressibleByArgument {
        case devFile
        case passphrase
        case awsKMS(keyID: String)

        init?(argument: String) {
            switch argument {
            case "dev-file": self = .devFile
            case "passphrase": self = .passphrase
            default:
                guard argument.hasPrefix("aws-kms:"), KMSDataKey.isAcceptableKeyID(String(argument.dropFirst("aws-kms:".count))) else { return nil }
                self = .awsKMS(keyID: String(argument.dropFirst("aws-kms:".count)))
            }
        }

        var defaultValueDescription: String { "dev-file" }
    }

    @Option(help: "The daemon's home directory.")
    var home: String = "./.waiaas"

    @Option(help: "Where the key-encryption key comes from: dev-file (a 0600 file beside the keystore), passphrase (Argon2id), or aws-kms:KEY_ID (a data key from this KMS key; id, ARN or alias).")
    var kek: KEKSource = .devFile

    @Option(name: .customLong("kms-region"), help: "The AWS region of the KMS key (default: $AWS_REGION, else $AWS_DEFAULT_REGION).")
    var kmsRegion: String?

    @Option(name: .customLong("kms-endpoint"), help: "The KMS endpoint URL (tests, VPC endpoints; default: https://kms.REGION.amazonaws.com).")
    var kmsEndpoint: String?

    @Option(name: .customLong("passphrase-fd"), help: "Read the passphrase from this file descriptor (never from an argument).")
    var passphraseFD: Int32?

    @Option(name: .customLong("passphrase-env"), help: "The environment variable holding the passphrase (at init and at every start).")
    var passphraseEnv: String?

    @Option(name: .customLong("import"), help: "Seal an existing key from a solana-keygen JSON keypair file instead of generating one.")
    var importKeypair: String?

    @Option(name: .customLong("owner-pubkey"), help: "An owner public key, base58 (repeatable).")
    var ownerPubkeys: [String] = []

    @Option(name: .customLong("multisig"), help: "The Squads v4 multisig the agent proposes to (base58), sealed into config.json like the owners.")
    var multisig: String?

    @Option(name: .customLong("owner-threshold"), help: "How many distinct owners must sign a policy.")
    var ownerThreshold: Int = 1

    func validate() throws {
        guard !ownerPubkeys.isEmpty else { throw ValidationError("name at least one --owner-pubkey") }
        for key in ownerPubkeys where PublicKey(base58: key) == nil {
            throw ValidationError("--owner-pubkey \(key) is not a base58 32-byte public key")
        }
        if let multisig, PublicKey(base58: multisig) == nil {
            throw ValidationError("--multisig \(multisig) is not a base58 32-byte address")
        }
        if case .passphrase = kek, passphraseFD == nil, passphraseEnv == nil {
            throw ValidationError("--kek passphrase needs --passphrase-fd or --passphrase-env")
        }
    }

    func run() async throws {
        try Hardening.disableCoreDumps()
        let source: HomeSetup.KEKSource
        switch kek {
        case .devFile:
            source = .key(.devFile(home: home))
        case .passphrase:
            if let fd = passphraseFD {
                source = .key(.passphrase(try Passphrase.read(fileDescriptor: fd)))
            } else {
                source = .key(.passphrase(try Passphrase.read(environmentVariable: passphraseEnv!)))
            }
        case .awsKMS(let keyID):
            source = .awsKMS(keyID: keyID, settings: KMSKeyEncryption.Settings(region: kmsRegion, endpoint: kmsEndpoint))
        }
        do {
            let signer = try await HomeSetup.initialize(HomeSetup.Options(
                home: home, kek: source, passphraseEnv: passphraseEnv, importKeypair: importKeypair,
                owners: ownerPubkeys.compactMap { PublicKey(base58: $0) }, ownerThreshold: ownerThreshold,
                multisig: multisig.flatMap { PublicKey(base58: $0) }))
            print("initialised \(home)")
            print("agent: \(signer.publicKey.base58)")
            print("owners: \(ownerPubkeys.joined(separator: ", ")) (threshold \(ownerThreshold))")
            print("no policy is set yet: every request is denied until the owners sign one (waiaas policy sign / set)")
        } catch {
            FileHandle.standardError.write(Data("waiaasd init: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
