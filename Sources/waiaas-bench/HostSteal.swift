import Foundation

/// CPU time the hypervisor gave to other guests (the `steal` column of
/// /proc/stat's first line). On a shared VM it swings from nothing to a
/// quarter of the machine between runs, and every figure with it, so the
/// bench prints it beside the figures instead of leaving it to be guessed.
struct HostSteal {
    let steal: UInt64
    let total: UInt64

    /// The aggregate "cpu" line now; nil where /proc/stat is not readable.
    static func now() -> HostSteal? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard ticks.count == 8 else { return nil }
        return HostSteal(steal: ticks[7], total: ticks.reduce(0, +))
    }

    /// The share of CPU time stolen since `earlier`, in percent.
    func percent(since earlier: HostSteal) -> Double {
        let total = total &- earlier.total
        return total == 0 ? 0 : 100 * Double(steal &- earlier.steal) / Double(total)
    }
}
