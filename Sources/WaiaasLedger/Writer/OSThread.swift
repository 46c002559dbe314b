#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread. The ledger's writer blocks in fsync for hundreds of
/// microseconds per commit; doing that on Swift's cooperative pool (two
/// threads on the target machine) or on a NIO event loop would stall
/// everything else, so it gets a thread of its own.
final class OSThread: @unchecked Sendable {
    // Written once in `init` (pthread_create) before any other thread can see this object.
    private var thread = pthread_t()

    private final class Body {
        let run: () -> Void
        init(run: @escaping () -> Void) {
            self.run = run
        }
    }

    /// Starts `run` on a new thread. (It stays unnamed: Glibc's module does
    /// not export pthread_setname_np, which needs _GNU_SOURCE.)
    init(run: @escaping @Sendable () -> Void) throws(LedgerError) {
        let body = Unmanaged.passRetained(Body(run: run))
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let body = Unmanaged<Body>.fromOpaque(raw).takeRetainedValue()
            body.run()
            return nil
        }, body.toOpaque())
        guard rc == 0 else {
            body.release()
            throw LedgerError(.storage, "cannot start the ledger writer thread (\(String(cString: strerror(rc))))")
        }
    }

    /// True when called on this thread (joining it from itself would deadlock).
    var isCurrent: Bool {
        pthread_equal(pthread_self(), thread) != 0
    }

    /// Waits for the thread to return; detaches it instead when called from it.
    func join() {
        if isCurrent {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}
