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
/// channel: back-pressure.
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
}
