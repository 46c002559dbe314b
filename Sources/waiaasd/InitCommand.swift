import ArgumentParser
import Foundation
import WaiaasCustody
import WaiaasDaemon
import WaiaasSolana

/// `waiaasd init`: seal a new agent key in HOME and name its owners.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a daemon home: a sealed agent key and the owners who authorise its policy.")

    enum KEKSource: String, ExpressibleByArgument {
        case devFile = "dev-file"
        case passphrase
    }

    @Option(help: "The daemon's home directory.")
    var home: String = "./.waiaas"

    @Option(help: "Where the key-encryption key comes from: dev-file (a 0600 file beside the keystore) or passphrase (Argon2id).")
    var kek: KEKSource = .devFile

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
        if kek == .passphrase, passphraseFD == nil, passphraseEnv == nil {
            throw ValidationError("--kek passphrase needs --passphrase-fd or --passphrase-env")
        }
    }

    func run() throws {
        try Hardening.disableCoreDumps()
        let source: KeyEncryptionKey
        switch kek {
        case .devFile:
            source = .devFile(home: home)
        case .passphrase:
            if let fd = passphraseFD {
                source = .passphrase(try Passphrase.read(fileDescriptor: fd))
            } else {
                source = .passphrase(try Passphrase.read(environmentVariable: passphraseEnv!))
            }
        }
        do {
            let signer = try HomeSetup.initialize(HomeSetup.Options(
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
