import CSQLite
import XCTest

@testable import WaiaasLedger

/// What appenders see when a batch cannot be committed: every caller of the
/// batch gets the error, none of its rows is visible, and the ledger goes on.
final class FailureTests: XCTestCase {
    /// An insert that fails mid-transaction (a trigger planted in the file
    /// refuses rows with reference "boom") rolls back the rows before it.
    func testFailedInsertRollsBackTheWholeBatch() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        try Ledger.open(path: path).close()
        Tamper.execute(path, """
            CREATE TRIGGER refuse BEFORE INSERT ON ledger WHEN NEW.client_reference = 'boom'
            BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END
            """)
        let ledger = try Ledger.open(path: path)
        defer { ledger.close() }
        _ = try await ledger.append([Fixtures.signEntry(1)])

        var boom = Fixtures.signEntry(3)
        boom.clientReference = "boom"
        do {
            _ = try await ledger.append([Fixtures.signEntry(2), Fixtures.denyEntry(2), boom])
            XCTFail("a refused insert was committed")
        } catch {
            XCTAssertEqual(error.code, .storage)
            XCTAssertTrue(error.message.contains("refused by test trigger"), error.message)
        }
        XCTAssertEqual(ledger.head().sequence, 1)
        XCTAssertEqual(try ledger.lastEvents(count: 10).map(\.sequence), [1], "nothing of the failed batch is visible")

        // Concurrent appenders: those that shared a batch with a "boom" fail
        // with it, the others land, and the chain stays gapless.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<32 {
                group.addTask {
                    var entry = Fixtures.signEntry(100 + n)
                    if n % 8 == 0 { entry.clientReference = "boom" }
                    do throws(LedgerError) {
                        _ = try await ledger.append([entry])
                        return (n, true)
                    } catch {
                        XCTAssertEqual(error.code, .storage)
                        return (n, false)
                    }
                }
            }
            var all: [(Int, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        for (n, succeeded) in outcomes where n % 8 == 0 {
            XCTAssertFalse(succeeded, "appender \(n) wrote a refused row")
        }
        let landed = outcomes.filter { $0.1 }.count
        XCTAssertEqual(ledger.head().sequence, UInt64(1 + landed))
        let stored = try ledger.events(from: 1, limit: 100)
        XCTAssertEqual(stored.map(\.sequence), (1...UInt64(1 + landed)).map { $0 })
        XCTAssertFalse(stored.contains { $0.entry.clientReference == "boom" })
        _ = try await ledger.append([Fixtures.signEntry(999)])
        XCTAssertTrue(try LedgerVerifier.verify(path: path).ok)
    }

    /// Another process holding the write lock past the busy timeout: the
    /// batch fails with SQLITE_BUSY, and appends work again once it lets go.
    func testWriteLockHeldElsewhereFailsTheBatchThenRecovers() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path, options: LedgerOptions(busyTimeoutMilliseconds: 50))
        defer { ledger.close() }

        var holder: OpaquePointer?
        XCTAssertEqual(sqlite3_open_v2(path, &holder, SQLITE_OPEN_READWRITE, nil), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(holder, "BEGIN IMMEDIATE", nil, nil, nil), SQLITE_OK)

        await withTaskGroup(of: Void.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do throws(LedgerError) {
                        _ = try await ledger.append([Fixtures.signEntry(n)])
                        XCTFail("appended while another connection held the write lock")
                    } catch {
                        XCTAssertEqual(error.code, .storage)
                        XCTAssertEqual((error.sqliteCode ?? 0) & 0xFF, SQLITE_BUSY)
                    }
                }
            }
        }
        XCTAssertEqual(ledger.head().sequence, 0)
        XCTAssertGreaterThan(ledger.statistics.failedBatches, 0)

        XCTAssertEqual(sqlite3_exec(holder, "ROLLBACK", nil, nil, nil), SQLITE_OK)
        sqlite3_close_v2(holder)
        let events = try await ledger.append([Fixtures.signEntry(1)])
        XCTAssertEqual(events.map(\.sequence), [1])
    }

    /// Appends racing `close()` either commit (and are in the file) or fail
    /// with `.closed`; none is left hanging.
    func testCloseDrainsOrRefusesEveryAppend() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        let ledger = try Ledger.open(path: path)
        let committed = await withTaskGroup(of: UInt64?.self) { group in
            for n in 0..<64 {
                group.addTask {
                    do throws(LedgerError) {
                        return try await ledger.append([Fixtures.signEntry(n)]).first?.sequence
                    } catch {
                        XCTAssertEqual(error.code, .closed)
                        return nil
                    }
                }
            }
            group.addTask {
                await Task.yield()
                ledger.close()
                return nil
            }
            var sequences: [UInt64] = []
            for await sequence in group { if let sequence { sequences.append(sequence) } }
            return sequences
        }
        let verification = try LedgerVerifier.verify(path: path)
        XCTAssertTrue(verification.ok)
        XCTAssertEqual(verification.rowsChecked, UInt64(committed.count))
        XCTAssertEqual(Set(committed), Set((0..<UInt64(committed.count)).map { $0 + 1 }))
    }
}
