import Foundation
import Logging
import XCTest
import WaiaasProto
@testable import WaiaasRPC

#if canImport(Glibc)
import Glibc
#endif

final class ClientAndLifecycleTests: XCTestCase {
    func testClientMultiplexesConcurrentCallsOnOneConnection() async throws {
        let server = try await TestServer()
        let client = try await RPCClient.connect(socketPath: server.socketPath)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    // Slow calls finish out of order; each answer still meets its caller.
                    let method = index % 2 == 0 ? TestService.echo : TestService.slow
                    let payload = index % 2 == 0 ? [UInt8(index & 0xFF), UInt8(index >> 8)] : TestService.slowPayload(milliseconds: UInt32(200 - index))
                    let answer = try await client.call(method: method, payload: payload)
                    XCTAssertEqual(answer, payload)
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(server.server.metrics.openConnections, 1)
        await client.close()
        await server.stop()
    }

    func testClientDeadlineAndStatusErrors() async throws {
        let server = try await TestServer()
        let client = try await RPCClient.connect(socketPath: server.socketPath)
        do {
            _ = try await client.call(method: TestService.slow, payload: TestService.slowPayload(milliseconds: 5000), timeout: .milliseconds(100))
            XCTFail("expected a deadline error")
        } catch {
            XCTAssertEqual(error.code, .deadlineExceeded)
        }
        do {
            _ = try await client.call(method: "/nope", payload: [])
            XCTFail("expected UNIMPLEMENTED")
        } catch {
            XCTAssertEqual(error.code, .unimplemented)
        }
        // The connection survives both.
        let echoed = try await client.call(method: TestService.echo, payload: [1, 2])
        XCTAssertEqual(echoed, [1, 2])
        await client.close()
        await server.stop()
    }

    func testShutdownFinishesCallsInFlightThenRemovesTheSocket() async throws {
        let server = try await TestServer()
        let client = try await RPCClient.connect(socketPath: server.socketPath)
        let payload = TestService.slowPayload(milliseconds: 400)
        async let answer = client.call(method: TestService.slow, payload: payload)
        try await Task.sleep(for: .milliseconds(100))
        let path = server.socketPath
        await server.server.shutdown()
        let result = try await answer
        XCTAssertEqual(result, payload, "the call in flight is answered before the server stops")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket is removed")
        XCTAssertThrowsError(try RawSocket(path: path))
        await client.close()
        try? FileManager.default.removeItem(atPath: server.directory)
    }

    func testSocketDirectoryIsCreatedPrivateAndSocketIs0600() async throws {
        let server = try await TestServer()
        var info = stat()
        XCTAssertEqual(stat(server.directory + "/sock", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(server.socketPath, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        await server.stop()
    }

    func testALiveDaemonIsNotDisplaced() async throws {
        let first = try await TestServer()
        let second = RPCServer(configuration: RPCServerConfiguration(socketPath: first.socketPath, threads: 1), service: TestService(), logger: Logger(label: "t"))
        do {
            try await second.start()
            XCTFail("a second daemon must refuse to start")
        } catch let error as SocketPlacementError {
            XCTAssertEqual(error.code, .occupied)
            XCTAssertTrue(error.message.contains("another daemon is listening"), error.message)
        }
        await second.shutdown()
        // The first still serves.
        let socket = try RawSocket(path: first.socketPath)
        try socket.call(1, TestService.echo, [1])
        XCTAssertEqual(try socket.receive()?.payload, [1])
        await first.stop()
    }

    func testAStaleSocketFileIsReplaced() async throws {
        let directory = try TestServer.makePrivateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/stale.sock"
        // A socket file nobody listens on, as a crashed daemon leaves behind.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(fd)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let server = RPCServer(configuration: RPCServerConfiguration(socketPath: path, threads: 1), service: TestService(), logger: Logger(label: "t"))
        try await server.start()
        let client = try RawSocket(path: path)
        try client.call(1, TestService.echo, [5])
        XCTAssertEqual(try client.receive()?.payload, [5])
        await server.shutdown()
    }

    func testWorldWritableDirectoryIsRefused() async throws {
        let directory = try TestServer.makePrivateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(directory, 0o777)
        let server = RPCServer(configuration: RPCServerConfiguration(socketPath: directory + "/w.sock", threads: 1), service: TestService(), logger: Logger(label: "t"))
        do {
            try await server.start()
            XCTFail("must refuse a world-writable socket directory")
        } catch let error as SocketPlacementError {
            XCTAssertEqual(error.code, .unsafePlace)
            XCTAssertTrue(error.message.contains("writable by others"), error.message)
        }
        await server.shutdown()
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/w.sock"))
    }

    func testAFileInTheSocketsPlaceIsNotReplaced() async throws {
        let directory = try TestServer.makePrivateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/not-a-socket"
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
        let server = RPCServer(configuration: RPCServerConfiguration(socketPath: path, threads: 1), service: TestService(), logger: Logger(label: "t"))
        do {
            try await server.start()
            XCTFail("must not replace a regular file")
        } catch let error as SocketPlacementError {
            XCTAssertEqual(error.code, .occupied)
            XCTAssertTrue(error.message.contains("is not a socket"), error.message)
        }
        await server.shutdown()
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("keep me".utf8))
    }
}
