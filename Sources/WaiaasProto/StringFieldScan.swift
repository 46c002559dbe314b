internal import CProtobufC

/// protobuf-c hands a decoded `string` field over NUL-terminated and without
/// its length, so a string holding a NUL byte would reach Swift cut at the
/// NUL: an envelope's method `/waiaas.v1.Wallet/Sign\0…` would read as Sign,
/// and a client reference would be recorded shorter than it was sent. This
/// scan reads the wire bytes along the message's descriptor before protobuf-c
/// does, and names the first string field that holds a NUL (as a path of field
/// names from the message scanned).
///
/// It only looks for that: anything it cannot follow (a malformed tag or
/// length, a wire type that does not fit the field) it leaves to protobuf-c,
/// which refuses it.
enum StringFieldScan {
    /// Messages nest only as deep as the schema does; this bounds a
    /// recursive schema, should one ever appear.
    static let maxDepth = 32

    static func fieldWithNUL(_ bytes: UnsafeRawBufferPointer, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> String? {
        var reader = WireReader(bytes: bytes)
        return scan(&reader, bytes.count, descriptor, depth: 0)
    }

    private static func scan(_ reader: inout WireReader, _ end: Int, _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int) -> String? {
        guard depth < maxDepth else { return nil }
        while reader.offset < end {
            guard let tag = reader.varint(end), tag >> 3 <= UInt64(UInt32.max) else { return nil }
            switch tag & 7 {
            case 0: guard reader.varint(end) != nil else { return nil }
            case 1: guard reader.skip(8, end) else { return nil }
            case 5: guard reader.skip(4, end) else { return nil }
            case 2:
                guard let length = reader.varint(end), length <= UInt64(end - reader.offset) else { return nil }
                let start = reader.offset, stop = start + Int(length)
                if let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(tag >> 3)) {
                    switch field.pointee.type {
                    case PROTOBUF_C_TYPE_STRING:
                        if reader.contains(0, start..<stop) { return String(cString: field.pointee.name) }
                    case PROTOBUF_C_TYPE_MESSAGE:
                        if let nested = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
                           let found = scan(&reader, stop, nested, depth: depth + 1) {
                            return String(cString: field.pointee.name) + "." + found
                        }
                    default: break
                    }
                }
                reader.offset = stop
            default: return nil
            }
        }
        return nil
    }

    private struct WireReader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        /// A varint that ends before `end` (the end of the message being
        /// read, never past it: so `offset <= end` always holds).
        mutating func varint(_ end: Int) -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 70, by: 7) {
                guard offset < end, shift < 64 else { return nil }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte & 0x80 == 0 { return value }
            }
            return nil
        }

        mutating func skip(_ count: Int, _ end: Int) -> Bool {
            guard end - offset >= count else { return false }
            offset += count
            return true
        }

        func contains(_ byte: UInt8, _ range: Range<Int>) -> Bool {
            bytes[range].contains(byte)
        }
    }
}
