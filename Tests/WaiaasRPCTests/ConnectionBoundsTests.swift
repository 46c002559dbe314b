import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import WaiaasProto
import XCTest
@testable import WaiaasRPC

/// A service whose one method answers only when the test says so.
final class HeldCalls: RPCService, Sendable {
    static let held = "/test.v1.Test/Held"
    private let responders = NIOLockedValueBox<[CallResponder]>([])

    func handler(for method: String) -> MethodHandler? {
        guard method == Self.held else { return TestService().handler(for: method) }
        return .deferred { [responders] _, responder in responders.withLockedValue { $0.append(responder) } }
    }

    func answerAll() {
        responders.withLockedValue { $0 }.forEach { $0(.success([])) }
    }
}

/// The frame reader and call dispatcher of one connection, on an embedded
/// channel: back-pressure and the idle timeout, on a virtual clock.
final class ConnectionBoundsTests: XCTestCase {
    private var channel: EmbeddedChannel!
    private var socket: SocketStandIn!
    private let service = HeldCalls()

    private func connect(_ configure: (inout RPCServerConfiguration.Limits) -> Void = { _ in }) throws {
        var limits = RPCServerConfiguration.Limits()
        configure(&limits)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        socket = SocketStandIn()
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            socket,
            FrameReader(maximumFrameSize: limits.maximumFrameSize, readTimeout: limits.partialFrameTimeout),
            CallDispatcher(service: service, limits: limits, peer: PeerCredentials(pid: 1, uid: 1, gid: 1), tracker: ConnectionTracker(), logger: logger),
        ])
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/embedded")).wait()
    }

    override func tearDownWithError() throws {
        _ = try? channel?.finish()
    }

    private var socketContext: ChannelHandlerContext {
        get throws { try channel.pipeline.syncOperations.context(handler: socket) }
    }

    /// A peer that sends and never reads: the answers it has not taken,
    /// immediate ones and refusals alike, stop the reading at the budget;
    /// nothing is dropped, and once it reads again every call is answered.
    func testAnswersNotTakenByThePeerStopTheReadingAtTheBudget() throws {
        try connect { $0.maximumQueuedOutboundBytes = 600 }
        socket.holding = true
        var burst: [UInt8] = []
        for id in 1...200 {
            let method = id % 2 == 0 ? TestService.echo : "/test.v1.Test/Nope"
            burst += Framing.frameBytes(Envelope(callID: UInt64(id), method: method, payload: [1]))
        }
        try channel.writeInbound(bytes: burst)
        let readsBefore = socket.reads
        channel.read()
        XCTAssertEqual(socket.reads, readsBefore, "no read while the budget is spent")

        try socket.release(context: socketContext)
        for _ in 0..<100 { channel.embeddedEventLoop.run() }
        let answers = try channel.answers()
        XCTAssertEqual(answers.map(\.callID), Array(1...200), "every call answered once, in order")
        XCTAssertEqual(answers.filter { $0.status?.statusCode == .unimplemented }.count, 100)
        XCTAssertGreaterThan(socket.reads, readsBefore, "reading resumed")
    }

    func testAnswersHeldAtTheBudgetAreBounded() throws {
        try connect { $0.maximumQueuedOutboundBytes = 600 }
        socket.holding = true
        try channel.writeInbound(bytes: echoFrames(200).flatMap { $0 })
        try socket.release(context: socketContext)
        // Answered up to the budget (and the frame that crossed it), no further.
        let answers = try channel.answers()
        XCTAssertGreaterThan(answers.count, 0)
        XCTAssertLessThan(answers.count, 40, "\(answers.count) answers of ~30 bytes queued under a 600-byte budget")
    }

    func testAnUnwritableChannelStopsTheReading() throws {
        try connect()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        try channel.writeInbound(bytes: echoFrames(5).flatMap { $0 })
        XCTAssertEqual(try channel.answers().count, 0, "no frame is read while the channel is not writable")

        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.run()
        XCTAssertEqual(try channel.answers().map(\.callID), [1, 2, 3, 4, 5])
    }

    func testAnIdleConnectionIsClosed() throws {
        try connect { $0.idleTimeout = .seconds(5) }
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(bytes: echoFrames(1)[0])
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(channel.isActive, "a frame 4 s ago is activity")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        XCTAssertFalse(channel.isActive)
        let answers = try channel.answers()
        XCTAssertEqual(answers.map(\.callID), [1, 0])
        XCTAssertEqual(answers.last?.status?.statusCode, .unavailable)
        XCTAssertEqual(answers.last?.status?.message, "connection idle for 5 s")
    }

    func testACallInFlightKeepsTheConnection() throws {
        try connect { $0.idleTimeout = .seconds(5) }
        try channel.writeInbound(bytes: Framing.frameBytes(Envelope(callID: 9, method: HeldCalls.held)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(12))
        XCTAssertTrue(channel.isActive, "the call is still in flight")
        service.answerAll()
        XCTAssertEqual(try channel.answers().map(\.callID), [9])
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        XCTAssertFalse(channel.isActive)
    }

    /// A connection error is answered, then the connection closes once the
    /// answer is written; a peer that never takes it is closed when idle.
    func testAClosingConnectionWhosePeerStoppedReadingIsClosedWhenIdle() throws {
        try connect { $0.idleTimeout = .seconds(5) }
        socket.holding = true
        try channel.writeInbound(bytes: [0, 0, 0, 0])
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        XCTAssertTrue(channel.isActive, "waiting for the error frame to be written")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        XCTAssertFalse(channel.isActive)
    }

    func testNoIdleTimeoutWhenDisabled() throws {
        try connect { $0.idleTimeout = nil }
        channel.embeddedEventLoop.advanceTime(by: .hours(2))
        XCTAssertTrue(channel.isActive)
    }
}
