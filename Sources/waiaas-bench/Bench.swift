import ArgumentParser
import Foundation
import NIOPosix
import WaiaasProto
import WaiaasRPC

/// `make bench`: throughput and latency of the daemon, measured against a
/// freshly started `waiaasd` in the same run. Not a test: it prints numbers.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiaas-bench",
        abstract: "Benchmarks a freshly started waiaasd over its Unix socket."
    )

    @Option(help: "Path of the waiaasd executable to start.")
    var daemon: String

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 3

    @Option(help: "Connection counts to measure, comma-separated.")
    var connections: String = "1,16"

    func run() async throws {
        let home = NSTemporaryDirectory() + "waiaas-bench-\(getpid())"
        let process = try DaemonProcess.start(executable: daemon, home: home)
        defer { process.stop(); try? FileManager.default.removeItem(atPath: home) }

        print("GetStatus round trips over the Unix socket (\(seconds) s each, one call in flight per connection)")
        print("connections   calls/s      p50 µs    p99 µs")
        for count in connections.split(separator: ",").compactMap({ Int($0) }) {
            let result = try await RoundTrips.measure(socketPath: process.socketPath, connections: count, seconds: seconds) { client in
                _ = try await client.call(method: WalletMethod.getStatus.rawValue, payload: [])
            }
            print(String(format: "%11d %9.0f %11.1f %9.1f", count, result.perSecond, result.p50Microseconds, result.p99Microseconds))
        }
    }
}

/// Runs `body` in a loop on `connections` connections for `seconds`.
enum RoundTrips {
    struct Result {
        var perSecond: Double
        var p50Microseconds: Double
        var p99Microseconds: Double
    }

    static func measure(socketPath: String, connections: Int, seconds: Double, body: @escaping @Sendable (RPCClient) async throws -> Void) async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var clients: [RPCClient] = []
        for _ in 0..<connections {
            clients.append(try await RPCClient.connect(socketPath: socketPath, group: group))
        }
        // Warm-up: connections established, first allocations done.
        for client in clients { try await body(client) }
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(seconds * 1000))
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { tasks in
            for client in clients {
                tasks.addTask {
                    var samples: [Duration] = []
                    samples.reserveCapacity(100_000)
                    while clock.now < end {
                        let before = clock.now
                        try await body(client)
                        samples.append(clock.now - before)
                    }
                    return samples
                }
            }
            var all: [Duration] = []
            for try await samples in tasks { all += samples }
            return all
        }
        let elapsed = clock.now - started
        for client in clients { await client.close() }
        try? await group.shutdownGracefully()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
            return Double(value.components.seconds) * 1e6 + Double(value.components.attoseconds) / 1e12
        }
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(perSecond: Double(sorted.count) / elapsedSeconds, p50Microseconds: percentile(0.5), p99Microseconds: percentile(0.99))
    }
}

/// A waiaasd child process on a private home.
final class DaemonProcess {
    let process: Process
    let socketPath: String

    private init(process: Process, socketPath: String) {
        self.process = process
        self.socketPath = socketPath
    }

    static func start(executable: String, home: String, extraArguments: [String] = []) throws -> DaemonProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--home", home, "--log-level", "warning"] + extraArguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The daemon prints one line once it listens.
        let line = output.fileHandleForReading.readLine()
        guard line.contains("listening on") else {
            process.terminate()
            throw ValidationError("waiaasd did not start: \(line)")
        }
        return DaemonProcess(process: process, socketPath: home + "/waiaasd.sock")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

extension FileHandle {
    /// Reads up to a newline (or end of file).
    func readLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
