import Foundation
import WaiaasAttestation
import WaiaasSolana

/// Printing of verification results, as text or JSON.
enum AttestOutput {
    /// Prints the facts and every check, and exits 1 if any check failed.
    static func finish(_ result: VerificationResult, facts: [(String, JSONValue)], json: Bool, at time: Date) throws(CLIFailure) {
        if json {
            let checks = result.checks.map { JSONValue.object([("name", .string($0.name)), ("passed", .bool($0.passed)), ("detail", .string($0.detail))]) }
            print(JSONValue.object([
                ("verified", .bool(result.passed)),
                ("at", .string(ISO8601DateFormatter().string(from: time))),
                ("failed", .array(result.failedCheckNames.map(JSONValue.string))),
                ("checks", .array(checks)),
                ("facts", .object(facts)),
            ]).serialized())
        } else {
            for (name, value) in facts { print("\(name): \(value.plain)") }
            if !facts.isEmpty { print("") }
            for check in result.checks { print(check) }
            print("")
            if result.passed {
                print("verified at \(ISO8601DateFormatter().string(from: time)): all \(result.checks.count) checks passed")
            } else {
                print("NOT VERIFIED: \(result.failures.count) of \(result.checks.count) checks failed: \(result.failedCheckNames.joined(separator: ", "))")
            }
        }
        if !result.passed { throw .quiet(.failed) }
    }
}
