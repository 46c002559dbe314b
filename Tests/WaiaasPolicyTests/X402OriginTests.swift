import XCTest
@testable import WaiaasPolicy

/// The policy's `origins` and PayX402's resource are read by this one function.
final class X402OriginTests: XCTestCase {
    func testOriginsAreSchemeHostAndPortInLowerCase() {
        XCTAssertEqual(X402Rules.origin(of: "https://API.Example.com/weather?city=x"), "https://api.example.com")
        XCTAssertEqual(X402Rules.origin(of: "http://localhost:8080#frag"), "http://localhost:8080")
        XCTAssertEqual(X402Rules.origin(of: "https://api.example.com"), "https://api.example.com")
        for bad in ["ftp://example.com/x", "https://", "https://user@example.com/", "example.com", "https://ex ample.com/"] {
            XCTAssertNil(X402Rules.origin(of: bad), bad)
        }
    }
}
