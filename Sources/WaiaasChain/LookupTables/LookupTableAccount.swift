import WaiaasSolana

/// An address lookup table account, decoded strictly from its bytes (the
/// Address Lookup Table program's `ProgramState::LookupTable`): a u32 tag
/// of 1, the 52-byte meta, padding to byte 56, then 32-byte addresses.
struct LookupTableAccount: Sendable, Equatable {
    static let metaSize = 56
    static let maximumAddresses = 256

    var deactivationSlot: UInt64
    var lastExtendedSlot: UInt64
    var lastExtendedSlotStartIndex: UInt8
    var authority: PublicKey?
    var addresses: [PublicKey]

    /// A table that has not been deactivated carries u64::MAX here.
    var isActive: Bool { deactivationSlot == .max }

    init(_ account: AccountState) throws(ChainError) {
        guard account.owner == ProgramIds.addressLookupTable else {
            throw ChainError(.notLookupTable, "the account is owned by \(account.owner.base58), not the Address Lookup Table program")
        }
        let data = account.data
        guard data.count >= Self.metaSize else { throw ChainError(.notLookupTable, "\(data.count) bytes is shorter than a table's 56-byte header") }
        guard (data.count - Self.metaSize) % 32 == 0 else {
            throw ChainError(.notLookupTable, "\(data.count - Self.metaSize) bytes of addresses is not a whole number of 32-byte keys")
        }
        let count = (data.count - Self.metaSize) / 32
        guard count <= Self.maximumAddresses else { throw ChainError(.notLookupTable, "\(count) addresses is more than a table can hold (256)") }
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[at + $1]) << (8 * $1) } }
        let tag = (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[$1]) << (8 * $1) }
        guard tag == 1 else { throw ChainError(.notLookupTable, "the account's state tag is \(tag), not 1 (a lookup table)") }
        deactivationSlot = u64(4)
        lastExtendedSlot = u64(12)
        lastExtendedSlotStartIndex = data[20]
        switch data[21] {
        case 0: authority = nil
        case 1: authority = PublicKey(bytes: Array(data[22..<54]))
        default: throw ChainError(.notLookupTable, "the authority's option tag is \(data[21]), not 0 or 1")
        }
        addresses = (0..<count).map { PublicKey(bytes: Array(data[Self.metaSize + 32 * $0 ..< Self.metaSize + 32 * ($0 + 1)]))! }
    }
}
