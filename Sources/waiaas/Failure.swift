import ArgumentParser
import Foundation

/// A runtime failure of a `waiaas` command. `WaiaasCLI.main` prints it once,
/// as `waiaas: <message>` on stderr, and exits with its status. A failure
/// without a message only sets the exit status: the command has already
/// printed what happened (a JSON error object, a failed verification).
///
/// Usage errors are ArgumentParser's `ValidationError` (exit 64, with the usage).
struct CLIFailure: Error, CustomStringConvertible {
    /// The exit statuses every command uses.
    enum Status: Int32 {
        /// A check failed, the policy refused, or the input is not what it claims.
        case failed = 1
        /// An input could not be read or is not valid.
        case input = 2
        /// The daemon could not be reached, or failed to answer.
        case daemon = 3
    }

    let status: Status
    let message: String?

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    private init(quiet status: Status) {
        self.status = status
        self.message = nil
    }

    /// The command's output already says why; only exit with `status`.
    static func quiet(_ status: Status) -> CLIFailure { CLIFailure(quiet: status) }

    var exitCode: Int32 { status.rawValue }
    var description: String { message ?? "exit \(exitCode)" }

    /// Prints the message, if any, and exits.
    func exit() -> Never {
        if let message { FileHandle.standardError.write(Data("waiaas: \(message)\n".utf8)) }
        Foundation.exit(exitCode)
    }
}
