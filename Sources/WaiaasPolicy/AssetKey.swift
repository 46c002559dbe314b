import WaiaasSolana

/// An asset as the policy and the ledger name it: empty bytes for SOL
/// (lamports), else the 32-byte mint.
public struct AssetKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static let sol = AssetKey(bytes: [])
    public static func mint(_ mint: PublicKey) -> AssetKey { AssetKey(bytes: mint.bytes) }

    public var isSOL: Bool { bytes.isEmpty }
    public var mint: PublicKey? { PublicKey(bytes: bytes) }

    public var description: String { mint?.base58 ?? "SOL" }

    public static func < (a: AssetKey, b: AssetKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
