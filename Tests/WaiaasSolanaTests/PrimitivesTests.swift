import Foundation
import XCTest
@testable import WaiaasSolana

final class PrimitivesTests: XCTestCase {
    func testBase58KnownValues() {
        XCTAssertEqual(Base58.encode([]), "")
        XCTAssertEqual(Base58.encode([0, 0, 1]), "112")
        XCTAssertEqual(Base58.encode(Array("hello world".utf8)), "StV1DL6CwTryKyV")
        XCTAssertEqual(Base58.decode("StV1DL6CwTryKyV"), Array("hello world".utf8))
        XCTAssertEqual(PublicKey.zero.base58, "11111111111111111111111111111111")
        XCTAssertEqual(ProgramIds.token.bytes.count, 32)
    }

    func testBase58IsStrict() {
        for bad in ["0", "O", "I", "l", " 2", "2 ", "2\n", "+", "é"] {
            XCTAssertNil(Base58.decode(bad), bad)
        }
        XCTAssertNil(PublicKey(base58: "1111111111111111111111111111111"), "31 bytes")
        XCTAssertNil(PublicKey(base58: "111111111111111111111111111111111"), "33 bytes")
        XCTAssertNil(PublicKey(base58: String(repeating: "z", count: 45)))
    }

    func testBase58RoundTripsRandomBytes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let n = Int.random(in: 0..<80, using: &rng)
            let zeros = Int.random(in: 0..<4, using: &rng)
            let bytes = [UInt8](repeating: 0, count: zeros) + (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            XCTAssertEqual(Base58.decode(Base58.encode(bytes)), bytes)
        }
    }

    func testPublicKeyOrderingFollowsBytes() {
        let a = PublicKey(bytes: [0] + [UInt8](repeating: 255, count: 31))!
        let b = PublicKey(bytes: [1] + [UInt8](repeating: 0, count: 31))!
        XCTAssertLessThan(a, b)
        XCTAssertEqual(PublicKey(bytes: a.bytes), a)
    }

    func testCompactU16CanonicalExamples() throws {
        let examples: [(Int, [UInt8])] = [(0, [0]), (0x7F, [0x7F]), (0x80, [0x80, 0x01]), (0xFF, [0xFF, 0x01]),
                                          (0x100, [0x80, 0x02]), (0x3FFF, [0xFF, 0x7F]), (0x4000, [0x80, 0x80, 0x01]),
                                          (0xFFFF, [0xFF, 0xFF, 0x03])]
        for (value, bytes) in examples {
            XCTAssertEqual(CompactU16.encode(value), bytes)
            let decoded = try CompactU16.decode(bytes, at: 0)
            XCTAssertEqual(Int(decoded.value), value)
            XCTAssertEqual(decoded.length, bytes.count)
        }
    }

    func testCompactU16RejectsAliasesOverflowAndTruncation() {
        let cases: [([UInt8], SolanaDecodeError.Code)] = [
            ([0x80, 0x00], .nonCanonicalCompactU16), ([0xFF, 0x00], .nonCanonicalCompactU16),
            ([0x80, 0x80, 0x00], .nonCanonicalCompactU16), ([0x81, 0x80, 0x00], .nonCanonicalCompactU16),
            ([0x80, 0x80, 0x04], .invalidCompactU16), ([0xFF, 0xFF, 0x83], .invalidCompactU16),
            ([0x80, 0x80, 0x80, 0x01], .invalidCompactU16), ([0x80], .truncated), ([], .truncated), ([0xFF, 0xFF], .truncated),
        ]
        for (bytes, code) in cases {
            XCTAssertThrowsError(try CompactU16.decode(bytes, at: 0), "\(bytes)") { error in
                XCTAssertEqual((error as? SolanaDecodeError)?.code, code, "\(bytes): \(error)")
            }
        }
        // Every 1-3 byte string either decodes to its canonical encoding or is refused.
        for a in 0...255 {
            for b in 0...255 {
                let bytes: [UInt8] = [UInt8(a), UInt8(b), 0x01]
                if let (v, len) = try? CompactU16.decode(bytes, at: 0) {
                    XCTAssertEqual(Array(bytes[..<len]), CompactU16.encode(Int(v)))
                }
            }
        }
    }

    func testSHA256() {
        let digest = SHA256.hash(Array("abc".utf8))
        XCTAssertEqual(digest.map { String(format: "%02x", $0) }.joined(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// FIPS 180-2's examples (empty, "abc", the 448-bit message, a million
    /// "a"s), through OpenSSL and through the libsodium fallback, whole and
    /// fed in pieces of every split; and the big-endian integer feeds.
    func testSHA256VectorsOnBothBackends() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        let vectors: [(String, [UInt8])] = [
            ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", []),
            ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Array("abc".utf8)),
            ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
             Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", [UInt8](repeating: 0x61, count: 1_000_000)),
        ]
        for backend in [true, false] {
            for (expected, message) in vectors {
                var whole = backend ? SHA256.Hasher() : SHA256.Hasher(openSSL: nil)
                whole.update(message)
                XCTAssertEqual(hex(whole.finish()), expected, "openSSL: \(backend)")
            }
            let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
            for split in 0...message.count {
                var pieces = backend ? SHA256.Hasher() : SHA256.Hasher(openSSL: nil)
                pieces.update(Array(message[..<split]))
                pieces.update(Array(message[split...]))
                XCTAssertEqual(hex(pieces.finish()), vectors[2].0, "split at \(split), openSSL: \(backend)")
            }
            var integers = backend ? SHA256.Hasher() : SHA256.Hasher(openSSL: nil)
            integers.update(bigEndian: UInt32(0x6162_6364))
            integers.update(bigEndian: UInt64(0x6263_6465_6364_6566))
            XCTAssertEqual(integers.finish(), SHA256.hash(Array("abcdbcdecdef".utf8)))
        }
        XCTAssertEqual(SHA256.hash([Array("ab".utf8), [], Array("c".utf8)]), SHA256.hash(Array("abc".utf8)))
    }

    // MARK: PDAs, checked against solders (fixture from Tests/python/solana_corpus.py)

    struct PDAFixture: Decodable {
        struct Curve: Decodable { let key: String; let onCurve: Bool }
        struct Create: Decodable { let seeds: [String]; let program: String; let address: String? }
        struct Find: Decodable { let seeds: [String]; let program: String; let address: String; let bump: Int }
        struct ATA: Decodable { let wallet: String; let mint: String; let program: String; let address: String }
        let curve: [Curve]
        let create: [Create]
        let find: [Find]
        let ata: [ATA]
    }

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.utf8.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            out.append(UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16)!)
        }
        return out
    }

    static let fixture: PDAFixture = try! JSONDecoder().decode(PDAFixture.self, from: Data(pdaFixtureJSON.utf8))

    func testOnCurveMatchesSoldersIncludingSmallOrderAndNonCanonical() {
        XCTAssertGreaterThan(Self.fixture.curve.count, 1000)
        for c in Self.fixture.curve {
            XCTAssertEqual(Curve25519.isOnCurve(Self.hex(c.key)), c.onCurve, c.key)
        }
    }

    func testCreateProgramAddressMatchesSolders() {
        for c in Self.fixture.create {
            let program = PublicKey(base58: c.program)!
            let result = try? ProgramAddress.create(seeds: c.seeds.map(Self.hex), programId: program)
            XCTAssertEqual(result?.base58, c.address, "\(c.seeds) \(c.program)")
        }
    }

    func testFindProgramAddressMatchesSolders() {
        for c in Self.fixture.find {
            let found = ProgramAddress.find(seeds: c.seeds.map(Self.hex), programId: PublicKey(base58: c.program)!)
            XCTAssertEqual(found?.address.base58, c.address)
            XCTAssertEqual(found.map { Int($0.bump) }, c.bump)
        }
    }

    func testAssociatedTokenAddressMatchesSolders() {
        for c in Self.fixture.ata {
            let address = ProgramAddress.associatedTokenAddress(wallet: PublicKey(base58: c.wallet)!, mint: PublicKey(base58: c.mint)!,
                                                                tokenProgram: PublicKey(base58: c.program)!)
            XCTAssertEqual(address?.base58, c.address)
        }
    }

    func testSeedLimits() {
        XCTAssertThrowsError(try ProgramAddress.create(seeds: [[UInt8](repeating: 1, count: 33)], programId: ProgramIds.system)) {
            XCTAssertEqual(($0 as? ProgramAddress.DerivationError)?.code, .maxSeedLengthExceeded)
        }
        XCTAssertThrowsError(try ProgramAddress.create(seeds: [[UInt8]](repeating: [1], count: 17), programId: ProgramIds.system)) {
            XCTAssertEqual(($0 as? ProgramAddress.DerivationError)?.code, .maxSeedLengthExceeded)
        }
        XCTAssertNil(ProgramAddress.find(seeds: [[UInt8]](repeating: [1], count: 16), programId: ProgramIds.system))
    }
}
