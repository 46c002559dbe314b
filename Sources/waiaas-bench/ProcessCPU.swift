import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time from the kernel's accounting, for µs-per-call figures.
enum ProcessCPU {
    /// User plus system CPU of every thread of `pid`, from /proc/PID/stat
    /// (fields 14 and 15, in clock ticks).
    static func seconds(pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // After the command name: field 3 (state) onwards.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// This process's own CPU (all its threads: the bench's clients), to the microsecond.
    static var ownSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// A server's CPU and the bench's own (its client threads) over one
/// measurement, per call: on a machine whose cores both sides share, the
/// machine CPU per call is what bounds calls per second.
struct MachineCPU {
    private let serverStart: Double
    private let clientStart: Double
    private(set) var serverPerCall: Double = 0
    private(set) var perCall: Double = 0

    init(server: Double) {
        serverStart = server
        clientStart = ProcessCPU.ownSeconds
    }

    mutating func end(server: Double, calls: Int) {
        let client = ProcessCPU.ownSeconds - clientStart
        serverPerCall = (server - serverStart) * 1e6 / Double(max(calls, 1))
        perCall = serverPerCall + client * 1e6 / Double(max(calls, 1))
    }
}
