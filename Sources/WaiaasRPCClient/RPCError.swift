import WaiaasProto

/// A call's outcome: response bytes, or a non-OK status.
public typealias CallResult = Result<[UInt8], RPCError>

/// A failed call: the status the caller receives.
public struct RPCError: Error, Equatable, CustomStringConvertible {
    public var status: Status

    public init(_ status: Status) { self.status = status }

    public init(_ code: StatusCode, _ message: String, reasons: [Reason] = []) {
        self.status = Status(code: code, message: message, reasons: reasons)
    }

    public var code: StatusCode { status.statusCode }
    public var description: String { "\(status.statusCode.name): \(status.message)" }
}
