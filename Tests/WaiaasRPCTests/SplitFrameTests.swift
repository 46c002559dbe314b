import XCTest
import WaiaasProto
@testable import WaiaasRPC

#if canImport(Glibc)
import Glibc
#endif

/// A real client whose every write ends mid-frame: each frame is answered
/// as soon as its last byte arrives, for as long as the connection goes on
/// so, however much longer than the read timeout that is.
final class SplitFrameTests: XCTestCase {
    private var server: TestServer!

    override func setUp() async throws {
        server = try await TestServer { $0.limits.partialFrameTimeout = .milliseconds(300) }
    }

    override func tearDown() async throws {
        await server.stop()
    }

    /// Each write carries the tail of frame k and the head of frame k+1, so
    /// every read the server does ends mid-frame; the answer to frame k must
    /// come before the client sends anything more. 400 frames, a few
    /// milliseconds apart: about five read timeouts of healthy traffic.
    private func exchange(splitAt split: Int, payloadSize: Int) throws {
        let socket = try RawSocket(path: server.socketPath, receiveTimeout: 5)
        let count = 400
        let frames = (1...count + 1).map {
            Framing.frameBytes(Envelope(callID: UInt64($0), method: TestService.echo, payload: [UInt8](repeating: UInt8(truncatingIfNeeded: $0), count: payloadSize)))
        }
        try socket.send(Array(frames[0][..<split]))
        for index in 0..<count {
            usleep(4000)
            try socket.send(Array(frames[index][split...]) + Array(frames[index + 1][..<split]))
            let answer = try XCTUnwrap(try socket.receive(), "no answer to frame \(index + 1)")
            XCTAssertEqual(answer.callID, UInt64(index + 1))
            XCTAssertEqual(answer.status?.statusCode, .ok, answer.status?.message ?? "")
            if answer.callID != UInt64(index + 1) { return }
        }
    }

    func testEveryFrameIsAnsweredWhenEveryReadEndsInsideTheBody() throws {
        try exchange(splitAt: 9, payloadSize: 24)
    }

    func testEveryFrameIsAnsweredWhenEveryReadEndsInsideTheLength() throws {
        try exchange(splitAt: 2, payloadSize: 24)
    }
}
