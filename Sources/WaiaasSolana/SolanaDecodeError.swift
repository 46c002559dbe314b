/// The one error type of the Solana codec. `code` is a stable, machine-readable
/// identifier (policy reasons and tests match on it); `offset` names the byte
/// where decoding stopped, when the failure has a position in the input.
public struct SolanaDecodeError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let offset: Int?
    public let detail: String

    public init(_ code: String, offset: Int? = nil, _ detail: String) {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        if let offset {
            return "\(code) at byte \(offset): \(detail)"
        }
        return "\(code): \(detail)"
    }
}

extension SolanaDecodeError {
    // Codes used in more than one place, kept here so they cannot drift apart.
    static func truncated(at offset: Int, needed: Int, _ what: String) -> SolanaDecodeError {
        SolanaDecodeError("truncated", offset: offset, "input ends while reading \(what) (\(needed) more byte(s) needed)")
    }
}
