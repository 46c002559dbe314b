import MCP
import Testing
import WaiaasProto
import WaiaasRPCClient
@testable import WaiaasMCP

/// What a host sends is untrusted: names a tool does not take, wrong types
/// and out-of-range numbers are refused with a message naming the argument,
/// before anything reaches the daemon.
@Suite struct ToolInputTests {
    @Test func anUnknownArgumentIsRefusedByName() {
        #expect(throws: ToolInputError.self) {
            try ToolArguments(["asset": "SOL", "lamports": 5], accepted: WalletTool.transfer.accepted)
        }
        do {
            _ = try ToolArguments(["lamports": 5], accepted: ["amount", "asset"])
            Issue.record("accepted an unknown argument")
        } catch {
            #expect(error.code == .unknownArgument)
            #expect(error.message == "unknown argument \"lamports\"; this tool takes amount, asset")
        }
    }

    @Test func typesAreCheckedAndNullIsAbsent() throws {
        let input = try ToolArguments(["amount": 0.1, "dry_run": "yes", "memo": .null, "index": -1], accepted: ["amount", "dry_run", "memo", "index"])
        #expect(throws: ToolInputError.self) { try input.string("amount") }
        #expect(throws: ToolInputError.self) { try input.bool("dry_run", default: false) }
        #expect(try input.optionalString("memo") == nil)
        #expect(throws: ToolInputError.self) { try input.unsigned("index", in: 0...10) }
        #expect(throws: ToolInputError.self) { try input.string("missing") }
    }

    @Test func wholeNumbersInRangeOnly() throws {
        let input = try ToolArguments(["a": 3, "b": 3.0, "c": 3.5, "d": 300], accepted: ["a", "b", "c", "d"])
        #expect(try input.unsigned("a", in: 1...255) == 3)
        #expect(try input.unsigned("b", in: 1...255) == 3)
        #expect(throws: ToolInputError.self) { try input.unsigned("c", in: 1...255) }
        #expect(throws: ToolInputError.self) { try input.unsigned("d", in: 0...255) }
    }

    @Test func anUnknownToolIsAnInvalidCallNotAProtocolError() async {
        let tools = WalletTools(link: DaemonLink(socketPath: "/nonexistent/waiaasd.sock"))
        let result = await tools.call("drain_wallet", [:])
        #expect(result.isError == true)
        #expect(result.structuredContent?.objectValue?["decision"] == .string("invalid_arguments"))
    }

    @Test func noDaemonIsUnavailableAndNamesTheSocket() async {
        let tools = WalletTools(link: DaemonLink(socketPath: "/nonexistent/waiaasd.sock"))
        let result = await tools.call("wallet_status", nil)
        let body = result.structuredContent?.objectValue
        #expect(result.isError == true)
        #expect(body?["decision"] == .string("unavailable"))
        #expect(body?["message"]?.stringValue?.contains("/nonexistent/waiaasd.sock") == true)
    }
}

/// The catalog a model reads: every schema closed, its properties exactly
/// what the tool accepts, and every spending tool telling the model not to
/// retry a refusal unchanged.
@Suite struct ToolCatalogTests {
    @Test func everySchemaIsClosedAndListsWhatTheToolAccepts() throws {
        for tool in WalletTool.allCases {
            let schema = try #require(tool.schema.value.objectValue, "\(tool)")
            #expect(schema["type"] == .string("object"))
            #expect(schema["additionalProperties"] == .bool(false))
            let properties = Set(schema["properties"]?.objectValue?.keys.map { $0 } ?? [])
            #expect(properties == tool.accepted, "\(tool)")
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(required.isSubset(of: properties), "\(tool)")
        }
    }

    @Test func spendingToolsSayNotToRetryARefusal() {
        for tool in [WalletTool.transfer, .signTransaction, .signMessage, .propose, .payX402] {
            #expect(tool.description.lowercased().contains("do not retry a refused request unchanged"), "\(tool)")
        }
    }
}

/// The daemon's answer reaches the model verbatim, told apart by decision.
@Suite struct ToolResultTests {
    static func reason(_ code: String) -> Reason { Reason(code: code, message: "because \(code)") }

    @Test func refusalsKeepCodeMessageAndReasons() {
        let denied = ToolResult.refusal(RPCError(.permissionDenied, "denied by policy (ledger #7)", reasons: [Self.reason("per_transaction_limit_exceeded")]))
        let body = denied.structuredContent?.objectValue
        #expect(denied.isError == true)
        #expect(body?["decision"] == .string("deny"))
        #expect(body?["message"] == .string("denied by policy (ledger #7)"))
        #expect(body?["reasons"] == .array([.object(["code": "per_transaction_limit_exceeded", "message": "because per_transaction_limit_exceeded"])]))
        #expect(body?["advice"]?.stringValue?.hasPrefix("Do not retry a refused request unchanged") == true)

        let frozen = ToolResult.refusal(RPCError(.failedPrecondition, "frozen", reasons: [Self.reason("frozen")]))
        #expect(frozen.structuredContent?.objectValue?["decision"] == .string("frozen"))
        let approval = ToolResult.refusal(RPCError(.failedPrecondition, "needs the owner", reasons: [Self.reason("approval_required")]))
        #expect(approval.structuredContent?.objectValue?["decision"] == .string("approval_required"))
        let down = ToolResult.refusal(RPCError(.unavailable, "no daemon"))
        #expect(down.structuredContent?.objectValue?["decision"] == .string("unavailable"))
        #expect(down.structuredContent?.objectValue?["advice"] == nil)
    }

    @Test func integersBeyondIntStayExactAsStrings() {
        #expect(ToolResult.mcpValue(.uint(UInt64.max)) == .string("18446744073709551615"))
        #expect(ToolResult.mcpValue(.uint(42)) == .int(42))
    }

    @Test func theTextAndTheStructuredContentAreOneDocument() throws {
        let result = ToolResult.success([("amount", .string("0.5")), ("base_units", .uint(500_000_000))])
        guard case .text(let text, _, _)? = result.content.first else { Issue.record("no text content"); return }
        #expect(text == #"{"amount":"0.5","base_units":500000000}"#)
        #expect(result.structuredContent == .object(["amount": "0.5", "base_units": 500_000_000]))
    }

    @Test func messagesUseTheNarrowestOffchainFormat() {
        #expect(WalletTools.format(of: Array("login: agent 7".utf8)) == .restrictedASCII)
        #expect(WalletTools.format(of: Array("café".utf8)) == .limitedUTF8)
        #expect(WalletTools.format(of: Array(repeating: 0xC3, count: 1300)) == .extendedUTF8)
    }
}
