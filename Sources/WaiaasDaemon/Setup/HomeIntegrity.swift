import Foundation
import WaiaasCustody
import WaiaasLedger
import WaiaasSolana

/// The records that bind a home's trust to the agent key: `config.tag`
/// (the owner set and threshold as `waiaasd init` wrote them) and
/// `ledger.head` (the ledger's head, see `LedgerAnchor`). Both are tagged
/// with keys derived from the sealed seed (`HomeAuthenticator`), so editing
/// config.json, or cutting the ledger short, without the KEK is refused at start.
enum HomeIntegrity {
    static let configTagFormat = "waiaas-config-tag-v1"

    static func writeConfigTag(home: String, configBytes: [UInt8], authenticator: HomeAuthenticator) throws {
        let tag = authenticator.tag(.configuration, configBytes)
        let line = "\(configTagFormat) \(Hex.encode(tag))\n"
        let path = HomeLayout(home).configTag
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw DaemonError(.homeIntegrity, "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else { throw DaemonError(.homeIntegrity, "cannot rename \(temporary) to \(path)") }
    }

    static func verifyConfig(home: String, configBytes: [UInt8], authenticator: HomeAuthenticator) throws {
        let layout = HomeLayout(home)
        let text: String
        do {
            text = String(decoding: try HomeTrust.read(layout.configTag, limit: 256), as: UTF8.self)
        } catch {
            throw DaemonError(.homeIntegrity, "\(error); config.json cannot be trusted without its tag. A home made before tags existed: check the owners in \(layout.config), then start once with --reseal-home")
        }
        let fields = text.split(separator: " ")
        guard fields.count == 2, fields[0] == configTagFormat, let tag = Hex.decode(fields[1].trimmingCharacters(in: .newlines)),
              authenticator.verify(.configuration, configBytes, tag: tag) else {
            throw DaemonError(.homeIntegrity, "\(layout.config) is not the configuration sealed at init (its owner set or threshold was changed without the agent key); refusing to serve. If you changed it yourself, start once with --reseal-home")
        }
    }

    /// Checks the ledger against its anchor and starts keeping the anchor up
    /// to date. A ledger with rows but no anchor, an anchor whose tag fails,
    /// or a ledger that no longer reaches the anchored row is refused, unless
    /// `reseal` (the operator vouches for the ledger as it is).
    static func anchor(ledger: Ledger, at path: String, authenticator: HomeAuthenticator, reseal: Bool) throws -> LedgerAnchorWriter {
        let problem = try anchorProblem(ledger: ledger, path: path, authenticator: authenticator)
        if let problem, !reseal {
            throw DaemonError(.homeIntegrity, "\(problem); refusing to serve. If you know why (a restored backup, say), start once with --reseal-home")
        }
        let head = ledger.head()
        if problem != nil || head.sequence > 0 {
            try LedgerAnchor(head: head, tag: authenticator.tag(.ledgerAnchor, LedgerAnchor.taggedBytes(head))).write(path: path)
        }
        return try LedgerAnchorWriter(ledger: ledger, path: path) { authenticator.tag(.ledgerAnchor, $0) }
    }

    private static func anchorProblem(ledger: Ledger, path: String, authenticator: HomeAuthenticator) throws -> String? {
        guard let anchor = try LedgerAnchor.read(path: path) else {
            return ledger.head().sequence == 0 ? nil : "the ledger has \(ledger.head().sequence) rows but no anchor (\(path) is missing)"
        }
        guard authenticator.verify(.ledgerAnchor, LedgerAnchor.taggedBytes(anchor.head), tag: anchor.tag) else {
            return "the ledger anchor \(path) was not written by this wallet (its tag does not verify)"
        }
        return try ledger.check(against: anchor).problem
    }
}
