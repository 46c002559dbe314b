import Foundation

/// Runs one operation in a closed loop on N threads (one connection each)
/// for a fixed time and reports throughput and latency percentiles.
enum ClosedLoop {
    struct Result {
        var perSecond: Double
        var p50: Double  // microseconds
        var p99: Double
        var count: Int

        /// The summary of latencies (nanoseconds) measured over `seconds`:
        /// the one place the bench turns samples into figures.
        init(latencies: [UInt64], seconds: Double) {
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double {
                sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
            }
            perSecond = Double(sorted.count) / seconds
            p50 = percentile(0.5)
            p99 = percentile(0.99)
            count = sorted.count
        }
    }

    /// `makeWorker(i)` runs on worker thread i and returns the operation it
    /// repeats (it may hold a connection).
    static func run(threads: Int, seconds: Double, makeWorker: @escaping @Sendable (Int) throws -> () throws -> Void) throws -> Result {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var samples: [UInt64] = []
            var failure: Error?
            var ready = 0
        }
        let shared = Shared()
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let deadline = SendableBox<UInt64>(0)
        for index in 0..<threads {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                var local: [UInt64] = []
                local.reserveCapacity(200_000)
                // Whether this thread has passed the start line: a failure after
                // it must end the run, not wait for a start signal that was spent.
                var started = false
                do {
                    let operation = try makeWorker(index)
                    try operation()  // warm-up
                    shared.lock.lock(); shared.ready += 1; shared.lock.unlock()
                    start.wait()
                    started = true
                    let end = deadline.value
                    while true {
                        let before = DispatchTime.now().uptimeNanoseconds
                        if before >= end { break }
                        try operation()
                        local.append(DispatchTime.now().uptimeNanoseconds - before)
                    }
                } catch {
                    shared.lock.lock()
                    if shared.failure == nil { shared.failure = error }
                    if !started { shared.ready += 1 }
                    shared.lock.unlock()
                    if !started { start.wait() }
                }
                shared.lock.lock(); shared.samples += local; shared.lock.unlock()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        while true {
            shared.lock.lock(); let ready = shared.ready; shared.lock.unlock()
            if ready == threads { break }
            usleep(1000)
        }
        let began = DispatchTime.now().uptimeNanoseconds
        deadline.value = began + UInt64(seconds * 1e9)
        for _ in 0..<threads { start.signal() }
        done.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        if let failure = shared.failure { throw failure }
        return Result(latencies: shared.samples, seconds: elapsed)
    }
}

final class SendableBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
