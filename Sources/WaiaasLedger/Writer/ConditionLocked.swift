#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// State behind a pthread mutex, with a condition variable to sleep on until
/// it changes. The writer thread blocks here between batches, which is why
/// this is a real OS lock and not an actor: it runs outside Swift's
/// cooperative pool and may block.
final class ConditionLocked<State>: @unchecked Sendable {
    // pthread objects must not move once initialized: heap-allocate them.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Only touched with `mutex` held; that is the @unchecked Sendable invariant.
    private var state: State

    init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Sleeps until `ready` holds, then runs `body` under the same lock hold.
    /// `ready` is evaluated only with the lock held.
    func wait<Result>(until ready: (State) -> Bool, then body: (inout State) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(state) {
            pthread_cond_wait(condition, mutex)
        }
        return body(&state)
    }

    /// Wakes the one thread sleeping in `wait` (there is only ever the writer).
    func signal() {
        pthread_cond_signal(condition)
    }
}
