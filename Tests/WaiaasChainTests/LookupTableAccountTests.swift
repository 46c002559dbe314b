import XCTest
@testable import WaiaasChain
import WaiaasSolana

/// The lookup-table account layout, decoded strictly. The bytes are built
/// here from the program's layout (solana-program `address_lookup_table`
/// `state.rs`: u32 tag, deactivation slot, last extended slot and its start
/// index, an optional authority, u16 padding, then the addresses from byte
/// 56); the end-to-end tests read real tables written into LiteSVM.
final class LookupTableAccountTests: XCTestCase {
    static func key(_ n: UInt8) -> PublicKey { PublicKey(bytes: [UInt8](repeating: n, count: 32))! }

    static func tableBytes(tag: UInt32 = 1, deactivation: UInt64 = .max, authority: PublicKey? = key(9), addresses: [PublicKey]) -> [UInt8] {
        var bytes: [UInt8] = []
        func u64(_ v: UInt64) { bytes += (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: tag >> (8 * $0)) }
        u64(deactivation)
        u64(77)
        bytes.append(3)
        if let authority { bytes.append(1); bytes += authority.bytes } else { bytes += [UInt8](repeating: 0, count: 33) }
        bytes += [0, 0]
        XCTAssertEqual(bytes.count, 56)
        for address in addresses { bytes += address.bytes }
        return bytes
    }

    func account(_ data: [UInt8], owner: PublicKey = ProgramIds.addressLookupTable) -> AccountState {
        AccountState(lamports: 1_000_000, owner: owner, data: data, executable: false)
    }

    func testDecodesAnActiveTable() throws {
        let table = try LookupTableAccount(account(Self.tableBytes(addresses: [Self.key(1), Self.key(2)])))
        XCTAssertEqual(table.addresses, [Self.key(1), Self.key(2)])
        XCTAssertTrue(table.isActive)
        XCTAssertEqual(table.authority, Self.key(9))
        XCTAssertEqual(table.lastExtendedSlot, 77)
        XCTAssertEqual(table.lastExtendedSlotStartIndex, 3)
        XCTAssertNil(try LookupTableAccount(account(Self.tableBytes(authority: nil, addresses: []))).authority)
    }

    func testDeactivatedTableIsNotActive() throws {
        XCTAssertFalse(try LookupTableAccount(account(Self.tableBytes(deactivation: 500, addresses: [Self.key(1)]))).isActive)
    }

    func testRefusesWhatIsNotATable() {
        let good = Self.tableBytes(addresses: [Self.key(1)])
        let cases: [(String, AccountState)] = [
            ("foreign owner", account(good, owner: ProgramIds.system)),
            ("uninitialized tag", account(Self.tableBytes(tag: 0, addresses: []))),
            ("short header", account(Array(good.prefix(55)))),
            ("partial address", account(good + [1])),
            ("bad option tag", account({ var b = good; b[21] = 2; return b }())),
            ("too many addresses", account(Self.tableBytes(addresses: [PublicKey](repeating: Self.key(4), count: 257)))),
        ]
        for (name, state) in cases {
            XCTAssertThrowsError(try LookupTableAccount(state), name)
        }
        XCTAssertNoThrow(try LookupTableAccount(account(Self.tableBytes(addresses: [PublicKey](repeating: Self.key(4), count: 256)))))
    }
}
