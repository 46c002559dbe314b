import Foundation
import Logging
import WaiaasAttestation
import WaiaasChain
import WaiaasCustody
import WaiaasLedger
import WaiaasSolana

/// Opens an initialised home: configuration, agent key, ledger, wallet.
public enum DaemonRuntime {
    public struct Opened {
        public var config: DaemonConfig
        public var core: WalletCore
        /// Keeps `ledger.head` up with the ledger; close it last, on shutdown.
        public var anchor: LedgerAnchorWriter
    }

    /// `passphraseFD` is used for a passphrase keystore when given; otherwise
    /// the environment variable the configuration names. The home must pass
    /// `HomeTrust` and its configuration and ledger must match their tags
    /// (`HomeIntegrity`); `resealHome` re-tags them as they are now.
    /// `chain` is the operator's RPC endpoints; nil runs the daemon offline.
    /// `multisig` is `serve --multisig`; it must be the home's own when the
    /// home records one (config.json is sealed, a flag is not). `kms` says
    /// where KMS is for an `aws-kms` keystore; its data key is asked for
    /// with a Recipient when `/dev/nsm` exists (a Nitro enclave).
    public static func open(
        home: String, passphraseFD: Int32?, logger: Logger, resealHome: Bool = false, chain: ChainQuorum? = nil, multisig: PublicKey? = nil,
        kms: KMSKeyEncryption.Settings = .init()
    ) async throws -> Opened {
        try HomeTrust.check(HomeLayout(home))
        let (config, configBytes) = try DaemonConfig.load(home: home)
        if let flag = multisig, let recorded = config.multisigKey, flag != recorded {
            throw DaemonError(.invalidConfiguration, "--multisig \(flag.base58) is not the multisig this home records (\(recorded.base58))")
        }
        let kek: KeyEncryptionKey
        switch config.kek {
        case .passphrase:
            if let fd = passphraseFD {
                kek = .passphrase(try Passphrase.read(fileDescriptor: fd))
            } else if let name = config.passphraseEnv {
                kek = .passphrase(try Passphrase.read(environmentVariable: name))
            } else {
                throw DaemonError(.invalidConfiguration, "the keystore is sealed with a passphrase: give --passphrase-fd or set passphrase_env in config.json")
            }
        case .devFile:
            kek = .devFile(home: home)
        case .awsKMS:
            // The keystore is checked against the home's trust rules before any KMS call.
            kek = try await KMSKeyEncryption.unseal(home: home, settings: kms, nitro: NitroSecureModule.isAvailable ? NitroSecureModule() : nil)
        }
        let signer = try Keystore.open(home: home, kek: kek)
        let authenticator = try HomeAuthenticator(signer: signer)
        if resealHome {
            logger.notice("--reseal-home: the configuration and the ledger head are tagged as they are now", metadata: ["owners": "\(config.owners)"])
            try HomeIntegrity.writeConfigTag(home: home, configBytes: configBytes, authenticator: authenticator)
        }
        try HomeIntegrity.verifyConfig(home: home, configBytes: configBytes, authenticator: authenticator)
        let ledger = try Ledger.open(path: HomeLayout(home).ledger)
        let anchor = try HomeIntegrity.anchor(ledger: ledger, at: HomeLayout(home).ledgerAnchor, authenticator: authenticator, reseal: resealHome)
        let core = try WalletCore(
            signer: signer, ledger: ledger, owners: config.ownerKeys, ownerThreshold: config.ownerThreshold,
            configurationBytes: configBytes, logger: logger, chain: chain, multisig: multisig ?? config.multisigKey)
        return Opened(config: config, core: core, anchor: anchor)
    }
}
