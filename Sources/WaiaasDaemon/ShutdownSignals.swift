internal import CWaiaasShims
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, turned into one call of `onSignal` on a plain thread.
///
/// The handlers are installed with sigaction at once (see the C shim), so a
/// signal that arrives right after the daemon says it listens is never lost;
/// swift-service-lifecycle's own signal sequence installs its handler only
/// when the group starts running, which leaves such a window.
public enum ShutdownSignals {
    public static func install(onSignal: @escaping @Sendable (Int32) -> Void) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw DaemonError(.signals, "cannot create the shutdown pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        guard waiaas_install_shutdown_signals(writeEnd) == 0 else {
            throw DaemonError(.signals, "cannot install signal handlers: \(String(cString: strerror(errno)))")
        }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    onSignal(Int32(byte))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "waiaasd-signals"
        thread.start()
    }
}
