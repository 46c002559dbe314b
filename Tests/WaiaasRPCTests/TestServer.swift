import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import WaiaasProto
import WaiaasRPC

#if canImport(Glibc)
import Glibc
#endif

/// Methods for exercising the transport: an immediate echo, and a slow call
/// that waits for a number of milliseconds given as its payload (big-endian
/// UInt32) before echoing it, so tests can hold calls in flight.
struct TestService: RPCService {
    static let echo = "/test.v1.Test/Echo"
    static let slow = "/test.v1.Test/Slow"

    func handler(for method: String) -> MethodHandler? {
        switch method {
        case Self.echo:
            return .immediate { .success($0.payload) }
        case Self.slow:
            return .async { call in
                let bytes = call.payload + [0, 0, 0, 0]
                let milliseconds = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
                try? await Task.sleep(for: .milliseconds(Int(milliseconds)))
                return .success(call.payload)
            }
        default:
            return nil
        }
    }

    static func slowPayload(milliseconds: UInt32) -> [UInt8] {
        [UInt8(milliseconds >> 24), UInt8((milliseconds >> 16) & 0xFF), UInt8((milliseconds >> 8) & 0xFF), UInt8(milliseconds & 0xFF)]
    }
}

/// A server on a fresh socket in a private temporary directory.
final class TestServer: Sendable {
    let directory: String
    let socketPath: String
    let server: RPCServer

    init(service: RPCService = TestService(), configure: (inout RPCServerConfiguration) -> Void = { _ in }) async throws {
        directory = try Self.makePrivateDirectory()
        socketPath = directory + "/sock/test.sock"
        var configuration = RPCServerConfiguration(socketPath: socketPath, threads: 2)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        server = RPCServer(configuration: configuration, service: service, logger: logger)
        try await server.start()
    }

    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func makePrivateDirectory() throws -> String {
        var template = Array("/tmp/waiaas-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw RawSocket.Failure("mkdtemp failed") }
        return String(cString: made)
    }
}
