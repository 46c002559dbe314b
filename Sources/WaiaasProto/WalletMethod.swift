/// The method paths of `service waiaas.v1.Wallet`, in gRPC's naming.
public enum WalletMethod: String, Sendable, CaseIterable {
    case sign = "/waiaas.v1.Wallet/Sign"
    case propose = "/waiaas.v1.Wallet/Propose"
    case setPolicy = "/waiaas.v1.Wallet/SetPolicy"
    case attest = "/waiaas.v1.Wallet/Attest"
    case getStatus = "/waiaas.v1.Wallet/GetStatus"
    case getPolicy = "/waiaas.v1.Wallet/GetPolicy"
}
