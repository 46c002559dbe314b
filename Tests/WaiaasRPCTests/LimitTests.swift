import XCTest
import WaiaasProto
@testable import WaiaasRPC

#if canImport(Glibc)
import Glibc
#endif

final class LimitTests: XCTestCase {
    func testInFlightBoundAnswersTheExcessPromptly() async throws {
        let server = try await TestServer { $0.limits.maximumInFlightPerConnection = 4 }
        defer { Task { await server.stop() } }
        let socket = try RawSocket(path: server.socketPath)
        var burst: [UInt8] = []
        for id in 1...20 {
            burst += Framing.frameBytes(Envelope(callID: UInt64(id), method: TestService.slow, payload: TestService.slowPayload(milliseconds: 500)))
        }
        let started = ContinuousClock.now
        try socket.send(burst)
        var exhausted: [UInt64] = []
        var answered: [UInt64] = []
        var exhaustedBy: Duration = .zero
        while exhausted.count + answered.count < 20 {
            let answer = try XCTUnwrap(try socket.receive())
            if answer.status?.statusCode == .resourceExhausted {
                exhausted.append(answer.callID)
                exhaustedBy = ContinuousClock.now - started
                XCTAssertTrue(answer.status?.message.contains("limit 4") ?? false)
            } else {
                XCTAssertEqual(answer.status?.statusCode, .ok)
                answered.append(answer.callID)
            }
        }
        XCTAssertEqual(answered.sorted(), [1, 2, 3, 4], "every call below the bound is answered")
        XCTAssertEqual(exhausted.sorted(), Array(5...20), "the excess is refused, not queued")
        // Refusals do not wait for the slow calls (generous margin: no timing assertion beyond ordering).
        XCTAssertLessThan(exhaustedBy, .milliseconds(500))
    }

    func testConnectionBound() async throws {
        let server = try await TestServer { $0.limits.maximumConnections = 2 }
        defer { Task { await server.stop() } }
        let first = try RawSocket(path: server.socketPath)
        let second = try RawSocket(path: server.socketPath)
        try first.call(1, TestService.echo)
        try second.call(1, TestService.echo)
        XCTAssertEqual(try first.receive()?.status?.statusCode, .ok)
        XCTAssertEqual(try second.receive()?.status?.statusCode, .ok)
        let third = try RawSocket(path: server.socketPath)
        let refusal = try XCTUnwrap(try third.receive())
        XCTAssertEqual(refusal.callID, 0)
        XCTAssertEqual(refusal.status?.statusCode, .resourceExhausted)
        XCTAssertTrue(try third.isClosedByPeer())
        // A slot frees when a connection closes.
        _ = consume first
        try await Task.sleep(for: .milliseconds(100))
        let fourth = try RawSocket(path: server.socketPath)
        try fourth.call(2, TestService.echo, [2])
        XCTAssertEqual(try fourth.receive()?.payload, [2])
    }

    func testRefusedPeerGetsUnauthenticated() async throws {
        let me = UInt32(geteuid())
        let server = try await TestServer { $0.allowedUIDs = [me &+ 12345] }
        defer { Task { await server.stop() } }
        let socket = try RawSocket(path: server.socketPath)
        try? socket.call(1, TestService.echo)
        let refusal = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(refusal.callID, 0)
        XCTAssertEqual(refusal.status?.statusCode, .unauthenticated)
        XCTAssertEqual(refusal.status?.message, "peer uid \(me) is not allowed to use this wallet")
        XCTAssertTrue(try socket.isClosedByPeer())
    }

    func testFramesUpToTheConfiguredMaximumPass() async throws {
        let server = try await TestServer { $0.limits.maximumFrameSize = 1024 }
        defer { Task { await server.stop() } }
        let socket = try RawSocket(path: server.socketPath)
        let payload = [UInt8](repeating: 0x5A, count: 900)
        try socket.call(1, TestService.echo, payload)
        XCTAssertEqual(try socket.receive()?.payload, payload)
        try socket.call(2, TestService.echo, [UInt8](repeating: 1, count: 1100))
        let refusal = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(refusal.callID, 0)
        XCTAssertEqual(refusal.status?.statusCode, .resourceExhausted)
    }
}
