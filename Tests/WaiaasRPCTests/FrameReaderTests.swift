import NIOCore
import NIOEmbedded
import XCTest
@testable import WaiaasRPC

/// The frame reader alone, on an embedded channel with a virtual clock.
final class FrameReaderTests: XCTestCase {
    private var channel: EmbeddedChannel!
    private var reader: FrameReader!
    private var socket: SocketStandIn!
    private var recorder: InboundRecorder!

    override func setUpWithError() throws {
        reader = FrameReader(maximumFrameSize: Framing.defaultMaximumFrameSize, readTimeout: .seconds(10))
        socket = SocketStandIn()
        recorder = InboundRecorder()
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([socket, reader, recorder])
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/embedded")).wait()
    }

    override func tearDownWithError() throws {
        _ = try? channel.finish()
    }

    /// Frame k's tail and frame k+1's head in every read: the bytes already
    /// delivered are reclaimed, so the buffer stays about one read in size
    /// instead of holding every byte the connection ever received.
    func testTheBufferIsCompactedWhenReadsKeepEndingMidFrame() throws {
        let frames = echoFrames(3001)
        let split = 9
        try channel.writeInbound(bytes: Array(frames[0][..<split]))
        for index in 0..<3000 {
            try channel.writeInbound(bytes: Array(frames[index][split...]) + Array(frames[index + 1][..<split]))
            XCTAssertEqual(recorder.bodies.count, index + 1, "frame \(index + 1) delivered as its last byte arrives")
        }
        XCTAssertLessThanOrEqual(reader.bufferedStorageCapacity, 4096, "\(3000 * frames[0].count) bytes went through")
    }

    /// The read timeout measures one frame: a connection whose every read
    /// ends mid-frame, but which keeps completing frames, is not cut off.
    func testTheReadTimeoutRestartsWithEachFrame() throws {
        let frames = echoFrames(4)
        try channel.writeInbound(bytes: Array(frames[0][..<5]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        try channel.writeInbound(bytes: Array(frames[0][5...]) + Array(frames[1][..<5]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        try channel.writeInbound(bytes: Array(frames[1][5...]) + Array(frames[2][..<5]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        XCTAssertEqual(recorder.bodies.count, 2)
        XCTAssertTrue(recorder.errors.isEmpty, "21 s of healthy traffic, no frame took 10 s: \(recorder.errors)")
        // The third frame has now waited 9 s; at 10 s it is stalled.
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        XCTAssertEqual(recorder.errors as? [FrameError], [.stalled(bufferedBytes: 5, seconds: 10)])
    }

    /// Bytes that keep arriving do not keep a frame alive: the clock runs
    /// from the frame's first byte.
    func testADrippedFrameStillStalls() throws {
        let frame = Framing.frameBytes(.init(callID: 1, method: TestService.echo, payload: [UInt8](repeating: 1, count: 40)))
        for byte in frame.prefix(10) {
            try channel.writeInbound(bytes: [byte])
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        }
        XCTAssertEqual(recorder.errors as? [FrameError], [.stalled(bufferedBytes: 10, seconds: 10)])
    }

    /// Paused, the reader delivers nothing and holds the pipeline's reads;
    /// resumed, it delivers what it holds and passes the read on. End of
    /// input waits for the frames before it, and the clock does not run.
    func testPauseHoldsFramesReadsAndEndOfInput() throws {
        let frames = echoFrames(3)
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.pause, promise: nil)
        let readsBefore = socket.reads
        try channel.writeInbound(bytes: frames[0] + frames[1] + Array(frames[2][..<6]))
        channel.read()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        XCTAssertEqual(recorder.bodies.count, 0)
        XCTAssertEqual(socket.reads, readsBefore, "no read reaches the socket while paused")
        XCTAssertFalse(recorder.inputClosed)
        XCTAssertTrue(recorder.errors.isEmpty, "paused, a frame cannot stall: \(recorder.errors)")

        channel.pipeline.triggerUserOutboundEvent(ReadPressure.resume, promise: nil)
        channel.embeddedEventLoop.run()
        XCTAssertEqual(recorder.bodies.count, 2)
        XCTAssertTrue(recorder.inputClosed)
        XCTAssertEqual(recorder.errors as? [FrameError], [.truncated(expected: frames[2].count - 4, received: 2)])
    }

    /// Resumed but not yet run: end of input still waits for the frames.
    func testEndOfInputWaitsForAResumeThatHasNotRunYet() throws {
        let frames = echoFrames(2)
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.pause, promise: nil)
        try channel.writeInbound(bytes: frames[0] + frames[1])
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.resume, promise: nil)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        XCTAssertFalse(recorder.inputClosed)
        channel.embeddedEventLoop.run()
        XCTAssertEqual(recorder.bodies.count, 2)
        XCTAssertTrue(recorder.inputClosed)
        XCTAssertTrue(recorder.errors.isEmpty, "two whole frames, nothing truncated: \(recorder.errors)")
    }

    func testResumeAfterPausePassesTheHeldRead() throws {
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.pause, promise: nil)
        let readsBefore = socket.reads
        channel.read()
        XCTAssertEqual(socket.reads, readsBefore)
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.resume, promise: nil)
        channel.embeddedEventLoop.run()
        XCTAssertEqual(socket.reads, readsBefore + 1)
    }
}
