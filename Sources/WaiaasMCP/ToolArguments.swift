import MCP

/// A tool call's arguments as the host sent them: untrusted, read by name
/// with a precise message for each thing wrong. Names a tool does not take
/// are refused rather than ignored, so a model that guesses `lamports` for
/// `amount` learns it instead of sending something else.
struct ToolArguments {
    private let values: [String: Value]

    init(_ values: [String: Value]?, accepted: Set<String>) throws(ToolInputError) {
        let values = values ?? [:]
        if let unknown = values.keys.sorted().first(where: { !accepted.contains($0) }) {
            throw ToolInputError("unknown argument \"\(unknown)\"; this tool takes \(accepted.sorted().joined(separator: ", "))", code: .unknownArgument)
        }
        self.values = values
    }

    func string(_ name: String) throws(ToolInputError) -> String {
        guard let text = try optionalString(name) else { throw ToolInputError("\"\(name)\" is required", code: .missingArgument) }
        return text
    }

    func optionalString(_ name: String) throws(ToolInputError) -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw ToolInputError("\"\(name)\" must be a string") }
        return text
    }

    func bool(_ name: String, default fallback: Bool) throws(ToolInputError) -> Bool {
        guard let value = values[name], !value.isNull else { return fallback }
        guard let flag = value.boolValue else { throw ToolInputError("\"\(name)\" must be true or false") }
        return flag
    }

    func unsigned(_ name: String, in range: ClosedRange<UInt64>) throws(ToolInputError) -> UInt64? {
        guard let value = values[name], !value.isNull else { return nil }
        let number: UInt64?
        switch value {
        case .int(let int): number = int >= 0 ? UInt64(int) : nil
        case .double(let double): number = double >= 0 && double < 1.8e19 && double == double.rounded() ? UInt64(double) : nil
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw ToolInputError("\"\(name)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The raw value, for arguments that take a string or an object.
    func value(_ name: String) -> Value? {
        guard let value = values[name], !value.isNull else { return nil }
        return value
    }
}

/// Arguments that cannot make a request: nothing reached the daemon.
struct ToolInputError: Error {
    struct Code: RawRepresentable, Hashable, Sendable {
        let rawValue: String
        init(rawValue: String) { self.rawValue = rawValue }

        /// A name the tool does not take.
        static let unknownArgument = Code(rawValue: "unknown_argument")
        /// A required argument is absent.
        static let missingArgument = Code(rawValue: "missing_argument")
        /// Present, but of the wrong type or value (the message says which).
        static let invalidValue = Code(rawValue: "invalid_value")
    }

    let code: Code
    let message: String
    init(_ message: String, code: Code = .invalidValue) {
        self.code = code
        self.message = message
    }
}
