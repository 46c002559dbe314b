import XCTest

@testable import WaiaasLedger

final class ChainTests: XCTestCase {
    func testAppendedEventsChainFromGenesis() async throws {
        let directory = TemporaryDirectory()
        let ledger = try Ledger.open(path: directory.file("ledger.sqlite"))
        defer { ledger.close() }
        XCTAssertEqual(ledger.head(), LedgerHead(sequence: 0, hash: [UInt8](repeating: 0, count: 32)))

        var events: [LedgerEvent] = []
        for n in 1...5 {
            events += try await ledger.append([Fixtures.signEntry(n)])
        }
        events += try await ledger.append([Fixtures.denyEntry(6), Fixtures.signEntry(7)])

        var previous = LedgerChain.genesisHash
        for (index, event) in events.enumerated() {
            XCTAssertEqual(event.sequence, UInt64(index + 1))
            XCTAssertEqual(event.previousHash, previous)
            XCTAssertEqual(LedgerChain.hash(of: event), event.hash)
            XCTAssertEqual(event.entry.requestDigest, StreamingSHA256.digest(event.entry.request))
            XCTAssertNotEqual(event.entry.timeUnixMilliseconds, 0, "the ledger stamps entries without a time")
            previous = event.hash
        }
        XCTAssertEqual(ledger.head(), LedgerHead(sequence: 7, hash: previous))
        // What is read back is what was returned.
        XCTAssertEqual(try ledger.events(from: 1, limit: 100), events)
    }

    func testEveryFieldChangesTheHash() {
        let base = LedgerEvent(
            sequence: 9, entry: {
                var entry = Fixtures.signEntry(1, time: 1_700_000_000_000)
                entry.requestDigest = StreamingSHA256.digest(entry.request)
                return entry
            }(), previousHash: [UInt8](repeating: 1, count: 32), hash: []
        )
        let reference = LedgerChain.hash(of: base)
        var variants: [(String, LedgerEvent)] = []
        func variant(_ name: String, _ change: (inout LedgerEvent) -> Void) {
            var copy = base
            change(&copy)
            variants.append((name, copy))
        }
        variant("sequence") { $0.sequence += 1 }
        variant("previous") { $0.previousHash[0] ^= 1 }
        variant("time") { $0.entry.timeUnixMilliseconds += 1 }
        variant("kind") { $0.entry.kind = .deny }
        variant("request") { $0.entry.request.append(0) }
        variant("request digest") { $0.entry.requestDigest[31] ^= 1 }
        variant("message digest") { $0.entry.messageDigest = [] }
        variant("decision") { $0.entry.decision = "deny" }
        variant("reason code") { $0.entry.reasons[0].code = "ok2" }
        variant("reason message") { $0.entry.reasons[0].message += "." }
        variant("reason count") { $0.entry.reasons.append(LedgerReason(code: "", message: "")) }
        variant("outflow amount") { $0.entry.outflows[0].amount += 1 }
        variant("outflow asset") { $0.entry.outflows[1].asset[0] ^= 1 }
        variant("outflow order") { $0.entry.outflows.reverse() }
        variant("signature") { $0.entry.signature = [] }
        variant("policy version") { $0.entry.policyVersion += 1 }
        variant("client reference") { $0.entry.clientReference = "" }
        // Moving bytes across a field boundary must change the hash too:
        // the length prefixes are what make the encoding unambiguous.
        variant("boundary") {
            $0.entry.reasons[0].code = "okw"
            $0.entry.reasons[0].message = "ithin limits 1"
        }
        for (name, event) in variants {
            XCTAssertNotEqual(LedgerChain.hash(of: event), reference, name)
        }
    }

    /// Pins the audit contract: this hash was computed independently (Python's
    /// hashlib over the encoding documented on `LedgerChain`), so a change to
    /// the encoding fails here, not silently in an auditor's tool.
    func testChainEncodingMatchesTheDocumentedVector() {
        let event = LedgerEvent(
            sequence: 1,
            entry: LedgerEntry(
                kind: .sign,
                timeUnixMilliseconds: 1_700_000_000_123,
                request: [0x0A, 0x03, 0x61, 0x62, 0x63],
                requestDigest: StreamingSHA256.digest([0x0A, 0x03, 0x61, 0x62, 0x63]),
                messageDigest: [UInt8](repeating: 0x11, count: 32),
                decision: "allow",
                reasons: [LedgerReason(code: "ok", message: "fine")],
                outflows: [
                    LedgerOutflow(amount: 5_000),
                    LedgerOutflow(asset: [UInt8](repeating: 0x22, count: 32), amount: 7),
                ],
                signature: [UInt8](repeating: 0x33, count: 64),
                policyVersion: 2,
                clientReference: "x402"
            ),
            previousHash: LedgerChain.genesisHash,
            hash: []
        )
        XCTAssertEqual(LedgerChain.hash(of: event).hex, ChainVector.expectedHash)
    }

    func testCanonicalListsRoundTripAndRefuseNonCanonical() throws {
        let reasons = [LedgerReason(code: "a", message: "é"), LedgerReason(code: "", message: "")]
        let encoded = CanonicalLists.encode(reasons)
        XCTAssertEqual(try CanonicalLists.decodeReasons(encoded), reasons)
        XCTAssertThrowsError(try CanonicalLists.decodeReasons(encoded + [0]), "trailing byte")
        XCTAssertThrowsError(try CanonicalLists.decodeReasons(Array(encoded.dropLast())), "truncated")
        XCTAssertThrowsError(try CanonicalLists.decodeReasons([0, 0, 0, 1, 0, 0, 0, 1, 0xFF, 0, 0, 0, 0]), "bad UTF-8")

        let outflows = [LedgerOutflow(amount: .max), LedgerOutflow(asset: [UInt8](repeating: 9, count: 32), amount: 0)]
        XCTAssertEqual(try CanonicalLists.decodeOutflows(CanonicalLists.encode(outflows)), outflows)
        XCTAssertThrowsError(
            try CanonicalLists.decodeOutflows(CanonicalLists.encode([LedgerOutflow(asset: [1], amount: 1)])),
            "a 1-byte asset is neither SOL nor a mint"
        )
        XCTAssertEqual(CanonicalLists.encode([LedgerOutflow]()), [0, 0, 0, 0])
    }
}
