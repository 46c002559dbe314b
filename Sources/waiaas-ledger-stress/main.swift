// waiaas-ledger-stress: drives a WaiaasLedger file from a separate process.
//
//   waiaas-ledger-stress append PATH [APPENDERS]
//       Appends forever from APPENDERS tasks (default 8), printing
//       "<sequence> <clientReference>" on standard output after each commit.
//       The crash test SIGKILLs it and checks every printed row survived.
//   waiaas-ledger-stress bench DIR [SECONDS-PER-RUN]
//       Measures group commit at 1 and 32 concurrent appenders in a fresh
//       ledger under DIR and prints appends/s, rows per commit and latency.
#if canImport(Glibc)
import Glibc
#endif
import WaiaasLedger

func fail(_ message: String) -> Never {
    writeLine(2, "waiaas-ledger-stress: \(message)")
    exit(2)
}

/// One write(2) per line: lines from concurrent tasks never interleave, and
/// nothing waits in a stdio buffer when the process is killed.
func emit(_ line: String) {
    writeLine(1, line)
}

func writeLine(_ fd: Int32, _ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(UInt8(ascii: "\n"))
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written <= 0 {
            if written < 0 && errno == EINTR { continue }
            exit(3)  // the reader went away
        }
        offset += written
    }
}

func appendForever(path: String, appenders: Int) async -> Never {
    let ledger: Ledger
    do {
        ledger = try Ledger.open(path: path)
    } catch {
        fail("\(error)")
    }
    await withTaskGroup(of: Void.self) { group in
        for appender in 0..<appenders {
            group.addTask {
                var n = 0
                while true {
                    var entry = LedgerThroughput.sampleEntry(index: n)
                    entry.clientReference = "a\(appender)-\(n)"
                    do {
                        let events = try await ledger.append([entry])
                        emit("\(events[0].sequence) \(entry.clientReference)")
                    } catch {
                        fail("\(error)")
                    }
                    n += 1
                }
            }
        }
    }
    fail("appenders stopped")
}

/// The writer's cost per row without waiting on fsync per row: 1,000-entry
/// appends, so the rate approaches what one writer thread can insert.
func benchRows(directory: String) async {
    let path = "\(directory)/bench-rows.sqlite"
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    do {
        let ledger = try Ledger.open(path: path)
        let batches = (0..<20).map { b in (0..<1_000).map { LedgerThroughput.sampleEntry(index: b * 1_000 + $0) } }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        for batch in batches { _ = try await ledger.append(batch) }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        print("ledger insert, 1,000 rows per commit: \(Int(20_000 / seconds)) rows/s (\(Int(seconds * 1e6 / 20_000)) µs per row)")
        ledger.close()
    } catch {
        fail("\(error)")
    }
}

func bench(directory: String, seconds: Double) async {
    for appenders in [1, 32] {
        let path = "\(directory)/bench-\(appenders).sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        do {
            let ledger = try Ledger.open(path: path)
            // Size the run from a short probe so each lasts about `seconds`.
            let probe = try await LedgerThroughput.measure(ledger: ledger, appenders: appenders, appendsPerAppender: 50)
            let perAppender = max(50, Int(probe.appendsPerSecond * seconds) / appenders)
            let result = try await LedgerThroughput.measure(
                ledger: ledger, appenders: appenders, appendsPerAppender: perAppender
            )
            print(result)
            ledger.close()
            let verification = try LedgerVerifier.verify(path: path)
            if !verification.ok { fail("chain check failed: \(verification.problem ?? "")") }
        } catch {
            fail("\(error)")
        }
    }
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "append" where arguments.count >= 3:
    let appenders = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 8
    guard appenders > 0 else { fail("APPENDERS must be a positive number") }
    await appendForever(path: arguments[2], appenders: appenders)
case "bench" where arguments.count >= 3:
    let seconds = arguments.count > 3 ? Double(arguments[3]) ?? 0 : 3
    guard seconds > 0 else { fail("SECONDS-PER-RUN must be positive") }
    await bench(directory: arguments[2], seconds: seconds)
    await benchRows(directory: arguments[2])
default:
    fail("usage: waiaas-ledger-stress append PATH [APPENDERS] | bench DIR [SECONDS-PER-RUN]")
}
