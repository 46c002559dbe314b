import Foundation

/// Issue 18's targets, each judged from figures measured in the same run.
struct Targets {
    var ceiling = 0.0              // raw libsodium signs/s, one core
    var sign32 = 0.0               // waiaasd Sign/s at 32 connections
    var ssh32 = 0.0                // ssh-agent signs/s at 32 connections
    var sign1P50 = 0.0             // µs
    var commitP50 = 0.0            // µs, one fsync'd SQLite commit
    var pipelined64 = 0.0          // Sign/s, 1 connection, 64 in flight
    var peakRSS = 0.0              // MB

    struct Line {
        let name: String
        let measured: String
        let target: String
        let met: Bool
    }

    var lines: [Line] {
        [
            Line(name: "Sign at 32 connections vs libsodium", measured: String(format: "%.2fx", sign32 / max(ceiling, 1)), target: ">= 0.50x",
                 met: sign32 >= 0.5 * ceiling),
            Line(name: "Sign at 32 connections vs ssh-agent", measured: String(format: "%.1fx", sign32 / max(ssh32, 1)), target: ">= 15.0x",
                 met: sign32 >= 15 * ssh32),
            Line(name: "Sign at 1 connection, p50 vs one SQLite commit", measured: String(format: "%.2fx (%.0f / %.0f µs)", sign1P50 / max(commitP50, 1), sign1P50, commitP50),
                 target: "<= 1.30x", met: sign1P50 <= 1.3 * commitP50),
            Line(name: "Pipelined (1 conn, 64 in flight) vs 32 connections", measured: String(format: "%.2fx (%.0f / %.0f /s)", pipelined64 / max(sign32, 1), pipelined64, sign32),
                 target: ">= 1.00x", met: pipelined64 >= sign32),
            Line(name: "Daemon peak resident memory", measured: String(format: "%.1f MB", peakRSS), target: "<= 50 MB", met: peakRSS <= 50),
        ]
    }

    func report() -> String {
        var out = "Targets (issue 18), from this run\n"
        out += "target                                               measured                  wanted     met\n"
        for line in lines {
            out += line.name.padding(toLength: 53, withPad: " ", startingAt: 0)
                + line.measured.padding(toLength: 26, withPad: " ", startingAt: 0)
                + line.target.padding(toLength: 11, withPad: " ", startingAt: 0)
                + (line.met ? "yes" : "NO") + "\n"
        }
        let met = lines.filter(\.met).count
        out += "\(met) of \(lines.count) targets met."
        return out
    }
}
