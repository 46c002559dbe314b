internal import CWaiaasShims

#if canImport(Glibc)
import Glibc
#endif

/// Process-level protections taken before any secret is loaded.
public enum Hardening {
    /// Core dumps off (RLIMIT_CORE 0, not dumpable): a crash must never write
    /// key material to disk, and other processes of the same user must not
    /// attach to read it.
    public static func disableCoreDumps() throws {
        guard waiaas_disable_core_dumps() == 0 else {
            throw DaemonError(.hardening, "cannot disable core dumps: \(String(cString: strerror(errno)))")
        }
    }

    public static var isDumpable: Bool { waiaas_is_dumpable() != 0 }
}
