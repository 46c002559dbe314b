/// Every failure of this module. Messages name the operation, the AWS error
/// type and what AWS said, never a credential, a data key or a plaintext.
public struct KMSError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No region from `--kms-region`, `AWS_REGION` or `AWS_DEFAULT_REGION`.
        public static let noRegion = Code(rawValue: "kms_no_region")
        /// No credentials in the environment, the shared file or the instance metadata service.
        public static let noCredentials = Code(rawValue: "kms_no_credentials")
        /// The endpoint could not be reached, or did not answer in time.
        public static let transport = Code(rawValue: "kms_transport")
        /// KMS answered with an AWS error; `awsType` names it.
        public static let refused = Code(rawValue: "kms_refused")
        /// The answer is not what the operation returns (not JSON, a field missing or the wrong size).
        public static let malformed = Code(rawValue: "kms_malformed")
        /// A key is not what it must be: not ED25519 for signing, not SIGN_VERIFY.
        public static let wrongKey = Code(rawValue: "kms_wrong_key")
        /// A signature KMS returned does not verify under the key's public key.
        public static let badSignature = Code(rawValue: "kms_bad_signature")
        /// The CMS envelope for the enclave's recipient key could not be opened.
        public static let envelope = Code(rawValue: "kms_envelope")
        /// An argument is out of range (an empty or oversized message, an invalid endpoint).
        public static let invalidArgument = Code(rawValue: "kms_invalid_argument")
        /// Guarded memory could not be allocated.
        public static let secureMemory = Code(rawValue: "kms_secure_memory")
    }

    public let code: Code
    public let message: String
    /// The AWS error type (`__type`, without namespace or URL) when KMS refused.
    public let awsType: String?
    /// True for throttling, KMS's retryable server errors, and a connection that was never made.
    public let isRetryable: Bool

    public init(_ code: Code, _ message: String, awsType: String? = nil, retryable: Bool = false) {
        self.code = code
        self.message = message
        self.awsType = awsType
        self.isRetryable = retryable
    }

    public var description: String {
        if let awsType { return "\(code.rawValue): \(awsType): \(message)" }
        return "\(code.rawValue): \(message)"
    }

    /// Errors compare by code only, so tests and callers can match on the kind.
    public static func == (a: KMSError, b: KMSError) -> Bool { a.code == b.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
