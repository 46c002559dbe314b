// The server speaks the client's framing and errors (`Framing`, `FrameReader`,
// `RPCError`), which live in WaiaasRPCClient so that agents can link the
// client without the server; code that uses the server sees them too.
@_exported import WaiaasRPCClient
