import Foundation
import WaiaasSolana

/// The root a Nitro document's chain must end in, and the SHA-256 of its
/// DER that the document's `cabundle[0]` must match.
public struct NitroTrustAnchor: Sendable, Equatable {
    public let rootDER: [UInt8]
    public let fingerprintSHA256: [UInt8]

    public init(rootDER: [UInt8], fingerprintSHA256: [UInt8]) {
        self.rootDER = rootDER
        self.fingerprintSHA256 = fingerprintSHA256
    }

    /// A self-made root for tests or private PKIs: the pin is its own hash.
    public init(rootDER: [UInt8]) {
        self.init(rootDER: rootDER, fingerprintSHA256: Digest.sha256(rootDER))
    }

    /// The AWS Nitro Enclaves root (CN=aws.nitro-enclaves, P-384, 2019 to
    /// 2049), from AWS_NitroEnclaves_Root-G1.zip. Embedded rather than
    /// fetched, so verification never depends on the network; the pin below
    /// is AWS's published fingerprint and a test checks that they agree.
    public static let awsNitroEnclavesRootG1 = NitroTrustAnchor(
        rootDER: [UInt8](Data(base64Encoded: awsRootG1Base64)!),
        fingerprintSHA256: Hex.decode("641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b")!
    )

    private static let awsRootG1Base64 =
        "MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTEL"
        + "MAkGA1UEBhMCVVMxDzANBgNVBAoMBkFtYXpvbjEMMAoGA1UECwwDQVdTMRswGQYD"
        + "VQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4"
        + "MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQL"
        + "DANBV1MxGzAZBgNVBAMMEmF3cy5uaXRyby1lbmNsYXZlczB2MBAGByqGSM49AgEG"
        + "BSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb"
        + "48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZE"
        + "h8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkF"
        + "R+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC"
        + "MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPW"
        + "rfMCMQCi85sWBbJwKKXdS6BptQFuZbT73o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6N"
        + "IwLz3/Y="
}
