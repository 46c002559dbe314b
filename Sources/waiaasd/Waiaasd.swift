import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import WaiaasChain
import WaiaasCustody
import WaiaasDaemon
import WaiaasRPC
import WaiaasSolana

/// `waiaasd`: the custody daemon.
@main
struct Waiaasd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waiaasd",
        abstract: "The WAIaaS custody daemon: signs for an AI agent inside its owner's policy.",
        subcommands: [Serve.self, Init.self],
        defaultSubcommand: nil
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the wallet RPC on a Unix socket.")

    @Option(help: "The daemon's home directory (keystore, ledger, socket).")
    var home: String = "./.waiaas"

    @Flag(help: "Development: initialise a missing home with a dev keystore, a dev owner key and a starter policy.")
    var dev = false

    @Option(name: .customLong("passphrase-fd"), help: "Read the keystore passphrase from this file descriptor.")
    var passphraseFD: Int32?

    @Option(help: "Unix socket path (default: $WAIAAS_SOCKET, else HOME/waiaasd.sock).")
    var socket: String?

    @Option(name: .customLong("allow-uid"), help: "A uid allowed to connect (repeatable; default: this daemon's uid).")
    var allowUIDs: [UInt32] = []

    @Option(name: .customLong("socket-group"), help: "A gid whose members may reach the socket (directory 0750, socket 0660).")
    var socketGroup: UInt32?

    @Option(name: .customLong("max-frame-bytes"), help: "Largest frame accepted.")
    var maxFrameBytes: Int = 256 * 1024

    @Option(name: .customLong("max-in-flight"), help: "Calls in flight per connection.")
    var maxInFlight: Int = 256

    @Option(name: .customLong("max-connections"), help: "Open connections in total.")
    var maxConnections: Int = 1024

    @Option(name: .customLong("read-timeout-ms"), help: "A frame must arrive within this many milliseconds of its first byte.")
    var readTimeoutMilliseconds: Int64 = 10_000

    @Option(name: .customLong("max-queued-bytes"), help: "Bytes of answers queued on one connection before it stops being read.")
    var maxQueuedBytes: Int = 256 * 1024

    @Option(name: .customLong("idle-timeout"), help: "Close a connection with no call in flight that moves no byte for this many seconds (0: never).")
    var idleTimeoutSeconds: Int64 = 300

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Flag(name: .customLong("reseal-home"), help: "Tag config.json and the ledger head as they are now (needs the KEK). Only after checking the owners in config.json and why the ledger changed.")
    var resealHome = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .customLong("rpc-url"), help: "A Solana JSON-RPC endpoint (repeatable: every chain fact must agree across all of them). None: offline (docs/RPC.md).")
    var rpcURLs: [String] = []

    @Option(name: .customLong("rpc-commitment"), help: "The commitment of every chain read: processed, confirmed or finalized.")
    var rpcCommitment: String = Commitment.confirmed.rawValue

    @Option(name: .customLong("rpc-timeout-ms"), help: "Each RPC call's whole budget, retries included.")
    var rpcTimeoutMilliseconds: Int = 5_000

    @Option(name: .customLong("multisig"), help: "The Squads v4 multisig the agent proposes to (base58; default: the one `waiaasd init --multisig` recorded). Needs --rpc-url.")
    var multisig: String?

    @Option(name: .customLong("kms-region"), help: "For an aws-kms keystore: the KMS key's AWS region (default: $AWS_REGION, else $AWS_DEFAULT_REGION).")
    var kmsRegion: String?

    @Option(name: .customLong("kms-endpoint"), help: "For an aws-kms keystore: the KMS endpoint URL (tests, VPC endpoints).")
    var kmsEndpoint: String?

    @Option(name: .customLong("compute-unit-price"), help: "Micro-lamports per compute unit on the transactions Transfer builds (0: none).")
    var computeUnitPrice: UInt64 = 0

    func validate() throws {
        guard (1...(64 * 1024 * 1024)).contains(maxFrameBytes) else { throw ValidationError("--max-frame-bytes must be between 1 and 67108864") }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard readTimeoutMilliseconds >= 1 else { throw ValidationError("--read-timeout-ms must be at least 1") }
        guard maxQueuedBytes >= 1 else { throw ValidationError("--max-queued-bytes must be at least 1") }
        guard idleTimeoutSeconds >= 0 else { throw ValidationError("--idle-timeout must be 0 (never) or more") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard Commitment(rawValue: rpcCommitment) != nil else { throw ValidationError("--rpc-commitment must be processed, confirmed or finalized") }
        guard (100...120_000).contains(rpcTimeoutMilliseconds) else { throw ValidationError("--rpc-timeout-ms must be between 100 and 120000") }
        guard rpcURLs.count <= 8 else { throw ValidationError("at most 8 --rpc-url endpoints") }
        if let multisig, PublicKey(base58: multisig) == nil { throw ValidationError("--multisig \(multisig) is not a base58 32-byte address") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "waiaasd")
        try Hardening.disableCoreDumps()
        if !ProcessMemory.returnLargeBlocksToTheSystem() {
            logger.warning("glibc refused a fixed mmap threshold; freed large blocks may stay resident")
        }

        var devSummary: HomeSetup.DevSummary?
        if dev {
            do {
                devSummary = try await HomeSetup.ensureDevHome(home)
            } catch {
                logger.error("cannot prepare the development home", metadata: ["error": "\(error)"])
                throw ExitCode(2)
            }
        }
        var chain: ChainQuorum?
        if !rpcURLs.isEmpty {
            var settings = RPCSettings()
            settings.commitment = Commitment(rawValue: rpcCommitment) ?? .confirmed
            settings.timeoutMilliseconds = rpcTimeoutMilliseconds
            do {
                chain = try ChainQuorum(urls: rpcURLs, settings: settings)
            } catch {
                logger.error("bad --rpc-url", metadata: ["error": "\(error.message)"])
                throw ExitCode(2)
            }
        }
        let opened: DaemonRuntime.Opened
        do {
            opened = try await DaemonRuntime.open(home: home, passphraseFD: passphraseFD, logger: logger, resealHome: resealHome, chain: chain,
                                                  multisig: multisig.flatMap { PublicKey(base58: $0) },
                                                  kms: KMSKeyEncryption.Settings(region: kmsRegion, endpoint: kmsEndpoint))
        } catch {
            logger.error("cannot open the home", metadata: ["home": "\(home)", "error": "\(error)"])
            throw ExitCode(2)
        }
        var permissions: SquadsPermissions = []
        do {
            permissions = try await MultisigCheck.verify(core: opened.core)
        } catch {
            logger.error("cannot use the multisig", metadata: ["error": "\(error.message)"])
            throw ExitCode(2)
        }
        let home = HomeLayout(home)
        let socketPath = home.socketPath(flag: socket, environment: ProcessInfo.processInfo.environment)

        var limits = RPCServerConfiguration.Limits()
        limits.maximumFrameSize = maxFrameBytes
        limits.maximumInFlightPerConnection = maxInFlight
        limits.maximumConnections = maxConnections
        limits.partialFrameTimeout = .milliseconds(readTimeoutMilliseconds)
        limits.maximumQueuedOutboundBytes = maxQueuedBytes
        limits.idleTimeout = idleTimeoutSeconds == 0 ? nil : .seconds(idleTimeoutSeconds)
        let configuration = RPCServerConfiguration(
            socketPath: socketPath,
            allowedUIDs: allowUIDs.isEmpty ? nil : Set(allowUIDs),
            socketGroup: socketGroup,
            limits: limits,
            threads: threads ?? System.coreCount
        )

        // Signals first: from here on SIGTERM/SIGINT mean a graceful stop.
        let shutdown = ShutdownLatch()
        try ShutdownSignals.install { signal in
            logger.info("signal received, shutting down", metadata: ["signal": "\(signal)"])
            shutdown.trigger()
        }

        let state = DaemonState()
        let service = WalletService(
            state: state, core: opened.core, attest: try AttestService.make(core: opened.core, logger: logger), computeUnitPrice: computeUnitPrice)
        let server = RPCServer(configuration: configuration, service: service, logger: logger)
        state.attach(metrics: server.metrics)
        do {
            try await server.start()
        } catch {
            logger.error("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(2)
        }
        // stdout is a pipe under `make run` and tests: say where we listen at once.
        var banner = ""
        if let devSummary {
            banner += "DEVELOPMENT HOME \(home.path): the owner key \(home.devOwnerKey) lives beside the daemon.\n"
            banner += "  Never do this in production: the owner key must not be on the daemon's host.\n"
            banner += "  owner: \(devSummary.owner.base58)\(devSummary.created ? " (created now)" : "")\n"
        }
        banner += "agent: \(opened.core.agentAddress)\n"
        banner += "policy: \(opened.core.policySummary)\n"
        banner += chain.map { "rpc: \($0.names) (\($0.settings.commitment.rawValue))\n" }
            ?? "rpc: none (offline: lookup tables cannot be verified)\n"
        if let multisig = opened.core.multisig, let vault = opened.core.vault {
            let names = [(SquadsPermissions.initiate, "initiate"), (.vote, "vote"), (.execute, "execute")].filter { permissions.contains($0.0) }.map(\.1)
            banner += "multisig: \(multisig.base58) (vault \(vault.base58); the agent may \(names.isEmpty ? "nothing" : names.joined(separator: ", ")))\n"
        }
        banner += "waiaasd \(DaemonState.version) listening on \(socketPath)\n"
        FileHandle.standardOutput.write(Data(banner.utf8))
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: logger))
        shutdown.onTrigger { Task { await group.triggerGracefulShutdown() } }
        try await group.run()
        // The final head, so a clean stop leaves the anchor exactly at the ledger's head.
        opened.anchor.close()
        logger.info("stopped; the ledger's group commit since start", metadata: opened.core.ledgerCommitSummary)
    }
}
