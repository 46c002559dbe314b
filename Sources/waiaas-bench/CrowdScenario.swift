import Foundation
import WaiaasProto
import WaiaasRPC
import WaiaasSolana

#if canImport(Glibc)
import Glibc
#endif

/// One allowed client's Sign, alone and then beside a crowd: many idle
/// connections, and a slowloris client on every slot left (each drips a
/// frame that never completes, is closed at the read timeout, reconnects).
/// The question: does the crowd slow the client that does its work?
enum CrowdScenario {
    struct Result {
        var alone: ClosedLoop.Result
        var crowded: ClosedLoop.Result
        /// Alone again once the crowd is gone: how much the machine drifted.
        var aloneAfter: ClosedLoop.Result
        var idle: Int
        var slowloris: Int
        var slowlorisConnections: Int
    }

    static func run(socketPath: String, agent: PublicKey, seconds: Double, prepared: Int, idle: Int, maximumConnections: Int) throws -> Result {
        let alone = try measureSign(socketPath: socketPath, agent: agent, seconds: seconds, prepared: prepared, connection: 9001)

        var idleSockets: [BlockingSocket] = []
        for _ in 0..<idle { idleSockets.append(try BlockingSocket(path: socketPath)) }
        // The measured client connects before the slowloris clients take the rest.
        let measured = UncheckedBox(try SignLoop(socketPath: socketPath, frames: SignWorkload.frames(agent: agent, count: prepared, connection: 9002, dryRun: false)))
        let slowloris = max(0, maximumConnections - idle - 1)
        let crowd = Slowloris(socketPath: socketPath, clients: slowloris)
        Thread.sleep(forTimeInterval: 1)  // every slowloris client connected and dripping
        let crowded = try ClosedLoop.run(threads: 1, seconds: seconds) { _ in { try measured.value.call() } }
        let connections = crowd.stop()
        idleSockets.removeAll()
        let aloneAfter = try measureSign(socketPath: socketPath, agent: agent, seconds: seconds, prepared: prepared, connection: 9003)
        return Result(alone: alone, crowded: crowded, aloneAfter: aloneAfter, idle: idle, slowloris: slowloris, slowlorisConnections: connections)
    }

    private static func measureSign(socketPath: String, agent: PublicKey, seconds: Double, prepared: Int, connection: Int) throws -> ClosedLoop.Result {
        let frames = SignWorkload.frames(agent: agent, count: prepared, connection: connection, dryRun: false)
        return try ClosedLoop.run(threads: 1, seconds: seconds) { _ in
            let loop = try SignLoop(socketPath: socketPath, frames: frames)
            return { try loop.call() }
        }
    }
}

/// Slowloris clients, one thread each: connect, announce a 1000-byte frame,
/// send one byte of it every 200 ms until the daemon closes the connection
/// (read timeout), connect again.
final class Slowloris: @unchecked Sendable {  // `stopping` and `connections` under `lock`
    private let lock = NSLock()
    private var stopping = false
    private var connections = 0
    private let done = DispatchGroup()

    init(socketPath: String, clients: Int) {
        for _ in 0..<clients {
            done.enter()
            let thread = Thread { [self] in
                defer { done.leave() }
                while !isStopping {
                    guard let socket = try? BlockingSocket(path: socketPath) else { usleep(100_000); continue }
                    lock.lock(); connections += 1; lock.unlock()
                    do {
                        try socket.write([0, 0, 0x03, 0xE8])
                        while !isStopping {
                            usleep(200_000)
                            try socket.write([0x0A])
                        }
                    } catch {
                        usleep(100_000)  // closed by the daemon (or refused): connect again
                    }
                }
            }
            thread.stackSize = 1 << 18
            thread.start()
        }
    }

    private var isStopping: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopping
    }

    /// Stops every client; returns how many connections they opened in all.
    func stop() -> Int {
        lock.lock(); stopping = true; lock.unlock()
        done.wait()
        lock.lock(); defer { lock.unlock() }
        return connections
    }
}

/// Hands a value to the one worker thread that uses it.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
