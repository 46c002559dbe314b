import NIOConcurrencyHelpers
import NIOCore

/// Counts connections and calls across all event loops, and keeps the open
/// channels so shutdown can close what is left after the grace period.
final class ConnectionTracker: ServerMetrics, Sendable {
    private struct State {
        var channels: [ObjectIdentifier: Channel] = [:]
        var calls = 0
        var idleWaiters: [EventLoopPromise<Void>] = []
        var loopsStopping = false
    }

    private let state = NIOLockedValueBox(State())

    var openConnections: Int { state.withLockedValue { $0.channels.count } }
    var callsInFlight: Int { state.withLockedValue { $0.calls } }

    /// Registers `channel` unless `limit` connections are already open.
    func admit(_ channel: Channel, limit: Int) -> Bool {
        state.withLockedValue { state in
            guard state.channels.count < limit else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func remove(_ channel: Channel) {
        state.withLockedValue { _ = $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Runs `body` on `loop` unless the server has begun stopping its event
    /// loops: a handler that finishes after the grace period (a task still
    /// running, a late ledger commit) must not schedule work on a loop that
    /// is shut down (NIO reports that, and will trap on it). Its connection
    /// is closed by then, so there is no one to answer. Checking and
    /// enqueueing under the lock that `stopLoops` takes means no `execute`
    /// can start after the shutdown has.
    func execute(on loop: EventLoop, _ body: @escaping @Sendable () -> Void) {
        state.withLockedValue { state in
            guard !state.loopsStopping else { return }
            loop.execute(body)
        }
    }

    /// Called just before the server's event loops shut down.
    func stopLoops() {
        state.withLockedValue { $0.loopsStopping = true }
    }

    func callStarted() {
        state.withLockedValue { $0.calls += 1 }
    }

    func callFinished() {
        let waiters: [EventLoopPromise<Void>] = state.withLockedValue { state in
            state.calls -= 1
            guard state.calls == 0 else { return [] }
            defer { state.idleWaiters.removeAll() }
            return state.idleWaiters
        }
        waiters.forEach { $0.succeed() }
    }

    /// Succeeds when no call is in flight.
    func whenIdle(on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let idleNow = state.withLockedValue { state in
            if state.calls == 0 { return true }
            state.idleWaiters.append(promise)
            return false
        }
        if idleNow { promise.succeed() }
        return promise.futureResult
    }

    func allChannels() -> [Channel] {
        state.withLockedValue { Array($0.channels.values) }
    }
}
