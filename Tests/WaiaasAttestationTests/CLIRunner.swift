import Foundation
import XCTest

/// Runs the `waiaas` executable SwiftPM built next to the test bundle.
enum CLI {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `waiaas` binary SwiftPM built next to this test bundle.
    static func waiaas() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("waiaas") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("the waiaas executable is not next to the test bundle (\(directory.path)); build it with swift build --build-tests")
            throw CocoaError(.fileNoSuchFile)
        }
        return binary
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try waiaas()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["WAIAAS_SOCKET"] = nil
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
