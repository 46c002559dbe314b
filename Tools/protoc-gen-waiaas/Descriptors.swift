// The parts of protoc's descriptors the generators use, copied out of the
// protoc-c structs (Tools/CProtocPlugin) into plain Swift values.
internal import CProtocPlugin
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar, enum or message field type, by protoc's FieldDescriptorProto.Type number.
enum FieldType: Int {
    case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
         uint32, `enum`, sfixed32, sfixed64, sint32, sint64

    /// The wire type of one (unpacked) value.
    var wireType: Int {
        switch self {
        case .double, .fixed64, .sfixed64: return 1
        case .float, .fixed32, .sfixed32: return 5
        case .string, .bytes, .message: return 2
        case .group: return 3
        default: return 0
        }
    }
    /// Scalars that proto3 packs when repeated.
    var isPackable: Bool { !(self == .string || self == .bytes || self == .message || self == .group) }
    var is64Bit: Bool { [.int64, .uint64, .fixed64, .sfixed64, .sint64].contains(self) }
    var protoName: String {
        switch self {
        case .double: "double"; case .float: "float"; case .int64: "int64"; case .uint64: "uint64"
        case .int32: "int32"; case .fixed64: "fixed64"; case .fixed32: "fixed32"; case .bool: "bool"
        case .string: "string"; case .group: "group"; case .message: "message"; case .bytes: "bytes"
        case .uint32: "uint32"; case .enum: "enum"; case .sfixed32: "sfixed32"; case .sfixed64: "sfixed64"
        case .sint32: "sint32"; case .sint64: "sint64"
        }
    }
}

struct Field {
    var name: String
    var number: Int
    var type: FieldType
    var repeated: Bool
    /// Fully qualified, with a leading dot (".waiaas.v1.Reason"), for messages and enums.
    var typeName: String
    var oneofIndex: Int?
    var jsonName: String
    var proto3Optional: Bool
    /// The .proto comment on this field (leading, else trailing), without `//`.
    var comment: String = ""
}

struct Message {
    /// Fully qualified without the leading dot ("waiaas.v1.Envelope.MetadataEntry").
    var fullName: String
    /// The name inside the file, nested names joined by "_" ("Envelope_MetadataEntry").
    var flatName: String
    var fields: [Field]
    var oneofs: [String]
    var isMapEntry: Bool
    var file: String
    var comment: String = ""
}

struct EnumType {
    var fullName: String
    var flatName: String
    var values: [(name: String, number: Int)]
    var file: String
    var comment: String = ""
}

struct Method {
    var name: String
    var inputType: String   // fully qualified, no leading dot
    var outputType: String
    var comment: String = ""
}

struct Service {
    var name: String
    var package: String
    var methods: [Method]
    var file: String
    var comment: String = ""
    var fullName: String { package.isEmpty ? name : "\(package).\(name)" }
}

struct ProtoFile {
    var name: String
    var package: String
    var dependencies: [String]
    var messages: [Message]
    var enums: [EnumType]
    var services: [Service]
}

/// Everything protoc sent: the files to generate and every file they import.
struct Request {
    var parameter: String
    var filesToGenerate: [String]
    var files: [ProtoFile]
    var compilerVersion: String

    var generated: [ProtoFile] { files.filter { filesToGenerate.contains($0.name) } }
    var allMessages: [String: Message] {
        Dictionary(files.flatMap { $0.messages }.map { ($0.fullName, $0) }, uniquingKeysWith: { a, _ in a })
    }
    var allEnums: [String: EnumType] {
        Dictionary(files.flatMap { $0.enums }.map { ($0.fullName, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

private func str(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

private func buffer<T>(_ n: Int, _ p: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?) -> [UnsafeMutablePointer<T>] {
    guard let p, n > 0 else { return [] }
    return UnsafeBufferPointer(start: p, count: n).compactMap { $0 }
}

extension Request {
    /// Decodes a serialized CodeGeneratorRequest; nil when it is not one.
    init?(bytes: [UInt8]) {
        let parsed: Request?? = bytes.withUnsafeBufferPointer { p in
            guard let req = google__protobuf__compiler__code_generator_request__unpack(nil, p.count, p.baseAddress) else {
                return nil
            }
            defer { google__protobuf__compiler__code_generator_request__free_unpacked(req, nil) }
            let r = req.pointee
            var version = ""
            if let v = r.compiler_version?.pointee {
                version = "\(v.major).\(v.minor).\(v.patch)"
            }
            let names = (0..<r.n_file_to_generate).map { str(r.file_to_generate[$0]) }
            let files = buffer(r.n_proto_file, r.proto_file).map { Request.file($0.pointee) }
            return Request(parameter: str(r.parameter), filesToGenerate: names, files: files, compilerVersion: version)
        }
        guard let parsed = parsed ?? nil else { return nil }
        self = parsed
    }

    private static func file(_ f: Google__Protobuf__FileDescriptorProto) -> ProtoFile {
        let package = str(f.package)
        let fileName = str(f.name)
        let comments = sourceComments(f.source_code_info)
        var messages: [Message] = []
        var enums: [EnumType] = []
        // `path` is the descriptor path protoc's SourceCodeInfo uses: field
        // numbers of descriptor.proto alternating with indexes (4 = message_type,
        // 3 = nested_type, 2 = field, 5/4 = enum_type, 6 = service, 2 = method).
        func walk(_ d: Google__Protobuf__DescriptorProto, scope: String, flatScope: String, path: [Int32]) {
            let name = str(d.name)
            let full = scope.isEmpty ? name : "\(scope).\(name)"
            let flat = flatScope.isEmpty ? name : "\(flatScope).\(name)"
            let fields = buffer(d.n_field, d.field).enumerated().map { index, fp -> Field in
                let x = fp.pointee
                return Field(
                    name: str(x.name), number: Int(x.number),
                    type: FieldType(rawValue: Int(x.type.rawValue)) ?? .bytes,
                    repeated: x.label.rawValue == 3,
                    typeName: str(x.type_name),
                    oneofIndex: x.has_oneof_index != 0 ? Int(x.oneof_index) : nil,
                    jsonName: str(x.json_name),
                    proto3Optional: x.has_proto3_optional != 0 && x.proto3_optional != 0,
                    comment: comments[path + [2, Int32(index)]] ?? "")
            }
            let oneofs = buffer(d.n_oneof_decl, d.oneof_decl).map { str($0.pointee.name) }
            let mapEntry = d.options.map { $0.pointee.has_map_entry != 0 && $0.pointee.map_entry != 0 } ?? false
            messages.append(Message(fullName: full, flatName: flat, fields: fields, oneofs: oneofs, isMapEntry: mapEntry, file: fileName,
                                    comment: comments[path] ?? ""))
            for (i, e) in buffer(d.n_enum_type, d.enum_type).enumerated() {
                enums.append(enumType(e.pointee, scope: full, flatScope: flat, file: fileName, comment: comments[path + [4, Int32(i)]] ?? ""))
            }
            for (i, n) in buffer(d.n_nested_type, d.nested_type).enumerated() {
                walk(n.pointee, scope: full, flatScope: flat, path: path + [3, Int32(i)])
            }
        }
        for (i, m) in buffer(f.n_message_type, f.message_type).enumerated() { walk(m.pointee, scope: package, flatScope: "", path: [4, Int32(i)]) }
        for (i, e) in buffer(f.n_enum_type, f.enum_type).enumerated() {
            enums.append(enumType(e.pointee, scope: package, flatScope: "", file: fileName, comment: comments[[5, Int32(i)]] ?? ""))
        }
        let services = buffer(f.n_service, f.service).enumerated().map { si, sp -> Service in
            let s = sp.pointee
            let methods = buffer(s.n_method, s.method).enumerated().map { mi, mp -> Method in
                let m = mp.pointee
                return Method(name: str(m.name), inputType: String(str(m.input_type).drop { $0 == "." }),
                              outputType: String(str(m.output_type).drop { $0 == "." }),
                              comment: comments[[6, Int32(si), 2, Int32(mi)]] ?? "")
            }
            return Service(name: str(s.name), package: package, methods: methods, file: fileName, comment: comments[[6, Int32(si)]] ?? "")
        }
        let deps = (0..<f.n_dependency).map { str(f.dependency[$0]) }
        return ProtoFile(name: fileName, package: package, dependencies: deps, messages: messages, enums: enums, services: services)
    }

    private static func enumType(_ e: Google__Protobuf__EnumDescriptorProto, scope: String, flatScope: String, file: String, comment: String) -> EnumType {
        let name = str(e.name)
        let values = buffer(e.n_value, e.value).map { (name: str($0.pointee.name), number: Int($0.pointee.number)) }
        return EnumType(fullName: scope.isEmpty ? name : "\(scope).\(name)",
                        flatName: flatScope.isEmpty ? name : "\(flatScope).\(name)", values: values, file: file, comment: comment)
    }

    /// Comments by descriptor path: the leading comment where there is one,
    /// else the trailing one, trimmed, with lines kept.
    private static func sourceComments(_ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?) -> [[Int32]: String] {
        guard let info else { return [:] }
        var out: [[Int32]: String] = [:]
        for location in buffer(info.pointee.n_location, info.pointee.location) {
            let l = location.pointee
            let path = l.n_path > 0 && l.path != nil ? Array(UnsafeBufferPointer(start: l.path, count: l.n_path)) : []
            let text = [str(l.leading_comments), str(l.trailing_comments)]
                .map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimming(" ") }.joined(separator: "\n").trimming("\n") }
                .first { !$0.isEmpty } ?? ""
            if !text.isEmpty { out[path] = text }
        }
        return out
    }
}

/// One file of output.
struct OutputFile {
    var name: String
    var content: String
}

/// Serializes a CodeGeneratorResponse with the files, or with an error.
func encodeResponse(files: [OutputFile], error: String?) -> [UInt8] {
    var resp = Google__Protobuf__Compiler__CodeGeneratorResponse()
    google__protobuf__compiler__code_generator_response__init(&resp)
    var cStrings: [UnsafeMutablePointer<CChar>] = []
    func dup(_ s: String) -> UnsafeMutablePointer<CChar> {
        let p = strdup(s)!
        cStrings.append(p)
        return p
    }
    defer { cStrings.forEach { free($0) } }
    // proto3 `optional` fields are fine for this plugin: it reads presence from the descriptors.
    resp.has_supported_features = 1
    resp.supported_features = 1
    if let error { resp.error = dup(error) }
    let entries = UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorResponse__File>.allocate(capacity: max(files.count, 1))
    let pointers = UnsafeMutablePointer<UnsafeMutablePointer<Google__Protobuf__Compiler__CodeGeneratorResponse__File>?>.allocate(capacity: max(files.count, 1))
    defer { entries.deallocate(); pointers.deallocate() }
    for (i, f) in files.enumerated() {
        google__protobuf__compiler__code_generator_response__file__init(entries + i)
        entries[i].name = dup(f.name)
        entries[i].content = dup(f.content)
        pointers[i] = entries + i
    }
    resp.n_file = files.count
    resp.file = pointers
    let n = google__protobuf__compiler__code_generator_response__get_packed_size(&resp)
    return [UInt8](unsafeUninitializedCapacity: n) { buf, count in
        count = google__protobuf__compiler__code_generator_response__pack(&resp, buf.baseAddress)
    }
}

extension StringProtocol {
    /// Without `character` at either end.
    func trimming(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
