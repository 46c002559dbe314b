import Foundation
import WaiaasProto
import WaiaasRPC

#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket client that writes exactly the bytes a test gives
/// it, so tests can send what no well-behaved client would.
final class RawSocket {
    let fd: Int32

    init(path: String, receiveTimeout: TimeInterval = 5) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure("connect \(path): \(String(cString: strerror(errno)))")
        }
        var timeout = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - floor(receiveTimeout)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure("send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    func send(_ envelope: Envelope) throws { try send(Framing.frameBytes(envelope)) }

    func call(_ id: UInt64, _ method: String, _ payload: [UInt8] = [], timeoutMilliseconds: UInt32 = 0) throws {
        try send(Envelope(callID: id, method: method, payload: payload, timeoutMilliseconds: timeoutMilliseconds))
    }

    /// Stops sending (half-close): the server sees end of input.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = out[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            // End of stream, or a reset because the server closed with our
            // bytes unread: both mean the server closed the connection.
            if got == 0 || (got < 0 && errno == ECONNRESET) { return offset == 0 ? nil : Array(out[..<offset]) }
            guard got > 0 else { throw Failure("recv: \(String(cString: strerror(errno)))") }
            offset += got
        }
        return out
    }

    /// The next frame's envelope, or nil at end of stream.
    func receive() throws -> Envelope? {
        guard let header = try readExactly(4), header.count == 4 else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard let body = try readExactly(length), body.count == length else { throw Failure("short frame") }
        return try Envelope(serializedBytes: body)
    }

    /// True when the server has closed the connection (reads end of stream).
    func isClosedByPeer() throws -> Bool {
        try receive() == nil
    }
}
