import Foundation
import XCTest

@testable import WaiaasLedger

/// `waiaas ledger verify` and `tail` on real files: output, JSON and exit codes.
final class LedgerCLITests: XCTestCase {
    private struct Run {
        var status: Int32
        var stdout: String
    }

    private func waiaas(_ arguments: [String]) throws -> Run {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("waiaas") }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            // A failure, not a skip: a test that cannot run must not pass quietly.
            struct MissingExecutable: Error, CustomStringConvertible {
                var description: String { "the waiaas executable is not next to the test bundle; build it with swift build --build-tests" }
            }
            throw MissingExecutable()
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self))
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    private func makeHome() async throws -> TemporaryDirectory {
        let home = TemporaryDirectory()
        let ledger = try Ledger.open(path: home.file("ledger.sqlite"))
        _ = try await ledger.append([Fixtures.signEntry(1), Fixtures.denyEntry(2), Fixtures.signEntry(3)])
        ledger.close()
        return home
    }

    func testVerifyReportsOkThenTheFirstBadRow() async throws {
        let home = try await makeHome()
        var run = try waiaas(["ledger", "verify", "--home", home.path])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("ok: 3 rows, head 3 "), run.stdout)

        run = try waiaas(["ledger", "verify", "--home", home.path, "--json"])
        XCTAssertEqual(run.status, 0)
        var object = try json(run.stdout)
        XCTAssertEqual(object["ok"] as? Bool, true)
        XCTAssertEqual(object["rows"] as? Int, 3)

        Tamper.execute(home.file("ledger.sqlite"), "UPDATE ledger SET policy_version = 0 WHERE sequence = 2")
        run = try waiaas(["ledger", "verify", "--home", home.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("FAILED at row 2: row 2: its hash does not match its contents"), run.stdout)

        run = try waiaas(["ledger", "verify", "--home", home.path, "--json"])
        XCTAssertEqual(run.status, 1)
        object = try json(run.stdout)
        XCTAssertEqual(object["ok"] as? Bool, false)
        XCTAssertEqual(object["first_bad_sequence"] as? Int, 2)
        XCTAssertEqual(object["rows"] as? Int, 1)
    }

    func testVerifyOfAMissingLedgerFails() throws {
        let home = TemporaryDirectory()
        let run = try waiaas(["ledger", "verify", "--home", home.path, "--json"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try json(run.stdout)["error"] as? String, "storage")
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.file("ledger.sqlite")), "verify must not create a ledger")
    }

    func testTailPrintsTheNewestEvents() async throws {
        let home = try await makeHome()
        var run = try waiaas(["ledger", "tail", "--home", home.path, "--count", "2"])
        XCTAssertEqual(run.status, 0)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("#2  ") && lines[0].contains("deny"), String(lines[0]))
        XCTAssertTrue(lines[1].hasPrefix("#3  ") && lines[1].contains("ref ref-3"), String(lines[1]))

        run = try waiaas(["ledger", "tail", "--home", home.path, "--json"])
        XCTAssertEqual(run.status, 0)
        let events = try XCTUnwrap(json(run.stdout)["events"] as? [[String: Any]])
        XCTAssertEqual(events.map { $0["sequence"] as? Int }, [1, 2, 3])
        let outflows = try XCTUnwrap(events[0]["outflows"] as? [[String: Any]])
        XCTAssertEqual(outflows.first?["asset"] as? String, "SOL")
        XCTAssertEqual(outflows.first?["amount"] as? Int, 1_001)
        XCTAssertEqual((events[1]["reasons"] as? [[String: Any]])?.first?["code"] as? String, "limit_per_transaction")
        XCTAssertEqual(events[2]["client_reference"] as? String, "ref-3")
    }
}
