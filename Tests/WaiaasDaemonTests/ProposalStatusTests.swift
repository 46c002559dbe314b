import XCTest
@testable import WaiaasDaemon
import WaiaasProto
import WaiaasSolana

/// GetProposal's reading of a Squads proposal: a draft or active proposal at
/// or below the multisig's stale index can no longer pass and is STALE; one
/// the owners approved stays executable; each carries the time the program
/// recorded for its status.
final class ProposalStatusTests: XCTestCase {
    func testAnOpenProposalBelowTheStaleIndexIsStale() {
        XCTAssertEqual(ProposalStatusService.status(.active(since: 10), stale: false).0, .active)
        XCTAssertEqual(ProposalStatusService.status(.active(since: 10), stale: true).0, .stale)
        XCTAssertEqual(ProposalStatusService.status(.draft(since: 10), stale: true).0, .stale)
        XCTAssertEqual(ProposalStatusService.status(.draft(since: 10), stale: false).0, .draft)
    }

    func testDecidedProposalsKeepTheirStatusAndTime() {
        XCTAssertTrue(ProposalStatusService.status(.approved(at: 20), stale: true) == (.approved, 20))
        XCTAssertTrue(ProposalStatusService.status(.rejected(at: 21), stale: true) == (.rejected, 21))
        XCTAssertTrue(ProposalStatusService.status(.executed(at: 22), stale: false) == (.executed, 22))
        XCTAssertTrue(ProposalStatusService.status(.cancelled(at: 23), stale: false) == (.cancelled, 23))
        XCTAssertTrue(ProposalStatusService.status(.executing, stale: false) == (.executing, 0))
    }
}
