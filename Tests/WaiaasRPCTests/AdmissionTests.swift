import Logging
import NIOCore
import NIOEmbedded
import WaiaasProto
import XCTest
@testable import WaiaasRPC

/// Who gets a connection slot: the peer's uid is checked before the
/// connection counts, so peers that may not call cannot use up the slots.
final class AdmissionTests: XCTestCase {
    private let allowed: UInt32 = 1000
    private let foreign: UInt32 = 2000
    private let tracker = ConnectionTracker()
    private var channels: [EmbeddedChannel] = []

    override func tearDownWithError() throws {
        for channel in channels { _ = try? channel.finish() }
    }

    /// A connection set up as the server does, with the peer's credentials
    /// given by `credentials` instead of SO_PEERCRED; active once they are
    /// known (as the bootstrap registers a channel once it is set up).
    private func accept(_ credentials: EventLoopFuture<PeerCredentials>? = nil, uid: UInt32 = 0, on loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        channels.append(channel)
        var configuration = RPCServerConfiguration(socketPath: "/embedded", allowedUIDs: [allowed])
        configuration.limits.maximumConnections = 1
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let peer = credentials ?? loop.makeSucceededFuture(PeerCredentials(pid: 1, uid: uid, gid: uid))
        let initialized = RPCServer.initialize(channel, configuration: configuration, service: TestService(), tracker: tracker, logger: logger) { _ in peer }
        initialized.whenComplete { _ in _ = channel.connect(to: try! SocketAddress(unixDomainSocketPath: "/embedded")) }
        return channel
    }

    private func refusal(_ channel: EmbeddedChannel) throws -> Status? {
        let answers = try channel.answers()
        XCTAssertEqual(answers.map(\.callID), [0])
        return answers.first?.status
    }

    func testAForeignPeerIsRefusedWithoutTakingASlot() throws {
        _ = try accept(uid: allowed)
        XCTAssertEqual(tracker.openConnections, 1, "the limit is reached")
        let stranger = try accept(uid: foreign)
        XCTAssertEqual(try refusal(stranger)?.statusCode, .unauthenticated, "refused for who it is, not for the count")
        XCTAssertEqual(tracker.openConnections, 1)
    }

    func testAPeerDoesNotCountBeforeItsUidIsKnown() throws {
        let loop = EmbeddedEventLoop()
        let credentials = loop.makePromise(of: PeerCredentials.self)
        let stranger = try accept(credentials.futureResult, on: loop)
        XCTAssertEqual(tracker.openConnections, 0)
        credentials.succeed(PeerCredentials(pid: 1, uid: foreign, gid: foreign))
        XCTAssertEqual(try refusal(stranger)?.statusCode, .unauthenticated)
        XCTAssertEqual(tracker.openConnections, 0)
        // The slot is still there for an allowed peer.
        let friend = try accept(uid: allowed)
        try friend.writeInbound(bytes: echoFrames(1)[0])
        XCTAssertEqual(try friend.answers().map(\.status?.statusCode), [.ok])
        XCTAssertEqual(tracker.openConnections, 1)
    }

    func testAnAllowedPeerOverTheLimitIsStillRefused() throws {
        _ = try accept(uid: allowed)
        let second = try accept(uid: allowed)
        XCTAssertEqual(try refusal(second)?.statusCode, .resourceExhausted)
        XCTAssertEqual(tracker.openConnections, 1)
    }
}
