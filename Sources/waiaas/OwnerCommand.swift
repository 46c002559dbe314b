import ArgumentParser
import WaiaasCustody
import WaiaasSolana

/// `waiaas owner`: the owner's local key, for development and offline
/// signing. In production the owner key lives in KMS or with a person.
struct OwnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner",
        abstract: "Create or inspect a local owner key (solana-keygen JSON format).",
        subcommands: [Keygen.self, PublicKeyCommand.self]
    )

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Generate an ed25519 owner key into a new file (mode 0600) and print its public key.",
            discussion: "The file is solana-keygen's format, so solana-keygen and Solana wallets read it. An existing file is never overwritten."
        )

        @Option(name: .customLong("out"), help: "The key file to create.")
        var out: String

        func run() throws {
            let publicKey: [UInt8]
            do {
                publicKey = try SolanaKeypairFile.generate(path: out)
            } catch {
                throw CLIFailure(.failed, "owner keygen: \(error)")
            }
            print(Base58.encode(publicKey))
        }
    }

    struct PublicKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pubkey",
            abstract: "Print the public key (the owner address for `waiaasd init --owner-pubkey`) of an owner key file or KMS key, after checking it.",
            discussion: "For --kms-key, GetPublicKey's DER SubjectPublicKeyInfo is parsed strictly, and the key must be ECC_NIST_EDWARDS25519 for SIGN_VERIFY.")

        @Option(name: .customLong("key"), help: "The owner key file.")
        var key: String?

        @Option(name: .customLong("kms-key"), help: "The owner's AWS KMS key: id, ARN or alias.")
        var kmsKey: String?

        @OptionGroup var kms: KMSOptions

        func validate() throws {
            guard (key == nil) != (kmsKey == nil) else { throw ValidationError("give exactly one of --key FILE and --kms-key KEY_ID") }
        }

        func run() async throws {
            if let kmsKey {
                print(try await kms.ownerKey(kmsKey).publicKey.base58)
                return
            }
            let owner: OwnerKey
            do {
                owner = try OwnerKey.load(path: key!)
            } catch {
                throw CLIFailure(.failed, "owner pubkey: \(error)")
            }
            print(owner.publicKey.base58)
        }
    }
}
