/// The one error of the daemon's set-up (its home, configuration and
/// process), in the package's one error style (docs/ARCHITECTURE.md,
/// "Errors"): an extensible code, and a sentence that says what to do.
/// `waiaasd` prints the message and exits; none of these reach a client
/// (calls answer `RPCError`, mapped in Wallet/RPCStatusMapping.swift).
public struct DaemonError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// config.json is missing, unreadable, or names an invalid owner set.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// `waiaasd init` could not make the home (it exists, or a write failed).
        public static let homeSetup = Code(rawValue: "home_setup")
        /// A file in the home is not the one sealed at init (its tag does
        /// not match), or the tag could not be written.
        public static let homeIntegrity = Code(rawValue: "home_integrity")
        /// A process protection (no core dumps, not dumpable) could not be taken.
        public static let hardening = Code(rawValue: "hardening")
        /// The configured Squads multisig cannot be used (unreadable, not
        /// Squads v4's, or the agent is not a member).
        public static let multisig = Code(rawValue: "multisig")
        /// The shutdown signal handlers could not be installed.
        public static let signals = Code(rawValue: "signals")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
