import ArgumentParser
import WaiaasCustody
import WaiaasKMS
import WaiaasSolana

/// Where an owner's signature comes from: a local key file, or an ED25519
/// key in AWS KMS. Every command that signs as an owner (policy, unfreeze)
/// takes these options, so the two sources are spelled the same everywhere.
struct OwnerSignerOptions: ParsableArguments {
    @Option(name: .customLong("owner-key"), help: "The owner's key file (solana-keygen JSON).")
    var ownerKey: String?

    @Option(name: .customLong("owner-kms-key"), help: "The owner's AWS KMS key (ECC_NIST_EDWARDS25519, SIGN_VERIFY): id, ARN or alias.")
    var ownerKMSKey: String?

    @OptionGroup var kms: KMSOptions

    func validate() throws {
        guard (ownerKey == nil) != (ownerKMSKey == nil) else {
            throw ValidationError("give exactly one of --owner-key FILE and --owner-kms-key KEY_ID")
        }
    }

    /// The signer, with its public key already read (and, for KMS, checked).
    func signer() async throws(CLIFailure) -> OwnerSigner {
        if let ownerKey {
            do {
                return .file(try OwnerKey.load(path: ownerKey))
            } catch {
                throw CLIFailure(.input, "\(ownerKey): \(error)")
            }
        }
        let keyID = ownerKMSKey!
        return .kms(try await kms.ownerKey(keyID))
    }
}

/// `--kms-region` and `--kms-endpoint`, as on every command that calls KMS.
struct KMSOptions: ParsableArguments {
    @Option(name: .customLong("kms-region"), help: "The KMS key's AWS region (default: $AWS_REGION, else $AWS_DEFAULT_REGION).")
    var region: String?

    @Option(name: .customLong("kms-endpoint"), help: "The KMS endpoint URL (tests, VPC endpoints; default: https://kms.REGION.amazonaws.com).")
    var endpoint: String?

    /// The KMS owner key `keyID`, its KeySpec, usage and public key checked.
    func ownerKey(_ keyID: String) async throws(CLIFailure) -> KMSOwnerKey {
        do throws(KMSError) {
            let client = try await KMSClient.connect(region: region, endpoint: endpoint)
            return try await client.run { (kms: KMSClient) throws(KMSError) in try KMSOwnerKey(client: kms, keyID: keyID) }
        } catch {
            throw CLIFailure(.failed, "KMS key \(keyID): \(error)")
        }
    }
}

enum OwnerSigner {
    case file(OwnerKey)
    case kms(KMSOwnerKey)

    var publicKey: PublicKey {
        switch self {
        case .file(let key): key.publicKey
        case .kms(let key): key.publicKey
        }
    }

    /// An ed25519 signature by the owner; a KMS one is verified locally
    /// before it is returned (`KMSOwnerKey.sign`), so nothing unverified is written.
    func sign(_ message: [UInt8]) async throws(CLIFailure) -> [UInt8] {
        switch self {
        case .file(let key):
            return key.sign(message)
        case .kms(let key):
            do throws(KMSError) {
                return try await KMSClient.onOwnThread { () throws(KMSError) in try key.sign(message) }
            } catch {
                throw CLIFailure(.failed, "KMS key \(key.keyID): \(error)")
            }
        }
    }
}
