import WaiaasProto

/// How a server answers one method of a generated `…Provider` protocol:
/// with the request already decoded, returning the response message.
///
/// A payload that does not decode as `Request` is answered INVALID_ARGUMENT
/// ("SignRequest: …") before the handler runs, so handlers only ever see
/// well-formed messages.
public enum UnaryHandler<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    /// Runs on the connection's event loop and answers at once: for work of a
    /// few microseconds that never blocks (see `MethodHandler.immediate`).
    case immediate(@Sendable (Request, ServerCall) -> Result<Response, RPCError>)
    /// Runs as a Swift task, for work that waits (disk, network, batches).
    case async(@Sendable (Request, ServerCall) async -> Result<Response, RPCError>)

    /// Starts on the event loop and answers through `respond`, once, from
    /// any thread (see `MethodHandler.deferred`). The start must not block.
    case deferred(@Sendable (Request, ServerCall, _ respond: @escaping @Sendable (Result<Response, RPCError>) -> Void) -> Void)

    /// A method that exists in the contract but is not served by this build.
    public static func unimplemented(_ message: String) -> UnaryHandler {
        .immediate { _, _ in .failure(RPCError(.unimplemented, message)) }
    }

    /// The byte-level handler the server dispatches to.
    public var methodHandler: MethodHandler {
        switch self {
        case .immediate(let body):
            return .immediate { call in
                Self.decode(call).flatMap { body($0, call) }.map { $0.serializedBytes() }
            }
        case .async(let body):
            return .async { call in
                switch Self.decode(call) {
                case .failure(let error): return .failure(error)
                case .success(let request): return await body(request, call).map { $0.serializedBytes() }
                }
            }
        case .deferred(let body):
            return .deferred { call, responder in
                switch Self.decode(call) {
                case .failure(let error): responder(.failure(error))
                case .success(let request): body(request, call) { responder($0.map { $0.serializedBytes() }) }
                }
            }
        }
    }

    private static func decode(_ call: ServerCall) -> Result<Request, RPCError> {
        do {
            return .success(try Request(serializedBytes: call.payload))
        } catch {
            let name = Request.protoName.split(separator: ".").last.map(String.init) ?? Request.protoName
            return .failure(RPCError(.invalidArgument, "\(name): \(error)"))
        }
    }
}
