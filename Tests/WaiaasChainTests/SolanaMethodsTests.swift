import Foundation
import XCTest
@testable import WaiaasChain
import WaiaasSolana

/// Every Solana method of the client against the repository's test node
/// (Tests/python/rpc_node.py: Solana's field names and shapes, backed by
/// LiteSVM), started here as a process: the typed decoders meet real
/// answers, and one kept-alive connection carries every call.
final class SolanaMethodsTests: XCTestCase {
    static let funded = PublicKey(bytes: [UInt8](repeating: 7, count: 32))!
    var node: Process?
    var url = ""

    override func setUpWithError() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../python/rpc_node.py").standardized
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--airdrop", "\(Self.funded.base58):1500000000"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        node = process
        var line = [UInt8]()
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        url = String(decoding: line, as: UTF8.self)
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:"), "the test node did not start (is solders installed? Tools/deps.sh test): \(url)")
    }

    override func tearDown() {
        node?.terminate()
        node?.waitUntilExit()
    }

    func testEveryMethodReadsTheNodesAnswer() throws {
        var settings = RPCSettings()
        settings.commitment = .finalized
        let endpoint = try RPCEndpoint(url: url, settings: settings)

        let slot = try endpoint.getSlot()
        XCTAssertGreaterThan(slot, 0)
        let balance = try endpoint.getBalance(Self.funded)
        XCTAssertEqual(balance.value, 1_500_000_000)
        XCTAssertGreaterThanOrEqual(balance.slot, slot)

        let info = try endpoint.getAccountInfo(Self.funded)
        XCTAssertEqual(info.value?.lamports, 1_500_000_000)
        XCTAssertEqual(info.value?.owner, ProgramIds.system)
        XCTAssertNil(try endpoint.getAccountInfo(PublicKey(bytes: [UInt8](repeating: 9, count: 32))!).value)

        let several = try endpoint.getMultipleAccounts([Self.funded, PublicKey(bytes: [UInt8](repeating: 9, count: 32))!])
        XCTAssertEqual(several.value.count, 2)
        XCTAssertEqual(several.value[0]?.lamports, 1_500_000_000)
        XCTAssertNil(several.value[1])

        let latest = try endpoint.getLatestBlockhash()
        XCTAssertGreaterThan(latest.value.lastValidBlockHeight, 0)
        XCTAssertTrue(try endpoint.isBlockhashValid(latest.value.blockhash).value)
        XCTAssertFalse(try endpoint.isBlockhashValid(PublicKey(bytes: [UInt8](repeating: 3, count: 32))!).value)

        // (165 + 128) × 3,480 × 2: SPL Token account rent, Solana's default rent.
        XCTAssertEqual(try endpoint.getMinimumBalanceForRentExemption(dataLength: 165), 2_039_280)
        XCTAssertEqual(try endpoint.getTokenAccountsByOwner(Self.funded, programId: ProgramIds.token).value.count, 0)

        let unknown = Signature(bytes: [UInt8](repeating: 5, count: 64))!
        XCTAssertEqual(try endpoint.getSignatureStatuses([unknown], searchHistory: true).value, [nil])

        // A transfer from the funded account, unsigned: simulated without signatures, refused when sent.
        let to = PublicKey(bytes: [UInt8](repeating: 8, count: 32))!
        let message = try Message.legacy(payer: Self.funded, instructions: [TransferInstructions.systemTransfer(from: Self.funded, to: to, lamports: 1_000_000_000)],
                                         blockhash: latest.value.blockhash)
        let transaction = try SolanaTransaction.unsigned(message).encoded()
        let simulated = try endpoint.simulateTransaction(transaction, accounts: [Self.funded, to])
        XCTAssertNil(simulated.value.error, "\(simulated.value.logs)")
        XCTAssertEqual(simulated.value.accounts[1]?.lamports, 1_000_000_000)
        XCTAssertEqual(simulated.value.accounts[0]?.lamports, 500_000_000 - 5_000)
        XCTAssertThrowsError(try endpoint.sendTransaction(transaction, expecting: unknown)) { error in
            XCTAssertEqual((error as? ChainError)?.code, .rpcError, "\(error)")
        }
        // Nothing moved: the simulation changed no state.
        XCTAssertEqual(try endpoint.getBalance(Self.funded).value, 1_500_000_000)

        // Every call above on one kept-alive connection.
        XCTAssertEqual(endpoint.connectionsOpened, 1)
    }

    /// An unknown method is a JSON-RPC error with the node's code, not a transport failure.
    func testJSONRPCErrorsCarryTheirCode() throws {
        let endpoint = try RPCEndpoint(url: url, settings: RPCSettings())
        XCTAssertThrowsError(try endpoint.call("getNothing", .array([]))) { error in
            XCTAssertEqual((error as? ChainError)?.code, .rpcError)
            XCTAssertEqual((error as? ChainError)?.rpcCode, -32601)
        }
    }
}
