import Foundation
import WaiaasProto
import WaiaasRPC

/// One connection with up to `depth` Sign calls in flight, as an agent
/// runtime multiplexing on one socket does: a writer thread keeps the window
/// full, a reader thread takes the answers in whatever order they come.
enum Pipelined {
    static func run(socketPath: String, frames: [[UInt8]], depth: Int, seconds: Double) throws -> ClosedLoop.Result {
        let socket = try BlockingSocket(path: socketPath)
        let window = DispatchSemaphore(value: depth)
        let sentAt = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: frames.count + 1)
        sentAt.initialize(repeating: 0)
        defer { sentAt.deallocate() }
        final class Shared: @unchecked Sendable {  // guarded by `lock`
            let lock = NSLock()
            var sent = 0
            var writerDone = false
            var failure: Error?
        }
        let shared = Shared()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let began = DispatchTime.now().uptimeNanoseconds
        let sentTimes = SendablePointer(sentAt)
        let outbound = WriteHalf(socket: socket)
        let writer = Thread {
            var index = 0
            while DispatchTime.now().uptimeNanoseconds < deadline, index < frames.count {
                window.wait()
                sentTimes.pointer[index + 1] = DispatchTime.now().uptimeNanoseconds
                do { try outbound.socket.write(frames[index]) } catch {
                    shared.lock.lock(); shared.failure = error; shared.lock.unlock()
                    break
                }
                index += 1
                shared.lock.lock(); shared.sent = index; shared.lock.unlock()
            }
            shared.lock.lock(); shared.writerDone = true; shared.lock.unlock()
        }
        writer.start()
        var latencies: [UInt64] = []
        latencies.reserveCapacity(frames.count)
        while true {
            shared.lock.lock()
            let (sent, done, failure) = (shared.sent, shared.writerDone, shared.failure)
            shared.lock.unlock()
            if let failure { throw failure }
            if latencies.count >= sent {
                // Nothing outstanding: a read now could wait for ever.
                if done { break }
                usleep(20)
                continue
            }
            let answer = try Envelope(serializedBytes: socket.readFrame())
            guard answer.status?.statusCode == .ok else { throw BenchError("pipelined sign failed: \(answer.status?.message ?? "no status")") }
            latencies.append(DispatchTime.now().uptimeNanoseconds - sentTimes.pointer[Int(answer.callID)])
            window.signal()
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        guard frames.count > latencies.count else { throw BenchError("ran out of prepared requests; raise --prepared") }
        return ClosedLoop.Result(latencies: latencies, seconds: elapsed)
    }
}

/// The send times, written by the writer before each frame goes out and read
/// by the reader after its answer came back (the socket orders the two).
struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<UInt64>
    init(_ pointer: UnsafeMutableBufferPointer<UInt64>) { self.pointer = pointer }
}

/// The socket as the writer thread uses it: only `write`, while the reader
/// thread only reads; one writer and one reader on a stream socket is safe.
struct WriteHalf: @unchecked Sendable {
    let socket: BlockingSocket
}
