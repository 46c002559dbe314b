internal import CProtobufC
internal import CWaiaasProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Swift message type backed by one protobuf-c struct.
///
/// Encoding builds a C struct whose every field is a fresh `malloc` copy, packs
/// it and releases it with `protobuf_c_message_free_unpacked` (which frees
/// exactly such a tree with the default allocator). Decoding unpacks, copies
/// every field into Swift values and frees the C tree before returning. The C
/// pointers live only inside these two functions.
protocol CBackedMessage: ProtoMessage {
    associatedtype CStruct
    /// Calls the generated `…__unpack` function of this message.
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>?
    /// Calls the generated `…__init` function of this message.
    static func cInit(_ c: UnsafeMutablePointer<CStruct>)
    /// Copies a decoded C struct into Swift values.
    init(copying c: UnsafePointer<CStruct>) throws(ProtoError)
    /// Fills an initialised C struct with malloc'd copies of this value's fields.
    func fill(_ c: UnsafeMutablePointer<CStruct>)
}

extension CBackedMessage {
    /// Decodes through protobuf-c; the public `init(serializedBytes:)` calls this.
    static func decodeC(_ bytes: [UInt8]) throws(ProtoError) -> Self {
        if let field = bytes.withUnsafeBytes({ buffer in Self.withDescriptor { StringFieldScan.fieldWithNUL(buffer, $0) } }) {
            throw ProtoError(.invalidField, "\(Self.protoName): string field \(field) holds a NUL byte")
        }
        let unpacked = bytes.withUnsafeBufferPointer { buffer in
            Self.cUnpack(buffer.count, buffer.baseAddress)
        }
        guard let unpacked else {
            throw ProtoError(.malformed, "\(Self.protoName): not a valid protobuf encoding (\(bytes.count) bytes)")
        }
        defer { protobuf_c_message_free_unpacked(Self.base(unpacked), nil) }
        return try Self(copying: unpacked)
    }

    /// Encodes through protobuf-c; the public `serializedBytes()` calls this.
    func encodeC() -> [UInt8] {
        let c = Self.allocateC(self)
        defer { protobuf_c_message_free_unpacked(Self.base(c), nil) }
        let base = Self.base(c)
        let size = protobuf_c_message_get_packed_size(base)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(base, buffer.baseAddress)
        }
    }

    /// A malloc'd, initialised and filled C struct; the caller owns it and
    /// releases it (and everything under it) with `free_unpacked`.
    static func allocateC(_ value: Self) -> UnsafeMutablePointer<CStruct> {
        let typed = mallocOrDie(MemoryLayout<CStruct>.size).bindMemory(to: CStruct.self, capacity: 1)
        cInit(typed)
        value.fill(typed)
        return typed
    }

    static func base(_ c: UnsafeMutablePointer<CStruct>) -> UnsafeMutablePointer<ProtobufCMessage> {
        UnsafeMutableRawPointer(c).assumingMemoryBound(to: ProtobufCMessage.self)
    }

    /// Unpacks with the descriptor that `cInit` installs: for nested
    /// messages, which protoc-c gives no `__unpack` function of their own.
    /// (Swift cannot take the address of the C descriptor constant itself
    /// without risking a copy; `__init` stores its real address.)
    static func unpackWithDescriptor(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? {
        let message = withDescriptor { protobuf_c_message_unpack($0, nil, count, bytes) }
        return message.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CStruct.self) }
    }

    /// This message's descriptor, as `cInit` installs it.
    static func withDescriptor<R>(_ body: (UnsafePointer<ProtobufCMessageDescriptor>) -> R?) -> R? {
        let probe = UnsafeMutablePointer<CStruct>.allocate(capacity: 1)
        defer { probe.deallocate() }
        cInit(probe)
        guard let descriptor = base(probe).pointee.descriptor else { return nil }
        return body(descriptor)
    }

    /// Number of fields protobuf-c kept as unknown in the decoded struct.
    static func unknownFieldCount(_ c: UnsafePointer<CStruct>) -> Int {
        Int(UnsafeRawPointer(c).assumingMemoryBound(to: ProtobufCMessage.self).pointee.n_unknown_fields)
    }
}

// MARK: - Field copies, C to Swift

func copyBytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard data.len > 0, let pointer = data.data else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: data.len))
}

func copyString(_ pointer: UnsafeMutablePointer<CChar>?, field: String) throws(ProtoError) -> String {
    guard let pointer else { return "" }
    guard let string = String(validatingCString: pointer) else {
        throw ProtoError(.invalidUTF8, "field \(field) is not valid UTF-8")
    }
    return string
}

func copyRepeatedBytes(_ count: Int, _ items: UnsafeMutablePointer<ProtobufCBinaryData>?) -> [[UInt8]] {
    guard count > 0, let items else { return [] }
    return (0..<count).map { copyBytes(items[$0]) }
}

func copyRepeated<M: CBackedMessage>(
    _ count: Int, _ items: UnsafeMutablePointer<UnsafeMutablePointer<M.CStruct>?>?, as: M.Type
) throws(ProtoError) -> [M] {
    guard count > 0, let items else { return [] }
    var result: [M] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        guard let item = items[index] else { continue }
        result.append(try M(copying: item))
    }
    return result
}

func copyOptional<M: CBackedMessage>(_ pointer: UnsafeMutablePointer<M.CStruct>?, as: M.Type) throws(ProtoError) -> M? {
    guard let pointer else { return nil }
    return try M(copying: pointer)
}

// MARK: - Field copies, Swift to C (malloc'd, released by free_unpacked)

func mallocOrDie(_ size: Int) -> UnsafeMutableRawPointer {
    // Allocation failure of a few hundred bytes means the process cannot go
    // on safely; stopping is better than encoding a half-filled message.
    guard let pointer = malloc(max(size, 1)) else { fatalError("out of memory") }
    return pointer
}

func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
    guard let pointer = strdup(string) else { fatalError("out of memory") }
    return pointer
}

func cBytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
    let pointer = mallocOrDie(bytes.count).assumingMemoryBound(to: UInt8.self)
    bytes.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: bytes.count) }
    return ProtobufCBinaryData(len: bytes.count, data: pointer)
}

func cRepeatedBytes(_ items: [[UInt8]]) -> (Int, UnsafeMutablePointer<ProtobufCBinaryData>?) {
    guard !items.isEmpty else { return (0, nil) }
    let array = mallocOrDie(MemoryLayout<ProtobufCBinaryData>.stride * items.count)
        .assumingMemoryBound(to: ProtobufCBinaryData.self)
    for (index, item) in items.enumerated() { (array + index).initialize(to: cBytes(item)) }
    return (items.count, array)
}

func cRepeated<M: CBackedMessage>(_ items: [M]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<M.CStruct>?>?) {
    guard !items.isEmpty else { return (0, nil) }
    let array = mallocOrDie(MemoryLayout<UnsafeMutablePointer<M.CStruct>?>.stride * items.count)
        .assumingMemoryBound(to: UnsafeMutablePointer<M.CStruct>?.self)
    for (index, item) in items.enumerated() { (array + index).initialize(to: M.allocateC(item)) }
    return (items.count, array)
}

func cOptional<M: CBackedMessage>(_ value: M?) -> UnsafeMutablePointer<M.CStruct>? {
    value.map { M.allocateC($0) }
}

extension ProtoMessage {
    /// Decodes from borrowed bytes (e.g. a network buffer) with one copy.
    public init(serializedBytes buffer: UnsafeRawBufferPointer) throws(ProtoError) {
        try self.init(serializedBytes: [UInt8](buffer))
    }
}

// MARK: - Repeated strings and scalars

func copyRepeatedStrings(_ count: Int, _ items: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, field: String) throws(ProtoError) -> [String] {
    guard count > 0, let items else { return [] }
    var result: [String] = []
    for index in 0..<count { result.append(try copyString(items[index], field: field)) }
    return result
}

func copyRepeatedScalars<T>(_ count: Int, _ items: UnsafeMutablePointer<T>?) -> [T] {
    guard count > 0, let items else { return [] }
    return Array(UnsafeBufferPointer(start: items, count: count))
}

func cRepeatedStrings(_ items: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
    guard !items.isEmpty else { return (0, nil) }
    let array = mallocOrDie(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * items.count)
        .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: items.count)
    for (index, item) in items.enumerated() { (array + index).initialize(to: cString(item)) }
    return (items.count, array)
}

func cRepeatedScalars<T>(_ items: [T]) -> (Int, UnsafeMutablePointer<T>?) {
    guard !items.isEmpty else { return (0, nil) }
    let array = mallocOrDie(MemoryLayout<T>.stride * items.count).bindMemory(to: T.self, capacity: items.count)
    array.initialize(from: items, count: items.count)
    return (items.count, array)
}
