/// Why a question to the chain has no answer the daemon can act on. One
/// error for the module, as swift-certificates' `CertificateError` is: a
/// stable code to match on and a sentence for the person reading it. No
/// message ever carries an endpoint's full URL (providers put API keys in
/// the path or query), only its `scheme://host:port`.
public struct ChainError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No endpoint is configured: the daemon is offline.
        public static let notConfigured = Code(rawValue: "rpc_not_configured")
        /// The request never got an HTTP answer (refused, reset, timed out).
        public static let transport = Code(rawValue: "rpc_transport")
        /// An HTTP answer other than 200.
        public static let httpStatus = Code(rawValue: "rpc_http_status")
        /// The node answered with a JSON-RPC error object.
        public static let rpcError = Code(rawValue: "rpc_error")
        /// The answer is not the JSON-RPC the method promises.
        public static let malformed = Code(rawValue: "rpc_malformed")
        /// The account the question is about is not a lookup table (wrong
        /// owner, or bytes that are not the program's `LookupTable` state).
        public static let notLookupTable = Code(rawValue: "not_lookup_table")
        /// No account exists at the address the question is about.
        public static let accountNotFound = Code(rawValue: "account_not_found")
        /// The account is not a Squads v4 account of the type asked for
        /// (another owner, or bytes that do not decode as one).
        public static let notSquadsAccount = Code(rawValue: "not_squads_account")
        /// The configured endpoints gave different answers to the same question.
        public static let disagreement = Code(rawValue: "rpc_disagreement")
    }

    public var code: Code
    public var message: String
    /// The JSON-RPC error code, for `rpcError`.
    public var rpcCode: Int64?
    /// True when no request reached the node or no answer came back at all
    /// (refused, reset, closed): the only failures a call retries.
    var retryable = false

    public init(_ code: Code, _ message: String, rpcCode: Int64? = nil) {
        self.code = code
        self.message = message
        self.rpcCode = rpcCode
    }

    init(_ code: Code, _ message: String, retryable: Bool) {
        self.init(code, message)
        self.retryable = retryable
    }

    public var description: String { "\(code): \(message)" }
}
