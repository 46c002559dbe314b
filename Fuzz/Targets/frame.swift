// Fuzz target `frame`: the RPC frame reader (Sources/WaiaasRPCClient/FrameReader.swift)
// in an EmbeddedChannel, fed the input stream in chunks cut where the input
// says, with virtual time passing and read pressure (pause, resume) applied
// between chunks, then the input closed; every frame it delivers is decoded
// as an Envelope, as CallDispatcher does.
//
// Input layout:
//   byte 0        bits 0-1: maximum frame size (256 KiB default, 16, 255, 4096)
//                 bits 2-3: at the end: 1 close the input, 2 let the read
//                           timeout pass, 3 both (timeout first), 0 neither;
//                           then the reader is resumed if it was paused
//                 bits 4-7: number of chunk specs that follow (0-15)
//   2 bytes each  chunk spec: the chunk's length (0-255), then a control
//                 byte: bits 6-7 what follows the chunk (1 pause, 2 resume,
//                 3 a read request), bits 0-5 the time that passes before
//                 the next chunk, in 50 ms steps (the read timeout is 1 s)
//   the rest      the byte stream; what the chunks leave over is the last chunk
//
// Checked against a model of the reader as documented: the frames delivered
// are exactly the stream's frames in order, whatever the cut, and none while
// paused; the error (zero length, too large, truncated, stalled: a frame
// that takes the read timeout or longer to arrive, its clock stopped while
// paused) is the model's, with the model's numbers, and nothing follows it.
import NIOCore
import NIOEmbedded
import WaiaasProto
@testable import WaiaasRPC
@testable import WaiaasRPCClient

private let timeoutNanoseconds: Int64 = 1_000_000_000
private let stepNanoseconds: Int64 = 50_000_000
private let maximumSizes = [Framing.defaultMaximumFrameSize, 16, 255, 4096]

/// Records what the reader passes on; errors stop at this handler.
private final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var frames: [[UInt8]] = []
    var errors: [FrameError] = []
    var foreignErrors: [String] = []
    var inputClosedEvents = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frames.append(Array(unwrapInboundIn(data).readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? FrameError { errors.append(error) } else { foreignErrors.append("\(error)") }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { inputClosedEvents += 1 }
    }
}

/// The reader as a specification.
private struct Model {
    let maximum: Int
    var buffered: [UInt8] = []
    var frames: [[UInt8]] = []
    var error: FrameError?
    var paused = false
    var inputClosedHeld = false
    var inputClosedPassed = 0
    /// When the partial frame at the front began plus the timeout; nil when
    /// there is none, or while paused.
    var deadline: Int64?

    init(maximum: Int) {
        self.maximum = maximum
    }

    mutating func read(_ chunk: ArraySlice<UInt8>, now: Int64) {
        guard error == nil else { return }
        buffered += chunk
        drain(now: now)
    }

    private mutating func drain(now: Int64) {
        guard !paused else { return }
        var completed = false
        while buffered.count >= 4 {
            let length = Int(buffered[0]) << 24 | Int(buffered[1]) << 16 | Int(buffered[2]) << 8 | Int(buffered[3])
            if length == 0 { return fail(.zeroLength) }
            if length > maximum { return fail(.tooLarge(length: length, maximum: maximum)) }
            guard buffered.count >= 4 + length else { break }
            frames.append(Array(buffered[4 ..< 4 + length]))
            buffered.removeFirst(4 + length)
            completed = true
        }
        if buffered.isEmpty {
            deadline = nil
        } else if deadline == nil || completed {
            deadline = now + timeoutNanoseconds
        }
    }

    mutating func pause() {
        guard !paused else { return }
        paused = true
        deadline = nil
    }

    /// A failed reader resumes, but delivers nothing, not even a held end of input.
    mutating func resume(now: Int64) {
        guard paused else { return }
        paused = false
        guard error == nil else { return }
        drain(now: now)
        guard error == nil else { return }
        if inputClosedHeld {
            inputClosedHeld = false
            inputClosed()
        }
    }

    mutating func advance(to now: Int64) {
        guard error == nil, let deadline, now >= deadline else { return }
        fail(.stalled(bufferedBytes: buffered.count, seconds: timeoutNanoseconds / 1_000_000_000))
    }

    mutating func inputClosed() {
        if paused {
            inputClosedHeld = true
            return
        }
        if error == nil, !buffered.isEmpty {
            if buffered.count >= 4 {
                let length = Int(buffered[0]) << 24 | Int(buffered[1]) << 16 | Int(buffered[2]) << 8 | Int(buffered[3])
                fail(.truncated(expected: length, received: buffered.count - 4))
            } else {
                fail(.truncated(expected: 4, received: buffered.count))
            }
        }
        inputClosedPassed += 1
    }

    private mutating func fail(_ e: FrameError) {
        error = e
        buffered = []
        deadline = nil
    }
}

private enum Action: UInt8 {
    case none, pause, resume, read
}

private struct Step {
    var chunk: ArraySlice<UInt8>
    var action: Action
    var delay: Int64
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = fuzzBytes(data, size)
    guard let config = input.first else { return 0 }
    let maximum = maximumSizes[Int(config & 3)]
    let ending = (config >> 2) & 3
    let specCount = Int(config >> 4)

    var position = 1
    var specs: [(length: Int, control: UInt8)] = []
    while specs.count < specCount, position + 1 < input.count {
        specs.append((Int(input[position]), input[position + 1]))
        position += 2
    }
    let stream = input[position...]
    var steps: [Step] = []
    var offset = stream.startIndex
    for spec in specs {
        let end = min(offset + spec.length, stream.endIndex)
        steps.append(Step(chunk: stream[offset ..< end], action: Action(rawValue: spec.control >> 6)!,
                          delay: Int64(spec.control & 0x3F) * stepNanoseconds))
        offset = end
    }
    if offset < stream.endIndex || steps.isEmpty { steps.append(Step(chunk: stream[offset...], action: .none, delay: 0)) }

    let collector = Collector()
    let channel = EmbeddedChannel()
    do {
        try channel.pipeline.syncOperations.addHandler(
            FrameReader(maximumFrameSize: maximum, readTimeout: .nanoseconds(timeoutNanoseconds)))
        try channel.pipeline.syncOperations.addHandler(collector)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    } catch {
        fuzzCheck(false, "could not set up the channel: \(error)")
    }

    var model = Model(maximum: maximum)
    var now: Int64 = 0
    func resume() {
        channel.pipeline.triggerUserOutboundEvent(ReadPressure.resume, promise: nil)
        channel.embeddedEventLoop.run()
        model.resume(now: now)
    }
    for step in steps {
        var buffer = channel.allocator.buffer(capacity: step.chunk.count)
        buffer.writeBytes(step.chunk)
        channel.pipeline.fireChannelRead(buffer)
        model.read(step.chunk, now: now)
        switch step.action {
        case .none: break
        case .pause:
            channel.pipeline.triggerUserOutboundEvent(ReadPressure.pause, promise: nil)
            model.pause()
        case .resume: resume()
        case .read: channel.read()
        }
        if step.delay > 0 {
            now += step.delay
            channel.embeddedEventLoop.advanceTime(by: .nanoseconds(step.delay))
            model.advance(to: now)
        }
    }
    if ending & 2 != 0 {
        now += timeoutNanoseconds
        channel.embeddedEventLoop.advanceTime(by: .nanoseconds(timeoutNanoseconds))
        model.advance(to: now)
    }
    if ending & 1 != 0 {
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        model.inputClosed()
    }
    if model.paused { resume() }
    _ = try? channel.finish(acceptAlreadyClosed: true)

    func describe() -> String {
        """
        maximum \(maximum), chunks \(steps.map { "\($0.chunk.count) \($0.action) +\($0.delay / stepNanoseconds)" }), ending \(ending): \
        reader delivered \(collector.frames.count) frames, errors \(collector.errors), \(collector.inputClosedEvents) input-closed; \
        model \(model.frames.count) frames, error \(String(describing: model.error)), \(model.inputClosedPassed) input-closed
        """
    }
    fuzzCheck(collector.foreignErrors.isEmpty, "FrameReader raised a non-frame error: \(collector.foreignErrors)")
    fuzzCheck(collector.errors.count <= 1, "more than one error: \(describe())")
    fuzzCheck(collector.frames == model.frames, "frames differ: \(describe())")
    fuzzCheck(collector.errors.first == model.error, "errors differ: \(describe())")
    fuzzCheck(collector.inputClosedEvents == model.inputClosedPassed, "input-closed events differ: \(describe())")

    // What the dispatcher does with each frame.
    for frame in collector.frames {
        if let envelope = try? Envelope(serializedBytes: frame) {
            _ = envelope.serializedBytes()
        }
    }
    return 0
}
