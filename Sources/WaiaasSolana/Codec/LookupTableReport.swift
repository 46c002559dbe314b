/// What the chain says about the lookup tables a transaction refers to, as
/// the daemon's RPC endpoints agreed on it: the tables' addresses where
/// they could be verified, and a problem for every table that could not.
/// The caller's own claim of a table's contents is never part of it.
public struct LookupTableReport: Sendable, Equatable {
    /// Verified contents: each table's addresses from index 0, at least
    /// as far as the transaction's highest index into it.
    public var tables: [PublicKey: [PublicKey]]
    public var problems: [LookupTableProblem]

    public init(tables: [PublicKey: [PublicKey]] = [:], problems: [LookupTableProblem] = []) {
        self.tables = tables
        self.problems = problems
    }
}

public struct LookupTableProblem: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// No account, or one the Address Lookup Table program does not own, or not a table's layout.
        case notFound
        /// The table has been deactivated: it is on its way to being closed.
        case deactivated
        /// The transaction reads an index the table does not have.
        case indexOutOfRange
        /// The caller's copy of the table differs from the chain's.
        case mismatch
        /// The endpoints gave different answers.
        case disagreement
        /// An endpoint could not be asked or gave no usable answer.
        case unavailable
    }

    public var kind: Kind
    public var table: PublicKey
    public var detail: String

    public init(_ kind: Kind, table: PublicKey, _ detail: String) {
        self.kind = kind
        self.table = table
        self.detail = detail
    }
}
