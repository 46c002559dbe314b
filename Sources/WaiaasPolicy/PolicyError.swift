/// The one error of the policy module, in the package's one error style
/// (docs/ARCHITECTURE.md, "Errors"): an extensible code, a message, and
/// where in the policy the problem is. Nothing an owner wrote is silently
/// dropped, and a policy is refused whole: a rule is never partly applied.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The policy file is not JSON.
        public static let notJSON = Code(rawValue: "policy_not_json")
        /// A key is unknown or repeated, a value of the wrong type, an
        /// amount or period that does not read (`path` says where).
        public static let invalidField = Code(rawValue: "policy_invalid_field")
        /// The policy reads but cannot be put in force: every problem found
        /// is in `problems` (the wire answers one `invalid_policy` reason each).
        public static let invalidPolicy = Code(rawValue: "invalid_policy")
    }

    public var code: Code
    public var message: String
    /// Where in the policy JSON (`$.assets[0].per_transaction`), for `invalidField`.
    public var path: String?
    /// Every problem found, for `invalidPolicy`.
    public var problems: [String]

    public init(_ code: Code, _ message: String, path: String? = nil, problems: [String] = []) {
        self.code = code
        self.message = message
        self.path = path
        self.problems = problems
    }

    /// A policy that reads but cannot be put in force, for these reasons.
    public static func invalidPolicy(_ problems: [String]) -> PolicyError {
        PolicyError(.invalidPolicy, "invalid policy: " + problems.joined(separator: "; "), problems: problems)
    }

    /// A field of the policy JSON that does not read.
    static func field(_ path: String, _ message: String) -> PolicyError {
        PolicyError(.invalidField, message, path: path)
    }

    public var description: String {
        guard let path else { return message }
        return "\(path): \(message)"
    }
}
