import XCTest
@testable import WaiaasChain
import WaiaasSolana

/// The JSON-RPC envelope and the typed fields, read strictly: every answer
/// that is not exactly what the method promises is a named error.
final class RPCEnvelopeTests: XCTestCase {
    func envelope(_ text: String, status: Int = 200, id: UInt64 = 7) -> Result<JSONValue, ChainError> {
        Result { () throws(ChainError) in
            try RPCEndpoint.result(of: CurlSession.Answer(status: status, body: Array(text.utf8)), method: "getSlot", id: id, from: "http://node")
        }
    }

    func code(_ result: Result<JSONValue, ChainError>) -> ChainError.Code? {
        if case .failure(let error) = result { return error.code }
        return nil
    }

    func testResultIsReturned() throws {
        XCTAssertEqual(try envelope(#"{"jsonrpc":"2.0","result":42,"id":7}"#).get(), .uint(42))
    }

    func testErrorsAreNamed() {
        XCTAssertEqual(code(envelope("oops", status: 500)), .httpStatus)
        XCTAssertEqual(code(envelope(#"{"jsonrpc":"2.0","result":42,"id":8}"#)), .malformed)
        XCTAssertEqual(code(envelope(#"{"jsonrpc":"2.0","id":7}"#)), .malformed)
        XCTAssertEqual(code(envelope(#"{"jsonrpc":"1.0","result":1,"id":7}"#)), .malformed)
        XCTAssertEqual(code(envelope(#"{"jsonrpc":"2.0","result":1,"id":7"#)), .malformed)
        XCTAssertEqual(code(envelope(#"{"jsonrpc":"2.0","result":1,"result":2,"id":7}"#)), .malformed)
        let rpc = envelope(#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":7}"#)
        XCTAssertEqual(code(rpc), .rpcError)
        if case .failure(let error) = rpc { XCTAssertEqual(error.rpcCode, -32602) }
    }

    func testAccountFieldsAreStrict() throws {
        let field = Field(method: "getAccountInfo")
        let owner = ProgramIds.system.base58
        func account(_ json: String) throws(ChainError) -> AccountState? {
            try field.account(try! JSONValue.parse(Array(json.utf8)), "value")
        }
        let good = try account(#"{"lamports":18446744073709551615,"owner":"\#(owner)","data":["AQID","base64"],"executable":false,"rentEpoch":18446744073709551615,"space":3}"#)
        XCTAssertEqual(good, AccountState(lamports: .max, owner: ProgramIds.system, data: [1, 2, 3], executable: false))
        XCTAssertNil(try account("null"))
        for bad in [
            #"{"lamports":"5","owner":"\#(owner)","data":["AQID","base64"],"executable":false}"#,
            #"{"lamports":5,"owner":"not-a-key","data":["AQID","base64"],"executable":false}"#,
            #"{"lamports":5,"owner":"\#(owner)","data":["AQID","base58"],"executable":false}"#,
            #"{"lamports":5,"owner":"\#(owner)","data":["%%","base64"],"executable":false}"#,
            #"{"lamports":5,"owner":"\#(owner)","data":["AQID","base64"]}"#,
            #"{"lamports":-5,"owner":"\#(owner)","data":["AQID","base64"],"executable":false}"#,
        ] {
            XCTAssertThrowsError(try account(bad), bad)
        }
    }

    /// Providers put API keys in the URL: only scheme, host and port are ever shown.
    func testEndpointNameHidesPathAndQuery() throws {
        let endpoint = try RPCEndpoint(url: "https://rpc.example.com:8899/v1/SECRETKEY?api-key=SECRET", settings: RPCSettings())
        XCTAssertEqual(endpoint.name, "https://rpc.example.com:8899")
        XCTAssertThrowsError(try RPCEndpoint(url: "ftp://example.com", settings: RPCSettings()))
        XCTAssertThrowsError(try RPCEndpoint(url: "https://user:pw@example.com", settings: RPCSettings()))
        XCTAssertThrowsError(try RPCEndpoint(url: "not a url", settings: RPCSettings()))
    }

    /// A refused connection is a transport error, retried and then named, with no path or query in it.
    func testRefusedConnectionIsATransportError() throws {
        var settings = RPCSettings()
        settings.timeoutMilliseconds = 2_000
        let endpoint = try RPCEndpoint(url: "http://127.0.0.1:9/secret-path?api-key=SECRET", settings: settings)
        XCTAssertThrowsError(try endpoint.getSlot()) { error in
            guard let error = error as? ChainError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .transport)
            XCTAssertFalse(error.message.contains("SECRET"), error.message)
            XCTAssertFalse(error.message.contains("secret-path"), error.message)
        }
    }
}
