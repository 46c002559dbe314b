// protoc-gen-waiaas: a protoc plugin that writes WAIaaS clients.
//
//   protoc --plugin=protoc-gen-waiaas=PATH --waiaas_out=lang=python:DIR -IProtos waiaas/v1/*.proto
//   protoc --plugin=protoc-gen-waiaas=PATH --waiaas_out=lang=js:DIR     -IProtos waiaas/v1/*.proto
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

/// `lang=python` or `lang=js`, comma-separated key=value pairs.
func parseParameter(_ p: String) -> [String: String] {
    var out: [String: String] = [:]
    for part in p.split(separator: ",") {
        let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
        out[kv[0]] = kv.count > 1 ? kv[1] : ""
    }
    return out
}

let input = readAllStdin()
guard let request = Request(bytes: input) else {
    let msg = "protoc-gen-waiaas: stdin is not a CodeGeneratorRequest (run me through protoc --waiaas_out=lang=python|js:DIR)\n"
    _ = msg.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
let params = parseParameter(request.parameter)
do {
    let files: [OutputFile]
    switch params["lang"] ?? "" {
    case "python": files = try PythonGenerator(request: request).generate()
    case "js": files = try JSGenerator(request: request).generate()
    case "swift": throw GeneratorError("lang=swift is not implemented yet (docs/CLIENTS.md)")
    case let other: throw GeneratorError("unknown lang '\(other)': use --waiaas_out=lang=python:DIR or lang=js:DIR")
    }
    writeAllStdout(encodeResponse(files: files, error: nil))
} catch let e as GeneratorError {
    writeAllStdout(encodeResponse(files: [], error: e.message))
}
