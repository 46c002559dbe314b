/// Which messages may have been signed before: a Bloom filter over the
/// SHA-256 digests of every signed message, so that Sign looks a request up
/// in the ledger (a disk read, off the event loop) only when the filter says
/// "maybe", and skips the lookup for the new messages that make up nearly
/// all traffic.
///
/// No false negatives: every digest of a committed sign row is added, from
/// the ledger at start and from each commit before its reservation ends.
/// False positives (about 1 in 1,700 per layer at the fill each layer
/// allows: 16 bits and 8 probes per digest) only cost a lookup. It grows by
/// adding a layer of twice the capacity when the newest one is full, so
/// memory stays at 2 to 4 bytes per signed message.
/// Not thread-safe: `WalletCore` keeps it under its lock.
struct SignedDigestFilter: Sendable {
    private struct Layer: Sendable {
        var bits: [UInt64]
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            // 16 bits per entry; a power of two so a probe is a mask.
            var words = 1
            while words * 64 < capacity * 16 { words *= 2 }
            bits = [UInt64](repeating: 0, count: words)
        }

        private var mask: Int { bits.count * 64 - 1 }

        mutating func insert(_ probes: [Int]) {
            for probe in probes {
                let bit = probe & mask
                bits[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            count += 1
        }

        func contains(_ probes: [Int]) -> Bool {
            probes.allSatisfy { probe in
                let bit = probe & mask
                return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
            }
        }
    }

    private var layers: [Layer]

    /// Digests added so far: also the generation `WalletCore` compares to
    /// tell whether anything was committed since a ledger lookup.
    var count: Int { layers.reduce(0) { $0 + $1.count } }

    init(expected: Int = 0) {
        layers = [Layer(capacity: max(4_096, expected * 2))]
    }

    /// Adds a 32-byte digest.
    mutating func insert(_ digest: [UInt8]) {
        if layers[layers.count - 1].count >= layers[layers.count - 1].capacity {
            layers.append(Layer(capacity: layers[layers.count - 1].capacity * 2))
        }
        layers[layers.count - 1].insert(Self.probes(digest))
    }

    /// Sets every bit, so the filter claims every digest: for tests of the
    /// false-positive path, which real traffic meets only rarely.
    mutating func saturateForTesting() {
        for i in layers.indices { layers[i].bits = [UInt64](repeating: .max, count: layers[i].bits.count) }
    }

    /// False only when `digest` was certainly never added.
    func mayContain(_ digest: [UInt8]) -> Bool {
        let probes = Self.probes(digest)
        return layers.contains { $0.contains(probes) }
    }

    /// Eight independent bit positions: the digest is SHA-256, so its eight
    /// 32-bit words are already uniformly distributed. Shorter input (never
    /// from Sign) is padded with zeros.
    private static func probes(_ digest: [UInt8]) -> [Int] {
        (0..<8).map { word in
            (0..<4).reduce(0) { value, byte in
                let index = word * 4 + byte
                return value << 8 | Int(index < digest.count ? digest[index] : 0)
            }
        }
    }
}
