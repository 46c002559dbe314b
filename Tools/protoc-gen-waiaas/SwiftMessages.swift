// lang=swift, messages: one `<file>.pb.swift` per .proto with a Swift value
// type per message and enum, backed by the protoc-c structs of the C target,
// and for every service the enum of its method paths.
//
// The generated code only declares fields and copies them; the machinery it
// calls (decodeC/encodeC, copyBytes, cRepeated, …) is the hand-written
// runtime in the proto module (CMessageCodec.swift), so C pointers stay in
// that module.

struct SwiftMessageGenerator {
    let request: Request
    /// Files whose messages refuse unknown fields and unknown enum values on
    /// decode (fail closed), e.g. the policy: a rule an older daemon does not
    /// know must not be silently dropped.
    let strictFiles: Set<String>
    let cModule: String

    func file(_ file: ProtoFile) throws -> String {
        var out = generatedBanner(comment: "//", sources: [file.name], compilerVersion: request.compilerVersion)
        out += "internal import CProtobufC\ninternal import \(cModule)\n"
        for e in file.enums { out += "\n" + enumType(e) }
        for m in file.messages where !m.isMapEntry { out += "\n" + (try message(m, strict: strictFiles.contains(file.name))) }
        for s in file.services { out += "\n" + methodPaths(s) }
        return out
    }

    // MARK: Enums

    /// proto3 enums are open: a value this build does not name still
    /// round-trips, so an enum is a struct over its raw value, not a Swift enum.
    func enumType(_ e: EnumType) -> String {
        let name = swiftTypeName(e.flatName)
        let shortName = String(e.flatName.split(separator: ".").last ?? "")
        var seen = Set<Int>()
        let values = e.values.filter { seen.insert($0.number).inserted }
        var s = swiftDocComment(e.comment)
        s += "public struct \(name): RawRepresentable, Hashable, Sendable, CustomStringConvertible {\n"
        s += "    public let rawValue: Int32\n"
        s += "    public init(rawValue: Int32) { self.rawValue = rawValue }\n\n"
        for v in e.values {
            s += "    public static let \(swiftIdentifier(swiftEnumCaseName(v.name, enumName: shortName))) = \(name)(rawValue: \(v.number))\n"
        }
        s += "\n    /// Whether this build names the value.\n"
        s += "    public var isKnown: Bool { protoValueName != nil }\n\n"
        s += "    /// The value's name in the .proto (`\(e.values.first?.name ?? "")`), nil when this build does not name it.\n"
        s += "    public var protoValueName: String? {\n        switch rawValue {\n"
        for v in values { s += "        case \(v.number): \"\(v.name)\"\n" }
        s += "        default: nil\n        }\n    }\n\n"
        let unknownPrefix = snakeCase(shortName)
        s += "    /// The name without the enum's prefix, in lower case (`\(enumShortValueName(values.last?.name ?? "", enumName: shortName).lowercased())`),\n"
        s += "    /// or `\(unknownPrefix)_<number>` for a value this build does not name.\n"
        s += "    public var description: String {\n        switch rawValue {\n"
        for v in values { s += "        case \(v.number): \"\(enumShortValueName(v.name, enumName: shortName).lowercased())\"\n" }
        s += "        default: \"\(unknownPrefix)_\\(rawValue)\"\n        }\n    }\n}\n"
        return s
    }

    // MARK: Messages

    /// A property of the Swift struct: a plain field, or a whole oneof.
    enum Member {
        case field(Field)
        case oneof(name: String, fields: [Field])
    }

    func members(_ m: Message) throws -> [Member] {
        var out: [Member] = []
        var placed = Set<Int>()
        for f in m.fields.sorted(by: { $0.number < $1.number }) {
            if f.proto3Optional { throw GeneratorError("\(m.fullName).\(f.name): proto3 `optional` is not supported by protoc-c; use a wrapper message") }
            if let index = f.oneofIndex {
                guard placed.insert(index).inserted else { continue }
                out.append(.oneof(name: m.oneofs[index], fields: m.fields.filter { $0.oneofIndex == index }))
            } else {
                out.append(.field(f))
            }
        }
        return out
    }

    func message(_ m: Message, strict: Bool) throws -> String {
        let name = swiftTypeName(m.flatName)
        let members = try members(m)
        let fields = try members.map { member -> (decl: String, param: String, assign: String, decode: String, encode: String) in
            switch member {
            case .field(let f):
                let property = swiftIdentifier(swiftPropertyName(f.name))
                let type = try swiftType(f)
                return ("\(swiftDocComment(f.comment, indentation: 4))    public var \(property): \(type)\n",
                        "\(property): \(type) = \(try defaultValue(f))",
                        "        self.\(property) = \(property)\n",
                        try decode(f, in: m, strict: strict),
                        try encode(f))
            case .oneof(let oneof, let cases):
                let property = swiftIdentifier(swiftPropertyName(oneof))
                let type = swiftOneofTypeName(oneof)
                return ("\(try oneofEnum(oneof, cases))    public var \(property): \(type)?\n",
                        "\(property): \(type)? = nil",
                        "        self.\(property) = \(property)\n",
                        try decodeOneof(oneof, cases, in: m),
                        try encodeOneof(oneof, cases, in: m))
            }
        }
        let cType = protocCTypeName(m.fullName)
        let cPrefix = protocCFunctionPrefix(m.fullName)
        var s = swiftDocComment(m.comment)
        s += "public struct \(name): CBackedMessage, Hashable {\n"
        s += "    public static let protoName = \"\(m.fullName)\"\n"
        s += fields.isEmpty ? "" : "\n" + fields.map(\.decl).joined(separator: "")
        s += "\n    public init(\(fields.map(\.param).joined(separator: ", "))) {\n\(fields.map(\.assign).joined())    }\n\n"
        s += "    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) { self = try Self.decodeC(bytes) }\n"
        s += "    public func serializedBytes() -> [UInt8] { encodeC() }\n\n"
        s += "    typealias CStruct = \(cType)\n"
        // protoc-c writes `__unpack` only for top-level messages; a nested one
        // unpacks through the descriptor its `__init` installs.
        let unpack = m.flatName.contains(".") ? "unpackWithDescriptor(count, bytes)" : "\(cPrefix)__unpack(nil, count, bytes)"
        s += "    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>?) -> UnsafeMutablePointer<CStruct>? { \(unpack) }\n"
        s += "    static func cInit(_ c: UnsafeMutablePointer<CStruct>) { \(cPrefix)__init(c) }\n\n"
        s += "    init(copying c: UnsafePointer<CStruct>) throws(ProtoError) {\n"
        if strict {
            s += "        // Fail closed: a field this build does not know is refused, never skipped.\n"
            s += "        guard Self.unknownFieldCount(c) == 0 else { throw ProtoError(.unknownFields, \"\(name) carries fields this daemon does not know\") }\n"
        }
        s += fields.map(\.decode).joined()
        s += "    }\n\n"
        s += "    func fill(_ c: UnsafeMutablePointer<CStruct>) {\n\(fields.map(\.encode).joined())    }\n}\n"
        return s
    }

    func oneofEnum(_ oneof: String, _ cases: [Field]) throws -> String {
        var s = "    /// Exactly one of these, or none (`nil`): the proto's `oneof \(oneof)`.\n"
        s += "    public enum \(swiftOneofTypeName(oneof)): Hashable, Sendable {\n"
        for f in cases {
            s += swiftDocComment(f.comment, indentation: 8)
            s += "        case \(swiftIdentifier(swiftPropertyName(f.name)))(\(try elementType(f)))\n"
        }
        return s + "    }\n\n"
    }

    // MARK: Types

    func scalarSwiftType(_ type: FieldType) throws -> String {
        switch type {
        case .double: "Double"
        case .float: "Float"
        case .int64, .sint64, .sfixed64: "Int64"
        case .uint64, .fixed64: "UInt64"
        case .int32, .sint32, .sfixed32: "Int32"
        case .uint32, .fixed32: "UInt32"
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "[UInt8]"
        case .group, .message, .enum: throw GeneratorError("not a scalar: \(type.protoName)")
        }
    }

    func elementType(_ f: Field) throws -> String {
        switch f.type {
        case .message: return swiftTypeName(try messageType(f).flatName)
        case .enum: return swiftTypeName(try enumType(f).flatName)
        case .group: throw GeneratorError("\(f.name): groups are not supported")
        default: return try scalarSwiftType(f.type)
        }
    }

    func swiftType(_ f: Field) throws -> String {
        if let entry = try mapEntry(f) {
            let (key, value) = (entry.fields[0], entry.fields[1])
            guard key.type == .string, value.type == .string else {
                throw GeneratorError("\(f.name): only map<string, string> is supported by lang=swift")
            }
            return "[String: String]"
        }
        let element = try elementType(f)
        if f.repeated { return "[\(element)]" }
        return f.type == .message ? "\(element)?" : element
    }

    func defaultValue(_ f: Field) throws -> String {
        if try mapEntry(f) != nil { return "[:]" }
        if f.repeated { return "[]" }
        switch f.type {
        case .message: return "nil"
        case .enum: return ".init(rawValue: 0)"
        case .bool: return "false"
        case .string: return "\"\""
        case .bytes: return "[]"
        default: return "0"
        }
    }

    func messageType(_ f: Field) throws -> Message {
        guard let m = request.allMessages[String(f.typeName.drop { $0 == "." })] else { throw GeneratorError("unknown message \(f.typeName)") }
        return m
    }

    func enumType(_ f: Field) throws -> EnumType {
        guard let e = request.allEnums[String(f.typeName.drop { $0 == "." })] else { throw GeneratorError("unknown enum \(f.typeName)") }
        return e
    }

    func mapEntry(_ f: Field) throws -> Message? {
        guard f.repeated, f.type == .message else { return nil }
        let m = try messageType(f)
        return m.isMapEntry ? m : nil
    }

    // MARK: Decoding (C to Swift)

    func decode(_ f: Field, in m: Message, strict: Bool) throws -> String {
        let property = swiftIdentifier(swiftPropertyName(f.name))
        let c = "c.pointee.\(protocCFieldName(f.name))"
        let label = "\(swiftTypeName(m.flatName)).\(f.name)"
        if try mapEntry(f) != nil {
            return """
                    \(property) = [:]
                    if c.pointee.n_\(protocCFieldName(f.name)) > 0, let entries = \(c) {
                        for index in 0..<c.pointee.n_\(protocCFieldName(f.name)) {
                            guard let entry = entries[index] else { continue }
                            // A repeated key keeps its last value, as protobuf requires.
                            let key = try copyString(entry.pointee.key, field: "\(label) key")
                            \(property)[key] = try copyString(entry.pointee.value, field: "\(label) value")
                        }
                    }

            """
        }
        if f.repeated {
            let copy: String
            switch f.type {
            case .message: copy = "try copyRepeated(c.pointee.n_\(protocCFieldName(f.name)), \(c), as: \(try elementType(f)).self)"
            case .bytes: copy = "copyRepeatedBytes(c.pointee.n_\(protocCFieldName(f.name)), \(c))"
            case .string: copy = "try copyRepeatedStrings(c.pointee.n_\(protocCFieldName(f.name)), \(c), field: \"\(label)\")"
            case .bool: copy = "copyRepeatedScalars(c.pointee.n_\(protocCFieldName(f.name)), \(c)).map { $0 != 0 }"
            case .enum: copy = "copyRepeatedScalars(c.pointee.n_\(protocCFieldName(f.name)), \(c)).map { \(try elementType(f))(rawValue: Int32(truncatingIfNeeded: $0.rawValue)) }"
            default: copy = "copyRepeatedScalars(c.pointee.n_\(protocCFieldName(f.name)), \(c))"
            }
            var s = "        \(property) = \(copy)\n"
            if strict && f.type == .enum {
                s += "        if let unknown = \(property).first(where: { !$0.isKnown }) { throw ProtoError(.unknownFields, \"\(label) has value \\(unknown.rawValue), unknown to this daemon\") }\n"
            }
            return s
        }
        var s = "        \(property) = \(try decodeValue(f, from: c, label: label))\n"
        if strict && f.type == .enum {
            s += "        guard \(property).isKnown else { throw ProtoError(.unknownFields, \"\(label) has value \\(\(property).rawValue), unknown to this daemon\") }\n"
        }
        return s
    }

    /// The Swift expression for one singular value at C expression `c`.
    func decodeValue(_ f: Field, from c: String, label: String) throws -> String {
        switch f.type {
        case .message: return "try copyOptional(\(c), as: \(try elementType(f)).self)"
        case .enum: return "\(try elementType(f))(rawValue: Int32(truncatingIfNeeded: \(c).rawValue))"
        case .bool: return "\(c) != 0"
        case .string: return "try copyString(\(c), field: \"\(label)\")"
        case .bytes: return "copyBytes(\(c))"
        default: return c
        }
    }

    func decodeOneof(_ oneof: String, _ cases: [Field], in m: Message) throws -> String {
        let property = swiftIdentifier(swiftPropertyName(oneof))
        let caseConstant = protocCFunctionPrefix(m.fullName).uppercased() + "__" + oneof.uppercased()
        var s = "        switch c.pointee.\(oneof)_case {\n"
        for f in cases {
            let value = try decodeValue(f, from: "c.pointee.\(protocCFieldName(f.name))", label: "\(swiftTypeName(m.flatName)).\(f.name)")
            let unwrapped = f.type == .message ? "\(value).map { .\(swiftIdentifier(swiftPropertyName(f.name)))($0) }" : ".\(swiftIdentifier(swiftPropertyName(f.name)))(\(value))"
            s += "        case \(caseConstant)_\(f.name.uppercased()):\n            \(property) = \(unwrapped)\n"
        }
        s += "        default:\n            \(property) = nil\n        }\n"
        return s
    }

    // MARK: Encoding (Swift to C, malloc'd copies)

    func encode(_ f: Field) throws -> String {
        let property = "self.\(swiftIdentifier(swiftPropertyName(f.name)))"
        let c = "c.pointee.\(protocCFieldName(f.name))"
        if let entry = try mapEntry(f) {
            let entryType = protocCTypeName(entry.fullName)
            return """
                    if !\(property).isEmpty {
                        // Sorted keys make the encoding deterministic, so golden bytes are stable.
                        let sorted = \(property).sorted { $0.key < $1.key }
                        let entries = mallocOrDie(MemoryLayout<UnsafeMutablePointer<\(entryType)>?>.stride * sorted.count)
                            .bindMemory(to: UnsafeMutablePointer<\(entryType)>?.self, capacity: sorted.count)
                        for (index, pair) in sorted.enumerated() {
                            let entry = mallocOrDie(MemoryLayout<\(entryType)>.size).bindMemory(to: \(entryType).self, capacity: 1)
                            \(protocCFunctionPrefix(entry.fullName))__init(entry)
                            entry.pointee.key = cString(pair.key)
                            entry.pointee.value = cString(pair.value)
                            (entries + index).initialize(to: entry)
                        }
                        c.pointee.n_\(protocCFieldName(f.name)) = sorted.count
                        \(c) = entries
                    }

            """
        }
        if f.repeated {
            let array: String
            switch f.type {
            case .message: array = "cRepeated(\(property))"
            case .bytes: array = "cRepeatedBytes(\(property))"
            case .string: array = "cRepeatedStrings(\(property))"
            case .bool: array = "cRepeatedScalars(\(property).map { $0 ? 1 : 0 })"
            case .enum: array = "cRepeatedScalars(\(property).map { .init(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })"
            default: array = "cRepeatedScalars(\(property))"
            }
            return "        (c.pointee.n_\(protocCFieldName(f.name)), \(c)) = \(array)\n"
        }
        return "        \(c) = \(try encodeValue(f, property))\n"
    }

    /// The C value for one singular Swift value `value`.
    func encodeValue(_ f: Field, _ value: String) throws -> String {
        switch f.type {
        case .message: return "cOptional(\(value))"
        case .enum: return ".init(rawValue: .init(truncatingIfNeeded: \(value).rawValue))"
        case .bool: return "\(value) ? 1 : 0"
        case .string: return "cString(\(value))"
        case .bytes: return "cBytes(\(value))"
        default: return value
        }
    }

    func encodeOneof(_ oneof: String, _ cases: [Field], in m: Message) throws -> String {
        let property = "self.\(swiftIdentifier(swiftPropertyName(oneof)))"
        let caseConstant = protocCFunctionPrefix(m.fullName).uppercased() + "__" + oneof.uppercased()
        var s = "        switch \(property) {\n"
        for f in cases {
            let value = f.type == .message ? "Optional(value)" : "value"
            s += "        case .\(swiftIdentifier(swiftPropertyName(f.name)))(let value):\n"
            s += "            c.pointee.\(oneof)_case = \(caseConstant)_\(f.name.uppercased())\n"
            s += "            c.pointee.\(protocCFieldName(f.name)) = \(try encodeValue(f, value))\n"
        }
        s += "        case nil:\n            c.pointee.\(oneof)_case = \(caseConstant)__NOT_SET\n        }\n"
        return s
    }

    // MARK: Services

    /// The method paths of a service, e.g. `WalletMethod.sign.rawValue == "/waiaas.v1.Wallet/Sign"`.
    func methodPaths(_ service: Service) -> String {
        var s = "/// The method paths of `service \(service.fullName)`, in gRPC's naming.\n"
        s += "public enum \(service.name)Method: String, Sendable, CaseIterable {\n"
        for method in service.methods {
            s += swiftDocComment(method.comment, indentation: 4)
            s += "    case \(swiftMethodName(method.name)) = \"/\(service.fullName)/\(method.name)\"\n"
        }
        return s + "}\n"
    }
}
