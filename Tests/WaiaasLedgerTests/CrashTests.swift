import Foundation
import XCTest

@testable import WaiaasLedger

/// A separate process appends in a loop and prints each sequence once its
/// commit returned; the test SIGKILLs it mid-run (no chance to flush or
/// close) and checks that the file still verifies and holds every row the
/// child acknowledged.
final class CrashTests: XCTestCase {
    func testSIGKILLLosesNothingAcknowledged() throws {
        let stress = try Self.stressBinary()
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        var acknowledged: [UInt64: String] = [:]

        // Three rounds: each child recovers the file the previous one left
        // behind a kill and continues the chain.
        for round in 1...3 {
            let lines = try Self.runAndKill(stress, arguments: ["append", path, "8"], afterLines: 400 * round)
            XCTAssertGreaterThanOrEqual(lines.count, 400, "round \(round): the child acknowledged too little")
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let sequence = UInt64(parts[0]) else {
                    XCTFail("round \(round): unexpected line \(line.debugDescription)")
                    continue
                }
                XCTAssertNil(acknowledged[sequence], "sequence \(sequence) acknowledged twice")
                acknowledged[sequence] = String(parts[1])
            }

            // The offline check first, on the file exactly as the kill left it.
            let verification = try LedgerVerifier.verify(path: path)
            XCTAssertTrue(verification.ok, "round \(round): \(verification.problem ?? "")")
            let highest = acknowledged.keys.max() ?? 0
            XCTAssertGreaterThanOrEqual(verification.head.sequence, highest)

            let ledger = try Ledger.open(path: path)
            XCTAssertEqual(ledger.head(), verification.head)
            let events = try ledger.events(from: 1, limit: Int(verification.head.sequence) + 1)
            ledger.close()
            let stored = Dictionary(uniqueKeysWithValues: events.map { ($0.sequence, $0.entry.clientReference) })
            var missing = 0
            for (sequence, reference) in acknowledged where stored[sequence] != reference {
                missing += 1
                if missing <= 5 {
                    XCTFail("round \(round): acknowledged row \(sequence) (\(reference)) is \(stored[sequence] ?? "missing")")
                }
            }
            XCTAssertEqual(missing, 0, "round \(round): acknowledged rows lost")
            print("crash round \(round): \(acknowledged.count) acknowledged rows present, head \(verification.head.sequence)")
        }
    }

    /// Starts the stress child, waits for `afterLines` acknowledged lines,
    /// SIGKILLs it, and returns every complete line it wrote.
    private static func runAndKill(_ binary: URL, arguments: [String], afterLines: Int) throws -> [String] {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let reader = output.fileHandleForReading
        var data = Data()
        var newlines = 0
        let deadline = Date().addingTimeInterval(60)
        while newlines < afterLines && process.isRunning && Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            newlines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            data.append(chunk)
        }
        XCTAssertTrue(process.isRunning, "the stress child exited by itself (status \(process.terminationStatus))")
        kill(process.processIdentifier, SIGKILL)
        data.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        // Only complete lines count: one write(2) per line, so a line is either whole or absent.
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n"), let lastNewline = text.lastIndex(of: "\n") {
            text = String(text[...lastNewline])
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// `waiaas-ledger-stress`, which SwiftPM builds next to the test bundle.
    static func stressBinary() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map {
            $0.appendingPathComponent("waiaas-ledger-stress")
        }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("waiaas-ledger-stress is not next to the test bundle (\(directory.path)); build it with swift build --build-tests")
            throw CocoaError(.fileNoSuchFile)
        }
        return binary
    }
}
