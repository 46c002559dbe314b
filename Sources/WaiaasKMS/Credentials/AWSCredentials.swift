public import WaiaasCustody

/// An access key, its secret in guarded memory, and a session token for
/// temporary credentials. Only the access key id is ever printed.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: SecureBytes
    public var sessionToken: String?
    /// Where they came from: "environment", "shared credentials file (profile P)", "instance metadata".
    public var source: String

    public init(accessKeyID: String, secretAccessKey: SecureBytes, sessionToken: String? = nil, source: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    public var description: String { "AWSCredentials(\(accessKeyID), from \(source))" }
}
