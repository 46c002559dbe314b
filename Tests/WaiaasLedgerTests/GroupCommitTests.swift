import XCTest

@testable import WaiaasLedger

final class GroupCommitTests: XCTestCase {
    /// 32 tasks appending concurrently: every row lands once, in one gapless
    /// chain, each caller gets back exactly its rows, and fsyncs are shared.
    func testConcurrentAppendersShareCommitsInOneChain() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path)
        let appenders = 32
        let perAppender = 40

        let returned = try await withThrowingTaskGroup(of: [LedgerEvent].self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    var mine: [LedgerEvent] = []
                    for n in 0..<perAppender {
                        var entry = Fixtures.signEntry(appender * 1_000 + n)
                        entry.clientReference = "a\(appender)-\(n)"
                        let events = try await ledger.append([entry])
                        XCTAssertEqual(events.count, 1)
                        XCTAssertEqual(events.first?.entry.clientReference, entry.clientReference)
                        mine += events
                    }
                    return mine
                }
            }
            var all: [LedgerEvent] = []
            for try await part in group { all += part }
            return all
        }

        let total = appenders * perAppender
        XCTAssertEqual(returned.count, total)
        XCTAssertEqual(Set(returned.map(\.sequence)), Set((1...UInt64(total)).map { $0 }))
        XCTAssertEqual(ledger.head().sequence, UInt64(total))

        let stored = try ledger.events(from: 1, limit: total + 10)
        XCTAssertEqual(stored, returned.sorted { $0.sequence < $1.sequence })

        let statistics = ledger.statistics
        XCTAssertEqual(statistics.rows, UInt64(total))
        XCTAssertLessThan(statistics.commits, UInt64(total), "concurrent appends must share commits")
        XCTAssertGreaterThan(statistics.largestBatch, 1)
        print("group commit: \(total) rows in \(statistics.commits) commits (largest \(statistics.largestBatch))")
        ledger.close()

        let verification = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(verification.ok, verification.problem ?? "")
        XCTAssertEqual(verification.rowsChecked, UInt64(total))
    }

    /// A multi-entry append gets consecutive sequences even among concurrent callers.
    func testOneAppendsEntriesStayTogether() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<8 {
                group.addTask {
                    let events = try await ledger.append((0..<5).map { Fixtures.signEntry(appender * 10 + $0) })
                    let sequences = events.map(\.sequence)
                    XCTAssertEqual(sequences, Array(sequences[0]..<sequences[0] + 5))
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(ledger.head().sequence, 40)
    }

    func testCallbackAppendCompletesAfterCommit() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        let result = await withCheckedContinuation { continuation in
            ledger.append([Fixtures.signEntry(1)]) { continuation.resume(returning: $0) }
        }
        let events = try result.get()
        XCTAssertEqual(events.map(\.sequence), [1])
        // Committed and visible to readers by the time the callback ran.
        XCTAssertEqual(try ledger.lastEvents(count: 1), events)
    }

    /// The commit observer is called at the same stack depth on every commit:
    /// it once grew two reabstraction thunks deeper per commit (a closure
    /// passed `inout` through the generic lock), so each commit paid for all
    /// earlier ones and kept them in memory.
    func testCommitObserverDoesNotDeepenPerCommit() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        let depths = ConditionLocked([Int]())
        ledger.observeCommits { _ in
            let depth = Thread.callStackSymbols.count
            depths.withLock { $0.append(depth) }
        }
        for n in 0..<40 {
            _ = try await ledger.append([Fixtures.signEntry(n)])
        }
        // The observer runs after the batch's callers are completed: wait for the last one.
        for _ in 0..<500 where depths.withLock({ $0.count }) < 40 { usleep(10_000) }
        let seen = depths.withLock { $0 }
        XCTAssertEqual(seen.count, 40)
        XCTAssertEqual(Set(seen).count, 1, "observer stack depths per commit: \(seen)")
    }

    func testInvalidEntriesFailAloneAndQueueNothing() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        var bad: [LedgerEntry] = []
        var entry = Fixtures.signEntry(1)
        entry.signature = [1, 2, 3]
        bad.append(entry)
        entry = Fixtures.signEntry(1)
        entry.messageDigest = [0]
        bad.append(entry)
        entry = Fixtures.signEntry(1)
        entry.requestDigest = [UInt8](repeating: 0, count: 32)
        bad.append(entry)
        entry = Fixtures.signEntry(1)
        entry.outflows = [LedgerOutflow(asset: [1, 2], amount: 1)]
        bad.append(entry)
        for entry in bad {
            do {
                _ = try await ledger.append([Fixtures.signEntry(0), entry])
                XCTFail("accepted \(entry)")
            } catch {
                XCTAssertEqual(error.code, .invalidEntry)
                XCTAssertTrue(error.message.hasPrefix("entry 1: "), error.message)
            }
        }
        XCTAssertEqual(ledger.head().sequence, 0)
        let none = try await ledger.append([])
        XCTAssertEqual(none, [])
        // A correct request digest given by the caller is accepted.
        var given = Fixtures.signEntry(2)
        given.requestDigest = Fixtures.digest(of: "request 2")
        let accepted = try await ledger.append([given])
        XCTAssertEqual(accepted.first?.sequence, 1)
    }

    func testAppendAfterCloseFails() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        ledger.close()
        ledger.close()
        do {
            _ = try await ledger.append([Fixtures.signEntry(1)])
            XCTFail("appended after close")
        } catch {
            XCTAssertEqual(error.code, .closed)
        }
        XCTAssertThrowsError(try ledger.lastEvents(count: 1)) { error in
            XCTAssertEqual((error as? LedgerError)?.code, .closed)
        }
    }

    /// Another process appending behind the ledger's back is caught by the
    /// next commit, which halts the ledger instead of forking the chain.
    func testForeignWriterHaltsTheLedger() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path)
        defer { ledger.close() }
        _ = try await ledger.append([Fixtures.signEntry(1)])
        Tamper.execute(path, """
            INSERT INTO ledger SELECT 2, time_ms, kind, request, request_digest, message_digest, decision, reasons,
            outflows, signature, policy_version, client_reference, hash, hash FROM ledger WHERE sequence = 1
            """)
        do {
            _ = try await ledger.append([Fixtures.signEntry(2)])
            XCTFail("appended over a foreign row")
        } catch {
            XCTAssertEqual(error.code, .halted)
        }
        do {
            _ = try await ledger.append([Fixtures.signEntry(3)])
            XCTFail("appended after halting")
        } catch {
            XCTAssertEqual(error.code, .halted)
        }
        XCTAssertEqual(ledger.head().sequence, 1)
        // The second append was refused before queueing: one failed batch.
        XCTAssertEqual(ledger.statistics.failedBatches, 1)
    }
}
