import MCP
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// What a tool answers: one JSON object, as text for every host and as
/// `structuredContent` for hosts that read it. The daemon's decision,
/// status code, message and reasons are carried verbatim.
enum ToolResult {
    /// Sent with every refusal: a model that retries the same request gets
    /// the same answer, and repeated refusals can freeze the wallet.
    static let refusalAdvice =
        "Do not retry a refused request unchanged: the same request gets the same answer, and repeated refusals may freeze the wallet. Change what the reasons name, ask the owner, or stop."

    static func success(_ fields: [(String, JSONValue)]) -> CallTool.Result {
        make(.object(fields), isError: false)
    }

    /// The request did not happen: a refusal, a failed submission, bad arguments.
    static func failure(_ fields: [(String, JSONValue)]) -> CallTool.Result {
        make(.object(fields), isError: true)
    }

    /// The daemon refused or could not answer. A policy denial, an approval
    /// the owner must give, a freeze, and every other status are told apart
    /// by `decision` and `code`.
    static func refusal(_ error: RPCError) -> CallTool.Result {
        let reasons = error.status.reasons
        let decision: String
        switch error.code {
        case _ where reasons.contains { $0.code == "frozen" }: decision = "frozen"
        case .permissionDenied: decision = "deny"
        case .failedPrecondition where reasons.contains { $0.code == "approval_required" }: decision = "approval_required"
        case .unavailable, .deadlineExceeded: decision = "unavailable"
        default: decision = "error"
        }
        var fields: [(String, JSONValue)] = [
            ("decision", .string(decision)), ("code", .string(error.code.name)), ("message", .string(error.status.message)),
            ("reasons", reasonList(reasons)),
        ]
        if decision != "unavailable" && decision != "error" { fields.append(("advice", .string(refusalAdvice))) }
        return failure(fields)
    }

    static func invalid(_ error: ToolInputError) -> CallTool.Result {
        failure([("decision", .string("invalid_arguments")), ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
                 ("advice", .string("Nothing was sent to the wallet. Fix the arguments as the message says."))])
    }

    static func reasonList(_ reasons: [Reason]) -> JSONValue {
        .array(reasons.map { .object([("code", .string($0.code)), ("message", .string($0.message))]) })
    }

    private static func make(_ json: JSONValue, isError: Bool) -> CallTool.Result {
        let structured: Value? = mcpValue(json)
        return CallTool.Result(content: [.text(text: json.serialized(), annotations: nil, _meta: nil)],
                               structuredContent: structured, isError: isError)
    }

    /// The same JSON as the SDK's value type. Integers beyond Int's range
    /// (none the wallet sends today) become strings rather than doubles,
    /// which would round them.
    static func mcpValue(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(Int(number))
        case .uint(let number): number <= UInt64(Int.max) ? .int(Int(number)) : .string(String(number))
        case .number(let text): Double(text).map(Value.double) ?? .string(text)
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(mcpValue))
        case .object(let pairs): .object(Dictionary(pairs.map { ($0.0, mcpValue($0.1)) }, uniquingKeysWith: { _, last in last }))
        }
    }
}
