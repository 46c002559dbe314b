// protoc-gen-waiaas: a protoc plugin that writes WAIaaS clients.
//
//   protoc --plugin=protoc-gen-waiaas=PATH --waiaas_out=lang=python:DIR -IProtos waiaas/v1/*.proto
//   protoc --plugin=protoc-gen-waiaas=PATH --waiaas_out=lang=js:DIR     -IProtos waiaas/v1/*.proto
//   protoc --plugin=protoc-gen-waiaas=PATH --waiaas_out=lang=swift,strict=waiaas/v1/policy.proto:DIR -IProtos waiaas/v1/*.proto
//
// lang=swift writes DIR/WaiaasProto/<file>.pb.swift (messages, enums, method
// paths), DIR/WaiaasRPCClient/<file>.client.swift (the client) and
// DIR/WaiaasRPC/<file>.provider.swift (the server protocol);
// `proto_module=`, `client_module=`, `rpc_module=` and `c_module=` rename the modules, and
// `strict=` names the files (joined with `+`) whose messages refuse unknown
// fields and enum values.
//
// protoc writes a serialized CodeGeneratorRequest to stdin (decoded with the
// protoc-c code in Tools/CProtocPlugin) and reads a CodeGeneratorResponse from
// stdout. docs/CLIENTS.md describes the output.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func readAllStdin() -> [UInt8] {
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; break }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}

func writeAllStdout(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; exit(1) }
        offset += n
    }
}

/// `lang=python|js|swift` and options, comma-separated key=value pairs.
func parseParameter(_ p: String) -> [String: String] {
    var out: [String: String] = [:]
    for part in p.split(separator: ",") {
        let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
        out[kv[0]] = kv.count > 1 ? kv[1] : ""
    }
    return out
}

/// lang=swift: messages into the proto module's directory, services into the RPC module's.
func swiftFiles(_ request: Request, _ params: [String: String]) throws -> [OutputFile] {
    let protoModule = params["proto_module"] ?? "WaiaasProto"
    let rpcModule = params["rpc_module"] ?? "WaiaasRPC"
    let clientModule = params["client_module"] ?? "WaiaasRPCClient"
    let strict = Set((params["strict"] ?? "").split(separator: "+").map(String.init))
    let unknownStrict = strict.subtracting(request.files.map(\.name))
    guard unknownStrict.isEmpty else { throw GeneratorError("strict= names files protoc did not pass: \(unknownStrict.sorted())") }
    let messages = SwiftMessageGenerator(request: request, strictFiles: strict, cModule: params["c_module"] ?? "CWaiaasProto")
    let services = SwiftServiceGenerator(request: request, protoModule: protoModule)
    var out: [OutputFile] = []
    for file in request.generated {
        let base = String(file.name.split(separator: "/").last ?? "").droppingSuffix(".proto")
        guard !out.contains(where: { $0.name == "\(protoModule)/\(base).pb.swift" }) else {
            throw GeneratorError("two files named \(base).proto: lang=swift names its output after the file")
        }
        out.append(OutputFile(name: "\(protoModule)/\(base).pb.swift", content: try messages.file(file)))
        if !file.services.isEmpty {
            out.append(OutputFile(name: "\(clientModule)/\(base).client.swift", content: try services.clientFile(file)))
            out.append(OutputFile(name: "\(rpcModule)/\(base).provider.swift", content: try services.providerFile(file)))
        }
    }
    return out
}

extension String {
    func droppingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

let input = readAllStdin()
guard let request = Request(bytes: input) else {
    let msg = "protoc-gen-waiaas: stdin is not a CodeGeneratorRequest (run me through protoc --waiaas_out=lang=python|js|swift:DIR)\n"
    _ = msg.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
let params = parseParameter(request.parameter)
do {
    let files: [OutputFile]
    switch params["lang"] ?? "" {
    case "python": files = try PythonGenerator(request: request).generate()
    case "js": files = try JSGenerator(request: request).generate()
    case "swift": files = try swiftFiles(request, params)
    case let other: throw GeneratorError("unknown lang '\(other)': use --waiaas_out=lang=python:DIR, lang=js:DIR or lang=swift:DIR")
    }
    writeAllStdout(encodeResponse(files: files, error: nil))
} catch let e as GeneratorError {
    writeAllStdout(encodeResponse(files: [], error: e.message))
}
