import ArgumentParser
internal import CSodium
import Foundation
import NIOPosix
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

/// `make bench`: the daemon measured against peers in the same run, with
/// ratios. Not a test: it prints numbers (no timing assertions anywhere).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiaas-bench",
        abstract: "Benchmarks a freshly started waiaasd against ssh-agent and raw libsodium."
    )

    @Option(help: "Path of the waiaasd executable to start.")
    var daemon: String

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 3

    @Option(help: "Connection counts for Sign, comma-separated.")
    var connections: String = "1,32"

    @Option(help: "Connection counts for GetStatus, comma-separated.")
    var statusConnections: String = "1,16"

    @Option(help: "Prepared Sign requests per connection.")
    var prepared: Int = 60_000

    @Option(help: "all: every measurement; crowd: only Sign beside idle and slowloris connections.")
    var scenario: String = "all"

    @Option(name: .customLong("crowd-idle"), help: "Idle connections in the crowd scenario.")
    var crowdIdle: Int = 1000

    func validate() throws {
        guard ["all", "crowd"].contains(scenario) else { throw ValidationError("--scenario must be all or crowd") }
    }

    func run() async throws {
        let home = NSTemporaryDirectory() + "waiaas-bench-\(getpid())"
        Self.progress("starting waiaasd on \(home)")
        let daemonProcess = try DaemonProcess.start(executable: daemon, home: home)
        defer { daemonProcess.stop(); try? FileManager.default.removeItem(atPath: home) }
        guard let agent = PublicKey(base58: daemonProcess.agent) else { throw BenchError("no agent address in the banner") }
        Self.progress("setting the benchmark policy")
        try await SignWorkload.install(home: home, socketPath: daemonProcess.socketPath, agent: agent)
        if scenario == "crowd" {
            try crowd(socketPath: daemonProcess.socketPath, agent: agent)
            return
        }
        Self.progress("starting ssh-agent")
        let socketPath = daemonProcess.socketPath
        let agentSSH = try SSHAgentProcess()
        defer { agentSSH.stop() }

        say("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(seconds) s per measurement; closed loop, one call in flight per connection\n")

        say("GetStatus round trips")
        say("connections   calls/s     p50 µs    p99 µs")
        for count in Self.list(statusConnections) {
            let frame = Framing.frameBytes(Envelope(callID: 1, method: WalletMethod.getStatus.rawValue))
            let result = try ClosedLoop.run(threads: count, seconds: seconds) { _ in
                let socket = try BlockingSocket(path: socketPath)
                return {
                    try socket.write(frame)
                    _ = try socket.readFrame()
                }
            }
            say(String(format: "%11d %9.0f %10.1f %9.1f", count, result.perSecond, result.p50, result.p99))
        }

        let ceiling = Self.libsodiumCeiling(seconds: seconds)
        say(String(format: "\nraw libsodium crypto_sign_detached, one core, 200-byte message: %.0f signs/s (the ceiling)\n", ceiling))

        let sshData = [UInt8](repeating: 0x5A, count: 200)
        let prepared = self.prepared
        say("Sign: a SOL transfer, full policy, durable ledger (fsync per group commit) vs ssh-agent ed25519 over its socket")
        say("connections  waiaasd/s   p50 µs   p99 µs  ssh-agent/s   p50 µs   p99 µs   vs ssh-agent  vs libsodium   daemon RSS")
        for count in Self.list(connections) {
            let frames = (0..<count).map { SignWorkload.frames(agent: agent, count: prepared, connection: $0 + 1000 * count, dryRun: false) }
            let ours = try ClosedLoop.run(threads: count, seconds: seconds) { index in
                let loop = try SignLoop(socketPath: socketPath, frames: frames[index])
                return { try loop.call() }
            }
            let rss = daemonProcess.residentMegabytes
            let theirs = try ClosedLoop.run(threads: count, seconds: seconds) { _ in
                let client = try SSHAgentClient(path: agentSSH.socketPath)
                return { try client.sign(sshData) }
            }
            say(String(format: "%11d %10.0f %8.0f %8.0f %12.0f %8.0f %8.0f %13.1fx %12.2fx %9.1f MB",
                         count, ours.perSecond, ours.p50, ours.p99, theirs.perSecond, theirs.p50, theirs.p99,
                         ours.perSecond / max(theirs.perSecond, 1), ours.perSecond / max(ceiling, 1), rss))
        }

        let dryFrames = SignWorkload.frames(agent: agent, count: prepared, connection: 7, dryRun: true)
        let dry = try ClosedLoop.run(threads: 1, seconds: seconds) { _ in
            let loop = try SignLoop(socketPath: socketPath, frames: dryFrames)
            return { try loop.call() }
        }
        say(String(format: "\nSign dry run (decode + policy, no ledger), 1 connection: %.0f/s, p50 %.1f µs, p99 %.1f µs", dry.perSecond, dry.p50, dry.p99))

        say("\nThe generated Swift WalletClient, one connection, calls in flight (cf. Tests/Contract/bench.py, js/bench.mjs)")
        say("in flight  getStatus/s    sign/s")
        for (index, concurrency) in [1, 16].enumerated() {
            let status = try await SwiftClientBench.run(socketPath: socketPath, agent: agent, concurrency: concurrency, seconds: seconds, sign: false, seed: 0)
            let signs = try await SwiftClientBench.run(socketPath: socketPath, agent: agent, concurrency: concurrency, seconds: seconds, sign: true, seed: 50_000 + 100 * index)
            say(String(format: "%9d %12.0f %9.0f", concurrency, status, signs))
        }

        say("")
        try crowd(socketPath: socketPath, agent: agent)
    }

    /// One client's Sign alone, then beside idle connections and a slowloris
    /// client on every free slot (the daemon's default connection bound).
    func crowd(socketPath: String, agent: PublicKey) throws {
        let slots = RPCServerConfiguration.Limits().maximumConnections
        Self.progress("crowd: \(crowdIdle) idle connections, slowloris on the other free slots of \(slots)")
        let result = try CrowdScenario.run(socketPath: socketPath, agent: agent, seconds: seconds, prepared: prepared, idle: crowdIdle, maximumConnections: slots)
        say("Sign, one connection, alone and beside \(result.idle) idle connections + \(result.slowloris) slowloris clients (\(result.slowlorisConnections) connections made)")
        say("              signs/s   p50 µs   p99 µs")
        for (name, run) in [("alone", result.alone), ("crowded", result.crowded), ("alone again", result.aloneAfter)] {
            say(name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%9.0f %8.0f %8.0f", run.perSecond, run.p50, run.p99))
        }
        let alone = (result.alone.perSecond + result.aloneAfter.perSecond) / 2
        let aloneP50 = (result.alone.p50 + result.aloneAfter.p50) / 2
        say(String(format: "crowded vs alone (mean of both): %.2fx signs/s, %.2fx p50", result.crowded.perSecond / max(alone, 1), result.crowded.p50 / max(aloneP50, 1)))
    }

    /// Unbuffered: results appear as they are measured, even through a pipe.
    func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data("bench: \(text)\n".utf8))
    }

    static func list(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }

    /// crypto_sign_detached in a loop on this thread: the ceiling for any signer.
    static func libsodiumCeiling(seconds: Double) -> Double {
        _ = sodium_init()
        var publicKey = [UInt8](repeating: 0, count: 32)
        var secretKey = [UInt8](repeating: 0, count: 64)
        crypto_sign_keypair(&publicKey, &secretKey)
        var message = [UInt8](repeating: 0x42, count: 200)
        var signature = [UInt8](repeating: 0, count: 64)
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while DispatchTime.now().uptimeNanoseconds < end {
            for _ in 0..<100 {
                message[0] &+= 1
                crypto_sign_detached(&signature, nil, message, UInt64(message.count), secretKey)
            }
            count += 100
        }
        return Double(count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
