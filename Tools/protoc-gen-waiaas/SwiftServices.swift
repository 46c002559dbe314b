// lang=swift, services: for each .proto with services, `<file>.client.swift`
// (a typed async client over `RPCClient`, for the client module agents
// depend on) and `<file>.provider.swift` (the protocol a server implements,
// one `UnaryHandler` per method, with the method dispatch that makes it an
// `RPCService`, for the server module). Both build on the hand-written RPC
// runtime (RPCClient.unary, UnaryHandler).

struct SwiftServiceGenerator {
    let request: Request
    let protoModule: String

    func clientFile(_ file: ProtoFile) throws -> String {
        var out = generatedBanner(comment: "//", sources: [file.name], compilerVersion: request.compilerVersion)
        out += "import \(protoModule)\n"
        for service in file.services { out += "\n" + (try client(service)) }
        return out
    }

    func providerFile(_ file: ProtoFile) throws -> String {
        var out = generatedBanner(comment: "//", sources: [file.name], compilerVersion: request.compilerVersion)
        out += "import \(protoModule)\n"
        for service in file.services { out += "\n" + (try provider(service)) }
        return out
    }

    func typeName(_ fullName: String) throws -> (name: String, isEmpty: Bool) {
        guard let m = request.allMessages[fullName] else { throw GeneratorError("unknown message \(fullName)") }
        return (swiftTypeName(m.flatName), m.fields.isEmpty)
    }

    func client(_ service: Service) throws -> String {
        let name = "\(service.name)Client"
        var s = "/// A typed client for `service \(service.fullName)` over `RPCClient`: one\n"
        s += "/// method per call, taking the request message and returning the response.\n"
        s += "/// A non-OK status throws `RPCError` with the daemon's code, message and reasons.\n"
        s += "public struct \(name): Sendable {\n"
        s += "    public let rpc: RPCClient\n\n"
        s += "    public init(rpc: RPCClient) { self.rpc = rpc }\n\n"
        s += "    /// Connects to the daemon's Unix socket.\n"
        s += "    public static func connect(socketPath: String) async throws -> \(name) {\n"
        s += "        \(name)(rpc: try await RPCClient.connect(socketPath: socketPath))\n    }\n"
        for method in service.methods {
            let input = try typeName(method.inputType)
            let output = try typeName(method.outputType)
            let defaultRequest = input.isEmpty ? " = \(input.name)()" : ""
            s += "\n" + swiftDocComment(method.comment, indentation: 4)
            s += "    public func \(swiftMethodName(method.name))(_ request: \(input.name)\(defaultRequest), timeout: Duration = .seconds(30), metadata: [String: String] = [:]) async throws(RPCError) -> \(output.name) {\n"
            s += "        try await rpc.unary(\(service.name)Method.\(swiftMethodName(method.name)).rawValue, request, timeout: timeout, metadata: metadata)\n"
            s += "    }\n"
        }
        s += "\n    /// Closes the connection; calls still in flight fail with UNAVAILABLE.\n"
        s += "    public func close() async { await rpc.close() }\n}\n"
        return s
    }

    func provider(_ service: Service) throws -> String {
        let name = "\(service.name)Provider"
        var s = "/// `service \(service.fullName)` as a server provides it: a handler per\n"
        s += "/// method. Each handler receives the decoded request (a payload that does\n"
        s += "/// not decode is answered INVALID_ARGUMENT before it runs) and says how it\n"
        s += "/// answers: on the event loop (`.immediate`), as a task (`.async`), or later\n"
        s += "/// from any thread (`.deferred`).\n"
        s += "public protocol \(name): RPCService {\n"
        for method in service.methods {
            s += swiftDocComment(method.comment, indentation: 4)
            s += "    var \(swiftMethodName(method.name)): UnaryHandler<\(try typeName(method.inputType).name), \(try typeName(method.outputType).name)> { get }\n"
        }
        s += "}\n\nextension \(name) {\n"
        s += "    /// The handler for a method path; nil for a path this service does not have.\n"
        s += "    public func handler(for method: String) -> MethodHandler? {\n"
        s += "        switch \(service.name)Method(rawValue: method) {\n"
        for method in service.methods {
            s += "        case .\(swiftMethodName(method.name))?: \(swiftMethodName(method.name)).methodHandler\n"
        }
        s += "        case nil: nil\n        }\n    }\n}\n"
        return s
    }
}
