import XCTest
import WaiaasCustody

final class HomeLayoutTests: XCTestCase {
    func testFilesAreInTheHomeWhateverTheSlash() {
        for written in ["/srv/w", "/srv/w/"] {
            let home = HomeLayout(written)
            XCTAssertEqual(home.path, "/srv/w")
            XCTAssertEqual(home.ledger, "/srv/w/ledger.sqlite")
            XCTAssertEqual(home.ledgerAnchor, "/srv/w/ledger.head")
            XCTAssertEqual(home.keystore, "/srv/w/keystore.json")
            XCTAssertEqual(home.socket, "/srv/w/waiaasd.sock")
        }
        XCTAssertEqual(HomeLayout("/").keystore, "/keystore.json")
    }

    func testEveryFileThatDecidesTrustIsChecked() {
        let home = HomeLayout("/h")
        let trusted = Set(home.trustedFiles)
        for file in [home.config, home.configTag, home.keystore, home.devKEK, home.devOwnerKey, home.ledger, home.ledgerAnchor] {
            XCTAssertTrue(trusted.contains(file), file)
        }
        XCTAssertTrue(trusted.contains("/h/ledger.sqlite-wal") && trusted.contains("/h/ledger.sqlite-shm"))
        XCTAssertFalse(trusted.contains(home.socket), "the socket is checked where it is bound, not as a file of the home")
    }

    func testTheSocketIsTheFlagThenTheEnvironmentThenTheHome() {
        let home = HomeLayout("/h")
        XCTAssertEqual(home.socketPath(flag: "/run/a.sock", environment: ["WAIAAS_SOCKET": "/run/b.sock"]), "/run/a.sock")
        XCTAssertEqual(home.socketPath(flag: nil, environment: ["WAIAAS_SOCKET": "/run/b.sock"]), "/run/b.sock")
        XCTAssertEqual(home.socketPath(flag: nil, environment: ["WAIAAS_SOCKET": ""]), "/h/waiaasd.sock")
        XCTAssertEqual(home.socketPath(flag: nil, environment: [:]), "/h/waiaasd.sock")
    }
}
