import Foundation

/// Issue 18's targets, each judged from figures measured in the same run.
struct Targets {
    // nil until measured: a run that skips a measurement (say, --connections 32)
    // reports that target as not measured, never as met.
    var ceiling: Double?           // raw libsodium signs/s, one core
    var sign32: Double?            // waiaasd Sign/s at 32 connections
    var ssh32: Double?             // ssh-agent signs/s at 32 connections
    var sign1P50: Double?          // µs
    var commitP50: Double?         // µs, one fsync'd SQLite commit
    var pipelined64: Double?       // Sign/s, 1 connection, 64 in flight
    var peakRSS: Double?           // MB
    var ledgerAppendP50: Double?   // µs, one Sign row alone through the daemon's ledger
    var statusP50: Double?         // µs, GetStatus round trip at 1 connection
    var cores: Double?
    var bare32: Double?            // waiaas-bare-signer signs/s at 32 connections
    var bare32CPU: Double?         // µs of machine CPU (server + clients) per bare signature
    var sign32CPU: Double?         // µs of machine CPU per waiaasd Sign at 32 connections
    var ledger32: Double?          // rows/s, the daemon's ledger alone with 32 appenders
    var ledger32CPU: Double?       // µs of CPU per row there
    var dry32: Double?             // dry-run Sign/s at 32 connections: no signature, no ledger

    struct Line {
        let name: String
        let measured: String
        let target: String
        let met: Bool
    }

    var lines: [Line] {
        [
            Self.judge("Sign at 32 connections vs libsodium", sign32, ceiling, target: ">= 0.50x") { ours, ceiling in
                (String(format: "%.2fx", ours / ceiling), ours >= 0.5 * ceiling)
            },
            Self.judge("Sign at 32 connections vs ssh-agent", sign32, ssh32, target: ">= 15.0x") { ours, theirs in
                (String(format: "%.1fx", ours / theirs), ours >= 15 * theirs)
            },
            Self.judge("Sign at 1 connection, p50 vs one SQLite commit", sign1P50, commitP50, target: "<= 1.30x") { p50, commit in
                (String(format: "%.2fx (%.0f / %.0f µs)", p50 / commit, p50, commit), p50 <= 1.3 * commit)
            },
            Self.judge("Pipelined (1 conn, 64 in flight) vs 32 connections", pipelined64, sign32, target: ">= 1.00x") { piped, closed in
                (String(format: "%.2fx (%.0f / %.0f /s)", piped / closed, piped, closed), piped >= closed)
            },
            Self.judge("Daemon peak resident memory", peakRSS, 1, target: "<= 50 MB") { megabytes, _ in
                (String(format: "%.1f MB", megabytes), megabytes <= 50)
            },
        ]
    }

    /// A target from two figures of this run; not met when either is missing or zero.
    private static func judge(
        _ name: String, _ figure: Double?, _ reference: Double?, target: String, _ rule: (Double, Double) -> (String, Bool)
    ) -> Line {
        guard let figure, let reference, figure > 0, reference > 0 else {
            return Line(name: name, measured: "not measured", target: target, met: false)
        }
        let (measured, met) = rule(figure, reference)
        return Line(name: name, measured: measured, target: target, met: met)
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
        if let floor = oneConnectionFloor { out += "\n" + floor }
        if let floor = thirtyTwoConnectionFloor { out += "\n" + floor }
        return out
    }

    /// What a Sign at one connection cannot avoid, from this run's own
    /// figures: its row's append through the ledger, one signature at the
    /// one-core ceiling, and a round trip of the transport. The signature is
    /// made before the commit (the row holds it), so these add up.
    var oneConnectionFloor: String? {
        guard let row = ledgerAppendP50, let ceiling, ceiling > 0, let trip = statusP50, let commit = commitP50, commit > 0 else { return nil }
        let sign = 1e6 / ceiling
        let floor = row + sign + trip
        let sum = String(
            format: "Floor under Sign at 1 connection: ledger row %.0f + signature %.0f + round trip %.0f = %.0f µs, %.2fx the plain commit (target 1.30x)",
            row, sign, trip, floor, floor / commit)
        return sum + (floor > 1.3 * commit ? ": out of reach on this disk and schema" : "")
    }

    /// What Sign at 32 connections cannot avoid, from this run's own figures:
    /// the bare signer's machine CPU per call (the kernel's socket work on
    /// both sides, the clients, one signature) plus the ledger's CPU per row
    /// when it has the machine to itself. At the target rate the cores give
    /// `cores / rate` per call; what is left after the floor is all that
    /// decode, policy, protobuf and the daemon's framing may cost.
    var thirtyTwoConnectionFloor: String? {
        guard let ceiling, ceiling > 0, let cores, let bare = bare32CPU, bare > 0, let ledger = ledger32CPU,
              let ledgerRate = ledger32, let ours = sign32CPU, ours > 0 else { return nil }
        let rate = 0.5 * ceiling
        let budget = cores * 1e6 / rate
        let floor = bare + ledger
        var out = String(
            format: "Floor under Sign at 32 connections: at the target rate (%.0f/s) %.0f cores give %.1f µs of CPU per call; "
                + "transport and signature (the bare signer) take %.1f and a ledger row %.1f, so %.1f µs would be left for decode, policy and framing; "
                + "waiaasd spends %.1f µs per call in all, %.1f above the floor",
            rate, cores, budget, bare, ledger, budget - floor, ours, ours - floor)
        if let dry32, dry32 > 0 {
            out += String(format: "; a dry run (no signature, no ledger) at 32 connections reaches %.2fx the target rate", dry32 / rate)
        }
        if ledgerRate < rate {
            out += String(format: "; the ledger alone, with no RPC, commits %.0f rows/s, below the target rate: out of reach on this disk and schema", ledgerRate)
        } else if floor >= budget {
            out += ": out of reach on this machine even with no decode or policy at all"
        }
        return out
    }
}
