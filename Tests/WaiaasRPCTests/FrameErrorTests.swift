import XCTest
import WaiaasProto
@testable import WaiaasRPC

/// Each frame-level bad input gets its status on call id 0 and a closed
/// connection, while a second, healthy connection keeps being served.
final class FrameErrorTests: XCTestCase {
    private var server: TestServer!

    override func setUp() async throws {
        server = try await TestServer { $0.limits.partialFrameTimeout = .milliseconds(300) }
    }

    override func tearDown() async throws {
        await server.stop()
    }

    /// Runs `misbehave` on one connection while a healthy connection is open,
    /// and checks the healthy one answers before and after.
    private func withHealthyNeighbour(_ misbehave: (RawSocket) throws -> Void) throws {
        let healthy = try RawSocket(path: server.socketPath)
        try healthy.call(1, TestService.echo, [1])
        XCTAssertEqual(try healthy.receive()?.payload, [1])
        let bad = try RawSocket(path: server.socketPath)
        try misbehave(bad)
        try healthy.call(2, TestService.echo, [2])
        XCTAssertEqual(try healthy.receive()?.payload, [2])
        let fresh = try RawSocket(path: server.socketPath)
        try fresh.call(3, TestService.echo, [3])
        XCTAssertEqual(try fresh.receive()?.payload, [3])
    }

    private func expectProtocolError(_ socket: RawSocket, _ code: StatusCode, containing text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let answer = try XCTUnwrap(try socket.receive(), "expected a status frame", file: file, line: line)
        XCTAssertEqual(answer.callID, 0, file: file, line: line)
        XCTAssertEqual(answer.status?.statusCode, code, file: file, line: line)
        XCTAssertTrue(answer.status?.message.contains(text) ?? false, "\(answer.status?.message ?? "nil") lacks \(text)", file: file, line: line)
        XCTAssertTrue(try socket.isClosedByPeer(), "connection should be closed", file: file, line: line)
    }

    func testZeroLengthFrame() throws {
        try withHealthyNeighbour { bad in
            try bad.send([0, 0, 0, 0])
            try expectProtocolError(bad, .invalidArgument, containing: "frame length 0")
        }
    }

    func testLengthOverTheMaximumIsRefusedBeforeTheBodyIsSent() throws {
        try withHealthyNeighbour { bad in
            let length = UInt32(Framing.defaultMaximumFrameSize + 1)
            // Only the header: the answer must come without any body byte.
            try bad.send([UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)])
            try expectProtocolError(bad, .resourceExhausted, containing: "exceeds the maximum of 262144")
        }
    }

    func testTruncatedBodyThenClose() throws {
        try withHealthyNeighbour { bad in
            try bad.send([0, 0, 0, 10, 1, 2, 3])
            bad.shutdownWrite()
            try expectProtocolError(bad, .invalidArgument, containing: "expected 10 bytes, received 3")
        }
    }

    func testTruncatedHeaderThenClose() throws {
        try withHealthyNeighbour { bad in
            try bad.send([0, 0])
            bad.shutdownWrite()
            try expectProtocolError(bad, .invalidArgument, containing: "connection closed inside a frame")
        }
    }

    func testGarbageBody() throws {
        try withHealthyNeighbour { bad in
            try bad.send([0, 0, 0, 3, 0x0F, 0xFF, 0xFF])
            try expectProtocolError(bad, .invalidArgument, containing: "not a waiaas.v1.Envelope")
        }
    }

    func testCallIDZeroIsReserved() throws {
        try withHealthyNeighbour { bad in
            try bad.call(0, TestService.echo)
            try expectProtocolError(bad, .invalidArgument, containing: "call id 0 is reserved")
        }
    }

    func testStalledPartialFrameIsClosedAfterTheReadTimeout() throws {
        try withHealthyNeighbour { bad in
            try bad.send([0, 0, 0, 50, 1, 2])
            try expectProtocolError(bad, .deadlineExceeded, containing: "partial frame (6 bytes) not completed")
        }
    }

    func testUnknownMethodKeepsTheConnection() throws {
        let socket = try RawSocket(path: server.socketPath)
        try socket.call(7, "/waiaas.v1.Wallet/Nope")
        let answer = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(answer.callID, 7)
        XCTAssertEqual(answer.status?.statusCode, .unimplemented)
        XCTAssertEqual(answer.status?.message, "unknown method /waiaas.v1.Wallet/Nope")
        try socket.call(8, TestService.echo, [8])
        XCTAssertEqual(try socket.receive()?.payload, [8])
    }

    func testDuplicateInFlightCallID() throws {
        let socket = try RawSocket(path: server.socketPath)
        try socket.call(5, TestService.slow, TestService.slowPayload(milliseconds: 300))
        try socket.call(5, TestService.echo, [9])
        let duplicate = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(duplicate.callID, 5)
        XCTAssertEqual(duplicate.status?.statusCode, .invalidArgument)
        XCTAssertTrue(duplicate.status?.message.contains("already in flight") ?? false)
        let original = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(original.callID, 5)
        XCTAssertEqual(original.status?.statusCode, .ok)
        XCTAssertEqual(original.payload, TestService.slowPayload(milliseconds: 300))
        // Once answered, the id may be used again.
        try socket.call(5, TestService.echo, [1])
        XCTAssertEqual(try socket.receive()?.status?.statusCode, .ok)
    }

    func testServerSideDeadline() throws {
        let socket = try RawSocket(path: server.socketPath)
        try socket.call(11, TestService.slow, TestService.slowPayload(milliseconds: 3000), timeoutMilliseconds: 100)
        let answer = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(answer.callID, 11)
        XCTAssertEqual(answer.status?.statusCode, .deadlineExceeded)
        try socket.call(12, TestService.echo, [12])
        XCTAssertEqual(try socket.receive()?.payload, [12])
    }

    /// The connection keeps one deadline timer, set for the earliest call:
    /// a later call with a shorter deadline must move it forward, and a timer
    /// left by a call that has finished must be set again for the calls left.
    /// Asserted by the order of answers and their statuses, not by time.
    func testDeadlinesShareOneTimerPerConnection() throws {
        let socket = try RawSocket(path: server.socketPath)
        // A: finishes at 600 ms, deadline 5 s. B, sent after it: deadline 100 ms.
        try socket.call(21, TestService.slow, TestService.slowPayload(milliseconds: 600), timeoutMilliseconds: 5000)
        try socket.call(22, TestService.slow, TestService.slowPayload(milliseconds: 3000), timeoutMilliseconds: 100)
        let first = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(first.callID, 22, "the shorter deadline set after a longer one expires first")
        XCTAssertEqual(first.status?.statusCode, .deadlineExceeded)
        XCTAssertEqual(first.status?.message, "deadline of 100 ms exceeded")
        let second = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(second.callID, 21)
        XCTAssertEqual(second.status?.statusCode, .ok)

        // C answers at once and leaves the timer set for its 100 ms; D's 400 ms
        // deadline is met only if that timer, finding nothing due, is set again.
        try socket.call(23, TestService.slow, TestService.slowPayload(milliseconds: 0), timeoutMilliseconds: 100)
        XCTAssertEqual(try socket.receive()?.status?.statusCode, .ok)
        try socket.call(24, TestService.slow, TestService.slowPayload(milliseconds: 3000), timeoutMilliseconds: 400)
        // E: due after D, and answered before its own deadline.
        try socket.call(25, TestService.slow, TestService.slowPayload(milliseconds: 1000), timeoutMilliseconds: 5000)
        let expired = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(expired.callID, 24)
        XCTAssertEqual(expired.status?.statusCode, .deadlineExceeded)
        XCTAssertEqual(expired.status?.message, "deadline of 400 ms exceeded")
        let last = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(last.callID, 25)
        XCTAssertEqual(last.status?.statusCode, .ok)
    }

    /// Calls that share one deadline all expire together, and the connection serves on.
    func testCallsSharingADeadlineAllExpire() throws {
        let socket = try RawSocket(path: server.socketPath)
        for id in UInt64(31)...35 {
            try socket.call(id, TestService.slow, TestService.slowPayload(milliseconds: 3000), timeoutMilliseconds: 150)
        }
        var expired: Set<UInt64> = []
        for _ in 0..<5 {
            let answer = try XCTUnwrap(try socket.receive())
            XCTAssertEqual(answer.status?.statusCode, .deadlineExceeded)
            expired.insert(answer.callID)
        }
        XCTAssertEqual(expired, Set(UInt64(31)...35))
        try socket.call(36, TestService.echo, [36])
        XCTAssertEqual(try socket.receive()?.payload, [36])
    }

    func testAnswersCarryTheirCallIDAndMethod() throws {
        let socket = try RawSocket(path: server.socketPath)
        try socket.send(Envelope(callID: 77, method: TestService.echo, payload: [4, 5], metadata: ["request-id": "x"]))
        let answer = try XCTUnwrap(try socket.receive())
        XCTAssertEqual(answer.callID, 77)
        XCTAssertEqual(answer.method, TestService.echo)
        XCTAssertEqual(answer.status, .ok)
        XCTAssertEqual(answer.payload, [4, 5])
    }
}
