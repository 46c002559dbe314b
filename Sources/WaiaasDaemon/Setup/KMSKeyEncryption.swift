import WaiaasAttestation
import WaiaasCustody
import WaiaasKMS
import WaiaasSolana

/// The agent keystore's key-encryption key held by AWS KMS
/// (`waiaasd init --kek aws-kms:KEY_ID`): at init a fresh AES-256 data key
/// from GenerateDataKey seals the seed and only KMS's sealed copy is
/// stored; at every start Decrypt gives it back. Inside a Nitro enclave
/// Decrypt names the enclave as its Recipient, so the plaintext data key
/// never leaves KMS in the clear: it comes back as a CMS envelope only the
/// enclave's ephemeral RSA key opens.
public enum KMSKeyEncryption {
    /// `--kms-region` and `--kms-endpoint`; nil takes the environment's.
    public struct Settings: Sendable {
        public var region: String?
        public var endpoint: String?

        public init(region: String? = nil, endpoint: String? = nil) {
            self.region = region
            self.endpoint = endpoint
        }
    }

    /// Binds every data key to the agent it seals: KMS refuses to Decrypt
    /// it under any other context, so a keystore's sealed data key cannot
    /// be moved under another keystore's header and opened there. Also
    /// shows in CloudTrail, naming which agent's key was unsealed.
    static func encryptionContext(agent: PublicKey) -> [(String, String)] {
        [("waiaas:agent", agent.base58), ("waiaas:purpose", "agent-keystore-kek")]
    }

    /// A new data key for `agent`'s keystore, after checking that `keyID` is
    /// an enabled symmetric encryption key. Nothing is written here.
    public static func generate(keyID: String, agent: PublicKey, settings: Settings) async throws(KMSError) -> KMSDataKey {
        guard KMSDataKey.isAcceptableKeyID(keyID) else {
            throw KMSError(.invalidArgument, "\"\(keyID.prefix(64))\" is not a KMS key id, ARN or alias")
        }
        let client = try await KMSClient.connect(region: settings.region, endpoint: settings.endpoint)
        return try await client.run { (kms: KMSClient) throws(KMSError) in
            try checkUsable(kms, keyID: keyID)
            let dataKey = try kms.generateDataKey(keyID: keyID, context: encryptionContext(agent: agent))
            return KMSDataKey(keyID: keyID, encryptedDataKey: dataKey.ciphertextBlob, plaintext: dataKey.plaintext)
        }
    }

    /// The data key of the keystore in `home`, from KMS. `nitro` is the
    /// enclave's NSM (nil outside one): with it, Decrypt carries a Recipient.
    public static func unseal(home: String, settings: Settings, nitro: NitroAttesting?) async throws -> KeyEncryptionKey {
        _ = try keystoreReference(home: home)  // the keystore's kind, before KMS is even reached
        let client = try await KMSClient.connect(region: settings.region, endpoint: settings.endpoint)
        return try await unseal(home: home, service: client, nitro: nitro, makeRecipient: { () throws(KMSError) in try RecipientKey() })
    }

    static func keystoreReference(home: String) throws -> (keyID: String, encryptedDataKey: [UInt8], agent: PublicKey) {
        guard let reference = try Keystore.kmsDataKeyReference(home: home) else {
            throw DaemonError(.invalidConfiguration, "config.json says aws-kms but the keystore is sealed with a \(try Keystore.kekKind(home: home)) key")
        }
        return reference
    }

    /// The start-up steps with the KMS calls and the recipient key given, so
    /// tests can stand in for KMS and the enclave.
    static func unseal(
        home: String, service: some DataKeyService, nitro: NitroAttesting?, makeRecipient: @escaping @Sendable () throws(KMSError) -> RecipientKey
    ) async throws -> KeyEncryptionKey {
        let reference = try keystoreReference(home: home)
        let plaintext = try await KMSClient.onOwnThread { () throws(KMSError) -> SecureBytes in
            try checkUsable(service, keyID: reference.keyID)
            let context = encryptionContext(agent: reference.agent)
            guard let nitro else {
                guard case .plaintext(let key) = try service.decrypt(keyID: reference.keyID, ciphertextBlob: reference.encryptedDataKey, context: context, recipient: nil) else {
                    throw KMSError(.malformed, "Decrypt without a Recipient answered with an envelope")
                }
                return key
            }
            let recipient = try makeRecipient()
            let document: [UInt8]
            do {
                document = try nitro.attestation(userData: nil, nonce: nil, publicKey: recipient.subjectPublicKeyInfo)
            } catch {
                throw KMSError(.envelope, "the Nitro Secure Module gave no attestation document for the KMS Recipient: \(error)")
            }
            guard case .envelope(let envelope) = try service.decrypt(
                keyID: reference.keyID, ciphertextBlob: reference.encryptedDataKey, context: context,
                recipient: KMSClient.Recipient(attestationDocument: document))
            else {
                throw KMSError(.malformed, "Decrypt with a Recipient answered in the clear")
            }
            return try recipient.open(envelope: envelope, expectedCount: 32)
        }
        return .kmsDataKey(KMSDataKey(keyID: reference.keyID, encryptedDataKey: reference.encryptedDataKey, plaintext: plaintext))
    }

    /// DescribeKey first: real KMS refuses a disabled key itself, but the
    /// answer then depends on the operation, and not every KMS-compatible
    /// service refuses at all. The state, spec and usage are checked here.
    static func checkUsable(_ kms: some DataKeyService, keyID: String) throws(KMSError) {
        let metadata = try kms.describeKey(keyID: keyID)
        guard metadata.keyState == "Enabled" else {
            throw KMSError(.refused, "KMS key \(metadata.keyID) is \(metadata.keyState.isEmpty ? "not enabled" : metadata.keyState) (KeyState); the agent key stays sealed until it is enabled")
        }
        guard metadata.keyUsage.isEmpty || metadata.keyUsage == "ENCRYPT_DECRYPT" else {
            throw KMSError(.wrongKey, "KMS key \(metadata.keyID) has KeyUsage \(metadata.keyUsage), not ENCRYPT_DECRYPT")
        }
        guard metadata.keySpec.isEmpty || metadata.keySpec == "SYMMETRIC_DEFAULT" else {
            throw KMSError(.wrongKey, "KMS key \(metadata.keyID) has KeySpec \(metadata.keySpec), not SYMMETRIC_DEFAULT")
        }
    }
}

/// The KMS calls a keystore's start needs: `KMSClient`, or a test's stand-in.
protocol DataKeyService: Sendable {
    func describeKey(keyID: String) throws(KMSError) -> KMSClient.KeyMetadata
    func decrypt(keyID: String, ciphertextBlob: [UInt8], context: [(String, String)], recipient: KMSClient.Recipient?) throws(KMSError) -> KMSClient.Decrypted
}

extension KMSClient: DataKeyService {}
