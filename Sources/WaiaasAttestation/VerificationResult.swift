/// One named check of a verification and how it went.
public struct VerificationCheck: Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable, e.g. `report.signature` or `nitro.pcr0`.
    public let name: String
    public let passed: Bool
    /// A sentence for people. Never contains secrets: reports and documents
    /// hold only public data, and values are shown as hex at most.
    public let detail: String

    public init(name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }

    public var description: String { "\(passed ? "ok  " : "FAIL") \(name): \(detail)" }
}

/// Every check a verifier ran, in order. Verification passes only when at
/// least one check ran and none failed, so an empty result never passes.
public struct VerificationResult: Sendable, Equatable {
    public private(set) var checks: [VerificationCheck] = []

    public init(checks: [VerificationCheck] = []) { self.checks = checks }

    public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    public var failures: [VerificationCheck] { checks.filter { !$0.passed } }
    public var failedCheckNames: [String] { failures.map(\.name) }

    public func check(named name: String) -> VerificationCheck? { checks.first { $0.name == name } }

    mutating func pass(_ name: String, _ detail: String) {
        checks.append(VerificationCheck(name: name, passed: true, detail: detail))
    }

    mutating func fail(_ name: String, _ detail: String) {
        checks.append(VerificationCheck(name: name, passed: false, detail: detail))
    }

    mutating func record(_ name: String, _ passed: Bool, _ detail: String) {
        checks.append(VerificationCheck(name: name, passed: passed, detail: detail))
    }

    /// Checks that could not run because an earlier one failed still count
    /// as failures, so a broken document never looks like a partial success.
    mutating func notEvaluated(_ names: [String], because reason: String) {
        for name in names { fail(name, "not evaluated: \(reason)") }
    }

    mutating func append(contentsOf other: VerificationResult) { checks += other.checks }
}
