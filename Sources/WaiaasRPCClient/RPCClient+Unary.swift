import WaiaasProto

extension RPCClient {
    /// Calls `method` with a request message and decodes its response; a
    /// non-OK status throws `RPCError`, and so does a response that does not
    /// decode (INTERNAL: the daemon and this client disagree on the contract).
    public func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ request: Request, as: Response.Type = Response.self,
        timeout: Duration = .seconds(30), metadata: [String: String] = [:]
    ) async throws(RPCError) -> Response {
        let payload = try await call(method: method, payload: request.serializedBytes(), timeout: timeout, metadata: metadata)
        do {
            return try Response(serializedBytes: payload)
        } catch {
            throw RPCError(.internal, "the daemon's \(Response.protoName) could not be decoded: \(error)")
        }
    }
}
