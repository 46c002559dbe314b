import Foundation
import Logging
import WaiaasCustody
import WaiaasLedger
import WaiaasSolana

/// Opens an initialised home: configuration, agent key, ledger, wallet.
public enum DaemonRuntime {
    public struct Opened {
        public var config: DaemonConfig
        public var core: WalletCore
    }

    /// `passphraseFD` is used for a passphrase keystore when given; otherwise
    /// the environment variable the configuration names.
    public static func open(home: String, passphraseFD: Int32?, logger: Logger) throws -> Opened {
        let (config, configBytes) = try DaemonConfig.load(home: home)
        let kek: KeyEncryptionKey
        switch config.kek {
        case "passphrase":
            if let fd = passphraseFD {
                kek = .passphrase(try Passphrase.read(fileDescriptor: fd))
            } else if let name = config.passphraseEnv {
                kek = .passphrase(try Passphrase.read(environmentVariable: name))
            } else {
                throw DaemonConfig.Invalid(description: "the keystore is sealed with a passphrase: give --passphrase-fd or set passphrase_env in config.json")
            }
        default:
            kek = .devFile(home: home)
        }
        let signer = try Keystore.open(home: home, kek: kek)
        let ledger = try Ledger.open(path: home + "/" + HomeSetup.ledgerFileName)
        let core = try WalletCore(
            signer: signer, ledger: ledger, owners: config.ownerKeys, ownerThreshold: config.ownerThreshold,
            configurationBytes: configBytes, logger: logger)
        return Opened(config: config, core: core)
    }
}
