import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest
@testable import WaiaasProto
@testable import WaiaasRPC

/// The generated `WalletProvider` dispatch and the `UnaryHandler` around it:
/// paths reach their handler, requests arrive decoded, undecodable payloads
/// never reach a handler, and unknown paths are not served.
final class ProviderDispatchTests: XCTestCase {
    /// Answers every method with something that names the method, so a
    /// routing mistake shows up as the wrong answer.
    struct EchoProvider: WalletProvider {
        var sign: UnaryHandler<SignRequest, SignResponse> {
            // Answers from another thread, as the daemon's Sign answers from the ledger's commit.
            .deferred { request, _, respond in
                Thread.detachNewThread {
                    guard case .transaction(let bytes)? = request.payload else { return respond(.failure(RPCError(.invalidArgument, "no transaction"))) }
                    respond(.success(SignResponse(decision: .allow, signature: bytes, replayed: request.dryRun)))
                }
            }
        }
        var propose: UnaryHandler<ProposeRequest, ProposeResponse> { .unimplemented("not in this test") }
        var executeProposal: UnaryHandler<ExecuteProposalRequest, ExecuteProposalResponse> { .unimplemented("not in this test") }
        var payX402: UnaryHandler<PayX402Request, PayX402Response> { .unimplemented("not in this test") }
        var freeze: UnaryHandler<FreezeRequest, FreezeResponse> { .unimplemented("not in this test") }
        var unfreeze: UnaryHandler<UnfreezeRequest, UnfreezeResponse> { .unimplemented("not in this test") }
        var getProposal: UnaryHandler<GetProposalRequest, GetProposalResponse> { .unimplemented("not in this test") }
        var setPolicy: UnaryHandler<SetPolicyRequest, SetPolicyResponse> {
            .immediate { request, _ in .success(SetPolicyResponse(version: request.version + 1)) }
        }
        var attest: UnaryHandler<AttestRequest, AttestResponse> {
            .immediate { request, call in .success(AttestResponse(report: request.nonce, nitroDocument: Array(call.method.utf8))) }
        }
        var getStatus: UnaryHandler<GetStatusRequest, GetStatusResponse> {
            .immediate { _, call in .success(GetStatusResponse(version: "status", uptimeMilliseconds: UInt64(call.peer.uid))) }
        }
        var getPolicy: UnaryHandler<GetPolicyRequest, GetPolicyResponse> {
            .async { _, _ in
                await Task.yield()
                return .success(GetPolicyResponse(version: 42))
            }
        }
        var getBalances: UnaryHandler<GetBalancesRequest, GetBalancesResponse> {
            .immediate { _, call in .success(GetBalancesResponse(lamports: UInt64(call.peer.uid))) }
        }
        var transfer: UnaryHandler<TransferRequest, TransferResponse> {
            .immediate { request, _ in .success(TransferResponse(sign: SignResponse(signature: request.destination))) }
        }
    }

    private func call(_ method: String, _ payload: [UInt8]) -> ServerCall {
        ServerCall(callID: 1, method: method, payload: payload, metadata: [:],
                   peer: PeerCredentials(pid: 1, uid: 77, gid: 1), deadline: .now() + .seconds(5))
    }

    private func run(_ method: WalletMethod, _ payload: [UInt8]) async throws -> CallResult {
        let handler = try XCTUnwrap(EchoProvider().handler(for: method.rawValue), "\(method) has no handler")
        switch handler {
        case .immediate(let body): return body(call(method.rawValue, payload))
        case .async(let body): return await body(call(method.rawValue, payload))
        case .deferred(let body):
            let serverCall = call(method.rawValue, payload)
            return await withCheckedContinuation { continuation in
                body(serverCall, CallResponder { continuation.resume(returning: $0) })
            }
        }
    }

    func testEveryMethodReachesItsOwnHandlerWithTheRequestDecoded() async throws {
        let sign = try await run(.sign, SignRequest(payload: .transaction([1, 2, 3]), dryRun: true).serializedBytes()).get()
        XCTAssertEqual(try SignResponse(serializedBytes: sign), SignResponse(decision: .allow, signature: [1, 2, 3], replayed: true))

        let set = try await run(.setPolicy, SetPolicyRequest(version: 6).serializedBytes()).get()
        XCTAssertEqual(try SetPolicyResponse(serializedBytes: set).version, 7)

        let attest = try await run(.attest, AttestRequest(nonce: [9, 9]).serializedBytes()).get()
        XCTAssertEqual(try AttestResponse(serializedBytes: attest), AttestResponse(report: [9, 9], nitroDocument: Array("/waiaas.v1.Wallet/Attest".utf8)))

        let status = try await run(.getStatus, []).get()
        XCTAssertEqual(try GetStatusResponse(serializedBytes: status), GetStatusResponse(version: "status", uptimeMilliseconds: 77))

        let policy = try await run(.getPolicy, []).get()
        XCTAssertEqual(try GetPolicyResponse(serializedBytes: policy).version, 42)

        let balances = try await run(.getBalances, []).get()
        XCTAssertEqual(try GetBalancesResponse(serializedBytes: balances).lamports, 77)

        let transfer = try await run(.transfer, TransferRequest(destination: [4, 4]).serializedBytes()).get()
        XCTAssertEqual(try TransferResponse(serializedBytes: transfer).sign?.signature, [4, 4])
    }

    func testAnUndecodablePayloadIsRefusedBeforeTheHandlerRuns() async throws {
        // Field 1 with wire type 7 does not exist.
        for method in [WalletMethod.sign, .setPolicy, .attest, .getStatus, .getBalances, .transfer] {
            let result = try await run(method, [0x0F, 0x01])
            guard case .failure(let error) = result else { return XCTFail("\(method) answered undecodable bytes") }
            XCTAssertEqual(error.code, .invalidArgument)
            let typeName = String(method.rawValue.split(separator: "/").last!) + "Request: "
            XCTAssertTrue(error.status.message.hasPrefix(typeName), error.status.message)
        }
        // Invalid UTF-8 in a string field is refused too (protobuf-c does not check it).
        let result = try await run(.sign, [0x2A, 0x02, 0xC3, 0x28])
        guard case .failure(let error) = result else { return XCTFail("invalid UTF-8 answered") }
        XCTAssertTrue(error.status.message.contains("UTF-8"), error.status.message)
    }

    func testUnimplementedAndUnknownMethods() async throws {
        let result = try await run(.propose, [])
        guard case .failure(let error) = result else { return XCTFail("propose answered") }
        XCTAssertEqual(error.code, .unimplemented)
        XCTAssertNil(EchoProvider().handler(for: "/waiaas.v1.Wallet/NoSuchMethod"))
        XCTAssertNil(EchoProvider().handler(for: "/waiaas.v1.Other/Sign"))
        XCTAssertNil(EchoProvider().handler(for: ""))
    }

    func testMethodPathsFollowGRPCNaming() {
        XCTAssertEqual(WalletMethod.allCases.map(\.rawValue), [
            "/waiaas.v1.Wallet/Sign", "/waiaas.v1.Wallet/Propose", "/waiaas.v1.Wallet/SetPolicy",
            "/waiaas.v1.Wallet/Attest", "/waiaas.v1.Wallet/GetStatus", "/waiaas.v1.Wallet/GetPolicy",
            "/waiaas.v1.Wallet/GetBalances", "/waiaas.v1.Wallet/Transfer", "/waiaas.v1.Wallet/ExecuteProposal",
            "/waiaas.v1.Wallet/PayX402", "/waiaas.v1.Wallet/Freeze", "/waiaas.v1.Wallet/Unfreeze",
            "/waiaas.v1.Wallet/GetProposal",
        ])
    }

    func testOpenEnumsKeepValuesThisBuildDoesNotName() throws {
        // A negative enum value is a 10-byte varint; it must round-trip, not trap.
        for raw: Int32 in [-1, .min, 7, .max] {
            let response = SignResponse(decision: Decision(rawValue: raw))
            let decoded = try SignResponse(serializedBytes: response.serializedBytes())
            XCTAssertEqual(decoded.decision.rawValue, raw)
            XCTAssertFalse(decoded.decision.isKnown)
            XCTAssertEqual(decoded.decision.description, "decision_\(raw)")
        }
        XCTAssertEqual(Decision.approvalRequired.description, "approval_required")
        XCTAssertEqual(Decision.approvalRequired.protoValueName, "DECISION_APPROVAL_REQUIRED")
    }

    func testThePolicyRefusesUnknownEnumValuesAndFields() {
        // ProgramRule.unlisted = 5 (field 3), inside Policy.programs (field 4).
        let rule: [UInt8] = [0x18, 0x05]
        XCTAssertThrowsError(try Policy(serializedBytes: [0x22, UInt8(rule.count)] + rule)) { error in
            XCTAssertEqual((error as? ProtoError)?.code, .unknownFields)
        }
        // Field 99 in a WindowLimit inside an AssetRule inside a Policy.
        let window: [UInt8] = [0x98, 0x06, 0x01]
        let asset: [UInt8] = [0x2A, UInt8(window.count)] + window
        XCTAssertThrowsError(try Policy(serializedBytes: [0x1A, UInt8(asset.count)] + asset)) { error in
            XCTAssertEqual((error as? ProtoError)?.code, .unknownFields)
        }
        // The same unknown field outside the policy is skipped, as proto3 requires.
        XCTAssertNoThrow(try SignResponse(serializedBytes: window))
    }
}

/// Late completions after shutdown: nothing may be scheduled on a loop that
/// is stopping (NIO reports it today and will trap on it).
final class LateCompletionTests: XCTestCase {
    func testWorkIsDroppedOnceTheLoopsAreStopping() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let tracker = ConnectionTracker()
        let ran = NIOLockedValueBox(0)

        tracker.execute(on: loop) { ran.withLockedValue { $0 += 1 } }
        try loop.submit {}.wait()  // everything queued before it has run
        XCTAssertEqual(ran.withLockedValue { $0 }, 1)

        tracker.stopLoops()
        tracker.execute(on: loop) { ran.withLockedValue { $0 += 1 } }
        try loop.submit {}.wait()
        XCTAssertEqual(ran.withLockedValue { $0 }, 1, "work scheduled after stopLoops ran")
    }
}
