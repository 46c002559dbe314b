// The service-independent runtimes, hand-written as real files in Runtime/
// (`make lint-runtimes` compiles them) and compiled into this binary by
// SwiftPM (Package.swift: .embedInCode, which generates PackageResources):
//   Runtime/_rpc.py   → <package>/_rpc.py (lang=python): framing, call
//                       multiplexing, deadlines and the one error type (docs/PROTOCOL.md)
//   Runtime/codec.js  → codec.js (lang=js): the proto3 wire codec driven by the
//                       field tables in messages.js
//   Runtime/rpc.js    → rpc.js (lang=js): the framed, multiplexed connection,
//                       deadlines and the error type
// Each is written out byte for byte after the banner, except that _rpc.py's
// import of the envelope module is filled in for its two placeholders.

/// An embedded runtime file's text, with each placeholder (which must occur in
/// it exactly once) replaced by its value.
func embeddedRuntime(_ bytes: [UInt8], name: String, filling placeholders: KeyValuePairs<String, String> = [:]) throws -> String {
    var text = String(decoding: bytes, as: UTF8.self)
    for (placeholder, value) in placeholders {
        let count = text.ranges(of: placeholder).count
        guard count == 1 else {
            throw GeneratorError("Tools/protoc-gen-waiaas/\(name) holds \(placeholder) \(count) times instead of once")
        }
        text = text.replacing(placeholder, with: value)
    }
    return text
}

extension PythonGenerator {
    /// Runtime/_rpc.py importing the Envelope from `envelopeModule`, e.g.
    /// "waiaas.v1.rpc_pb2" → `from .v1 import rpc_pb2 as _rpc_pb2`.
    func runtime(envelopeModule: String) throws -> String {
        let rel = "." + envelopeModule.split(separator: ".").dropFirst().dropLast().joined(separator: ".")
        let mod = envelopeModule.split(separator: ".").last.map(String.init) ?? "rpc_pb2"
        return try embeddedRuntime(PackageResources._rpc_py, name: "Runtime/_rpc.py", filling: [
            "__WAIAAS_ENVELOPE_PACKAGE__": rel,
            "__WAIAAS_ENVELOPE_MODULE__": mod,
        ])
    }
}

extension JSGenerator {
    /// Runtime/codec.js.
    static func codec() throws -> String { try embeddedRuntime(PackageResources.codec_js, name: "Runtime/codec.js") }
    /// Runtime/rpc.js: it imports the Envelope from ./messages.js, where every message goes.
    static func rpc() throws -> String { try embeddedRuntime(PackageResources.rpc_js, name: "Runtime/rpc.js") }
}
