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

    @Option(help: "Path of waiaas-bare-signer (default: beside the daemon).")
    var bareSigner: String?

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
        let bare = try BareSignerProcess(executable: bareSigner ?? (daemon as NSString).deletingLastPathComponent + "/waiaas-bare-signer")
        defer { bare.stop() }
        let bareSocket = bare.socketPath

        let stealAtStart = HostSteal.now()
        say("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(seconds) s per measurement; closed loop, one call in flight per connection\n")

        say("GetStatus round trips")
        say("connections   calls/s     p50 µs    p99 µs")
        var statusP50: Double?
        for count in Self.list(statusConnections) {
            let frame = Framing.frameBytes(Envelope(callID: 1, method: WalletMethod.getStatus.rawValue))
            let result = try ClosedLoop.run(threads: count, seconds: seconds) { _ in
                let socket = try BlockingSocket(path: socketPath)
                return {
                    try socket.write(frame)
                    _ = try socket.readFrame()
                }
            }
            if count == 1 { statusP50 = result.p50 }
            say(String(format: "%11d %9.0f %10.1f %9.1f", count, result.perSecond, result.p50, result.p99))
        }

        var targets = Targets()
        targets.statusP50 = statusP50
        let ceiling = Self.libsodiumCeiling(seconds: seconds)
        targets.ceiling = ceiling
        say(String(format: "\nraw libsodium crypto_sign_detached, one core, 200-byte message: %.0f signs/s (the ceiling)", ceiling))
        let commit = try SQLiteCommit.measure(directory: home, seconds: min(seconds, 2))
        targets.commitP50 = commit.p50
        say(String(format: "one SQLite commit (WAL, synchronous=FULL, beside the ledger): p50 %.0f µs, p99 %.0f µs, %.0f/s", commit.p50, commit.p99, commit.perSecond))
        let row = try await LedgerAppend.measure(directory: home, seconds: min(seconds, 2))
        targets.ledgerAppendP50 = row.p50
        say(String(format: "one Sign row through the daemon's ledger alone (its schema and writer thread, 1 row per commit): p50 %.0f µs, p99 %.0f µs", row.p50, row.p99))
        let rows = try await LedgerAppend.measure(directory: home, seconds: min(seconds, 2), appenders: 32)
        (targets.ledger32, targets.ledger32CPU) = (rows.result.perSecond, rows.cpuPerRow)
        say(String(format: "the same rows from 32 appenders at once (group commit, no RPC, both cores to itself): %.0f/s, p50 %.0f µs, %.1f µs of CPU per row\n", rows.result.perSecond, rows.result.p50, rows.cpuPerRow))

        let sshData = [UInt8](repeating: 0x5A, count: 200)
        let prepared = self.prepared
        say("Sign: a SOL transfer, full policy, durable ledger (fsync per group commit) vs ssh-agent ed25519 over its socket")
        say("connections  waiaasd/s   p50 µs   p99 µs  daemon CPU µs/call  ssh-agent/s   p50 µs   p99 µs   vs ssh-agent  vs libsodium")
        var floors: [(count: Int, bare: ClosedLoop.Result, bareCPU: MachineCPU, oursCPU: MachineCPU, ours: Double)] = []
        for count in Self.list(connections) {
            let frames = (0..<count).map { SignWorkload.frames(agent: agent, count: prepared, connection: $0 + 1000 * count, dryRun: false) }
            var oursCPU = MachineCPU(server: daemonProcess.cpuSeconds)
            let ours = try ClosedLoop.run(threads: count, seconds: seconds) { index in
                let loop = try SignLoop(socketPath: socketPath, frames: frames[index])
                return { try loop.call() }
            }
            oursCPU.end(server: daemonProcess.cpuSeconds, calls: ours.count)
            let cpuPerCall = oursCPU.serverPerCall
            let theirs = try ClosedLoop.run(threads: count, seconds: seconds) { _ in
                let client = try SSHAgentClient(path: agentSSH.socketPath)
                return { try client.sign(sshData) }
            }
            var bareCPU = MachineCPU(server: bare.cpuSeconds)
            let floor = try ClosedLoop.run(threads: count, seconds: seconds) { _ in
                let client = try SSHAgentClient(path: bareSocket)
                return { try client.sign(sshData) }
            }
            bareCPU.end(server: bare.cpuSeconds, calls: floor.count)
            floors.append((count, floor, bareCPU, oursCPU, ours.perSecond))
            if count == 32 { (targets.bare32, targets.bare32CPU, targets.sign32CPU) = (floor.perSecond, bareCPU.perCall, oursCPU.perCall) }
            if count == 1 { targets.sign1P50 = ours.p50 }
            if count == 32 { (targets.sign32, targets.ssh32) = (ours.perSecond, theirs.perSecond) }
            say(String(format: "%11d %10.0f %8.0f %8.0f %19.1f %12.0f %8.0f %8.0f %13.1fx %12.2fx",
                         count, ours.perSecond, ours.p50, ours.p99, cpuPerCall, theirs.perSecond, theirs.p50, theirs.p99,
                         ours.perSecond / max(theirs.perSecond, 1), ours.perSecond / max(ceiling, 1)))
        }

        say("\nThe floor peer: waiaas-bare-signer (ssh-agent's protocol, libsodium, a thread per connection; no policy, no ledger, no protobuf)")
        say("machine CPU: the server's and the bench clients' together, per call")
        say("connections     bare/s   p50 µs   p99 µs  server CPU µs/call  machine CPU µs/call  waiaasd machine CPU µs/call  waiaasd vs bare")
        for row in floors {
            say(String(format: "%11d %10.0f %8.0f %8.0f %19.1f %20.1f %28.1f %15.2fx", row.count, row.bare.perSecond, row.bare.p50, row.bare.p99,
                         row.bareCPU.serverPerCall, row.bareCPU.perCall, row.oursCPU.perCall, row.ours / max(row.bare.perSecond, 1)))
        }

        say("\nSign pipelined: one connection, calls in flight (a writer thread and a reader thread)")
        say("in flight     sign/s   p50 µs   p99 µs  daemon CPU µs/call")
        for depth in [16, 64] {
            let frames = SignWorkload.frames(agent: agent, count: prepared * 4, connection: 500 + depth, dryRun: false)
            var cpu = MachineCPU(server: daemonProcess.cpuSeconds)
            let result = try Pipelined.run(socketPath: socketPath, frames: frames, depth: depth, seconds: seconds)
            cpu.end(server: daemonProcess.cpuSeconds, calls: result.count)
            if depth == 64 { targets.pipelined64 = result.perSecond }
            say(String(format: "%9d %10.0f %8.0f %8.0f %19.1f", depth, result.perSecond, result.p50, result.p99, cpu.serverPerCall))
        }

        // A dry run needs no fsync: one connection runs near 20k/s on two cores,
        // which outruns the default `prepared` within a 3 s measurement.
        let dryFrames = SignWorkload.frames(agent: agent, count: max(prepared, Int((seconds + 1) * 40_000)), connection: 7, dryRun: true)
        var dryCPU = MachineCPU(server: daemonProcess.cpuSeconds)
        let dry = try ClosedLoop.run(threads: 1, seconds: seconds) { _ in
            let loop = try SignLoop(socketPath: socketPath, frames: dryFrames)
            return { try loop.call() }
        }
        dryCPU.end(server: daemonProcess.cpuSeconds, calls: dry.count)
        say(String(format: "\nSign dry run (decode + policy, no ledger), 1 connection: %.0f/s, p50 %.1f µs, p99 %.1f µs, daemon CPU %.1f µs/call", dry.perSecond, dry.p50, dry.p99, dryCPU.serverPerCall))
        // The same at 32 connections: the RPC, decode and policy with no
        // signature and no ledger, against the target rate.
        let dryFrames32 = (0..<32).map { SignWorkload.frames(agent: agent, count: Int((seconds + 1) * 2_500), connection: 3000 + $0, dryRun: true) }
        var dryCPU32 = MachineCPU(server: daemonProcess.cpuSeconds)
        let dry32 = try ClosedLoop.run(threads: 32, seconds: seconds) { index in
            let loop = try SignLoop(socketPath: socketPath, frames: dryFrames32[index])
            return { try loop.call() }
        }
        dryCPU32.end(server: daemonProcess.cpuSeconds, calls: dry32.count)
        targets.dry32 = dry32.perSecond
        say(String(format: "Sign dry run, 32 connections: %.0f/s, p50 %.0f µs, p99 %.0f µs, daemon CPU %.1f µs/call, machine CPU %.1f µs/call",
                   dry32.perSecond, dry32.p50, dry32.p99, dryCPU32.serverPerCall, dryCPU32.perCall))
        targets.cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        targets.peakRSS = daemonProcess.peakResidentMegabytes
        say("\n" + targets.report())
        if let start = stealAtStart, let end = HostSteal.now() {
            let stolen = end.percent(since: start)
            say(String(format: "CPU time stolen by the hypervisor during these measurements: %.1f%%", stolen)
                + (stolen >= 5 ? " (figures disturbed: compare runs with little steal)" : ""))
        }

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
