/// A measurement of group commit, for the benchmark executable and the
/// stress tool: `appenders` tasks each append one entry at a time, awaiting
/// its commit before the next, like Sign calls on as many connections.
public enum LedgerThroughput {
    public struct Result: Sendable, CustomStringConvertible {
        public var appenders: Int
        public var appends: Int
        public var seconds: Double
        public var commits: UInt64
        public var largestBatch: UInt64
        /// Median and 99th percentile time from `append` to its return, in microseconds.
        public var p50Microseconds: Double
        public var p99Microseconds: Double
        /// The writer's average time per commit inserting rows (CPU) and in
        /// COMMIT (mostly the WAL fsync), in microseconds.
        public var insertMicrosecondsPerCommit: Double
        public var commitMicrosecondsPerCommit: Double

        public var appendsPerSecond: Double { Double(appends) / seconds }
        public var rowsPerCommit: Double { commits == 0 ? 0 : Double(appends) / Double(commits) }

        public var description: String {
            func f(_ value: Double, _ digits: Int = 0) -> String {
                let scale = Double([1, 10, 100, 1000][min(digits, 3)])
                let rounded = (value * scale).rounded() / scale
                return digits == 0 ? String(Int(rounded)) : String(rounded)
            }
            return "ledger append, \(appenders) appender(s): \(f(appendsPerSecond)) appends/s, "
                + "\(f(rowsPerCommit, 1)) rows/commit (largest \(largestBatch)), \(commits) commits, "
                + "p50 \(f(p50Microseconds)) µs, p99 \(f(p99Microseconds)) µs, \(appends) appends in \(f(seconds, 2)) s; "
                + "per commit: inserting \(f(insertMicrosecondsPerCommit)) µs, COMMIT \(f(commitMicrosecondsPerCommit)) µs"
        }
    }

    /// A sign event shaped like the daemon's: a ~300-byte request, a message
    /// digest, one SOL outflow, a 64-byte signature.
    public static func sampleEntry(index: Int, requestBytes: Int = 300) -> LedgerEntry {
        var request = [UInt8](repeating: 0xA5, count: requestBytes)
        withUnsafeBytes(of: UInt64(index).littleEndian) { raw in
            for (i, byte) in raw.enumerated() where i < request.count { request[i] = byte }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: UInt64(index).bigEndian) { raw in
            for (i, byte) in raw.enumerated() { digest[24 + i] = byte }
        }
        return LedgerEntry(
            kind: .sign, request: request, messageDigest: digest, decision: "allow",
            outflows: [LedgerOutflow(amount: 1_000_000 + UInt64(index))],
            signature: [UInt8](repeating: 0x5A, count: 64), policyVersion: 1, clientReference: "bench-\(index)"
        )
    }

    /// Appends `appendsPerAppender` entries from each of `appenders` tasks to
    /// an open ledger and reports the rate, commits and latency.
    public static func measure(
        ledger: Ledger, appenders: Int, appendsPerAppender: Int
    ) async throws(LedgerError) -> Result {
        let before = ledger.statistics
        let start = WallClock.monotonicNanoseconds()
        let latencies: [UInt64]
        do {
            latencies = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for appender in 0..<appenders {
                    group.addTask {
                        var mine: [UInt64] = []
                        mine.reserveCapacity(appendsPerAppender)
                        for n in 0..<appendsPerAppender {
                            let entry = sampleEntry(index: appender * appendsPerAppender + n)
                            let t0 = WallClock.monotonicNanoseconds()
                            _ = try await ledger.append([entry])
                            mine.append(WallClock.monotonicNanoseconds() - t0)
                        }
                        return mine
                    }
                }
                var all: [UInt64] = []
                for try await part in group { all += part }
                return all
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(.storage, "\(error)")
        }
        let seconds = Double(WallClock.monotonicNanoseconds() - start) / 1e9
        let after = ledger.statistics
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1_000
        }
        let commits = after.commits - before.commits
        func perCommit(_ nanoseconds: UInt64) -> Double {
            commits == 0 ? 0 : Double(nanoseconds) / Double(commits) / 1_000
        }
        return Result(
            appenders: appenders, appends: latencies.count, seconds: seconds,
            commits: commits, largestBatch: after.largestBatch,
            p50Microseconds: percentile(0.5), p99Microseconds: percentile(0.99),
            insertMicrosecondsPerCommit: perCommit(after.insertNanoseconds - before.insertNanoseconds),
            commitMicrosecondsPerCommit: perCommit(after.commitNanoseconds - before.commitNanoseconds)
        )
    }
}
