/// Addresses of the programs the decoders understand, plus a few more that
/// are worth naming when they appear as opaque calls.
public enum ProgramIds {
    static func key(_ s: String) -> PublicKey {
        // These literals are fixed and checked by the tests; a typo is a bug
        // that must fail loudly at first use, not a runtime input error.
        guard let k = PublicKey(base58: s) else { preconditionFailure("bad program id literal \(s)") }
        return k
    }

    public static let system = key("11111111111111111111111111111111")
    public static let token = key("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    public static let token2022 = key("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
    public static let associatedToken = key("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
    public static let computeBudget = key("ComputeBudget111111111111111111111111111111")
    public static let memo = key("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
    public static let memoV1 = key("Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo")
    public static let addressLookupTable = key("AddressLookupTab1e1111111111111111111111111")
    public static let squadsV4 = key("SQDS4ep65T869zMMBKyuUq6aD6EgTu8psMjkvj52pCf")
    public static let stake = key("Stake11111111111111111111111111111111111111")
    public static let vote = key("Vote111111111111111111111111111111111111111")
    public static let bpfLoaderUpgradeable = key("BPFLoaderUpgradeab1e11111111111111111111111")
    public static let ed25519 = key("Ed25519SigVerify111111111111111111111111111")
    public static let secp256k1 = key("KeccakSecp256k11111111111111111111111111111")
    public static let secp256r1 = key("Secp256r1SigVerify1111111111111111111111111")
    public static let nativeMint = key("So11111111111111111111111111111111111111112")
    public static let sysvarRecentBlockhashes = key("SysvarRecentB1ockHashes11111111111111111111")
    public static let sysvarRent = key("SysvarRent111111111111111111111111111111111")

    /// Human names for opaque calls and for the JSON output.
    public static let names: [PublicKey: String] = [
        system: "system", token: "spl-token", token2022: "spl-token-2022",
        associatedToken: "spl-associated-token-account", computeBudget: "compute-budget",
        memo: "spl-memo", memoV1: "spl-memo-v1", addressLookupTable: "address-lookup-table",
        squadsV4: "squads-v4", stake: "stake", vote: "vote",
        bpfLoaderUpgradeable: "bpf-loader-upgradeable", ed25519: "ed25519-sig-verify",
        secp256k1: "secp256k1-sig-verify", secp256r1: "secp256r1-sig-verify",
    ]
}
