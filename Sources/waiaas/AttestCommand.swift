import ArgumentParser
import Foundation
import WaiaasAttestation
import WaiaasProto
import WaiaasRPCClient
import WaiaasSolana

/// `waiaas attest`: fetch a signed attestation report from the daemon, and
/// verify reports or bare Nitro documents offline.
///
/// Exit codes: 0 verified (or fetched), 1 a verification check failed (every
/// failed check is named), 2 an input could not be read, 3 the daemon could
/// not be reached or refused, 64 a usage error.
struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Fetch or verify attestation reports and Nitro attestation documents.",
        subcommands: [AttestFetchCommand.self, AttestVerifyCommand.self, AttestVerifyNitroCommand.self],
        defaultSubcommand: AttestFetchCommand.self
    )
}

/// `waiaas attest [fetch] --nonce HEX|--random-nonce --out FILE`.
///
/// Writes the daemon's answer as an `AttestationFile` (JSON: format,
/// base64 report, signature and, on Nitro, nitro_document; see its doc
/// comment in WaiaasAttestation), which `waiaas attest verify --report`
/// reads. The nonce is printed, since verification needs it.
struct AttestFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Ask the daemon for a signed attestation report and save it."
    )

    @OptionGroup var connection: SocketOptions

    @Option(help: "The nonce to bind into the report, hex (16 to 64 bytes).")
    var nonce: String?

    @Flag(help: "Use a fresh random 32-byte nonce.")
    var randomNonce = false

    @Option(help: "Where to write the attestation file (JSON).")
    var out: String

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (nonce != nil) != randomNonce else { throw ValidationError("give exactly one of --nonce HEX and --random-nonce") }
        if let nonce { _ = try AttestArguments.nonce(nonce) }
    }

    func run() async throws {
        let nonceBytes: [UInt8]
        if let nonce {
            nonceBytes = try AttestArguments.nonce(nonce)
        } else {
            // SystemRandomNumberGenerator reads getrandom(2) on Linux.
            var generator = SystemRandomNumberGenerator()
            nonceBytes = (0 ..< 32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        let response = try await connection.withClient { client in
            try await client.attest(AttestRequest(nonce: nonceBytes), timeout: .seconds(30))
        }
        do {
            try Data(AttestationFile(response).jsonBytes()).write(to: URL(fileURLWithPath: out))
        } catch {
            throw CLIFailure(.input, "cannot write \(out): \(error.localizedDescription)")
        }
        let platform = (try? AttestationReport(serializedBytes: response.report))?.platform.description ?? "unknown"
        if json {
            print(JSONValue.object([
                ("nonce", .hexString(nonceBytes)), ("out", .string(out)), ("platform", .string(platform)),
                ("nitro_document", .bool(!response.nitroDocument.isEmpty)),
            ]).serialized())
        } else {
            print("nonce: \(Hex.encode(nonceBytes))")
            print("wrote \(out) (platform \(platform)\(response.nitroDocument.isEmpty ? "" : ", with an NSM document"))")
            print("verify with: waiaas attest verify --report \(out) --nonce \(Hex.encode(nonceBytes))")
        }
    }
}

/// `waiaas attest verify --report FILE --nonce HEX [expectations]`.
struct AttestVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an attestation file offline: signature, nonce, expectations, and any Nitro document.",
        discussion: "Every check is listed; the exit code is 1 if any failed, naming each failed check."
    )

    @Option(help: "The attestation file written by `waiaas attest`.")
    var report: String

    @Option(help: "The nonce the report must carry, hex.")
    var nonce: String

    @Option(help: "The agent public key the report must name (base58 or hex).")
    var expectAgent: String?

    @Option(help: "The policy hash the report must carry, hex.")
    var expectPolicyHash: String?

    @Option(help: "The SHA-384 of the daemon executable the report must carry, hex.")
    var expectMeasurement: String?

    @Option(help: "The SHA-384 of the daemon configuration the report must carry, hex.")
    var expectConfigMeasurement: String?

    @Option(name: .customLong("nitro-pcr"), help: "A PCR the Nitro document must carry, as N=HEX (repeatable).")
    var nitroPCRs: [String] = []

    @Flag(help: "Fail unless the report carries a Nitro attestation document.")
    var requireNitro = false

    @Option(help: "Fail if the report is older than this many seconds at the verification time.")
    var maxAge: Double?

    @Option(help: "Verification time, RFC 3339 (default: now).")
    var at: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        _ = try expectations()
        _ = try AttestArguments.nonce(nonce)
        if let at { _ = try AttestArguments.time(at) }
    }

    func expectations() throws -> ReportExpectations {
        var expectations = ReportExpectations()
        expectations.agentPublicKey = try expectAgent.map(AttestArguments.publicKey)
        expectations.policyHash = try expectPolicyHash.map { try AttestArguments.hex($0, "--expect-policy-hash") }
        expectations.executableMeasurement = try expectMeasurement.map { try AttestArguments.hex($0, "--expect-measurement", length: 48) }
        expectations.configurationMeasurement = try expectConfigMeasurement.map { try AttestArguments.hex($0, "--expect-config-measurement", length: 48) }
        expectations.nitroPCRs = try AttestArguments.pcrs(nitroPCRs)
        expectations.requireNitro = requireNitro
        expectations.maximumAge = maxAge
        return expectations
    }

    func run() throws {
        let file: AttestationFile
        do {
            file = try AttestationFile.read(jsonBytes: try AttestArguments.readFile(report))
        } catch {
            throw CLIFailure(.input, "\(report): \(error)")
        }
        let time = try at.map(AttestArguments.time) ?? Date()
        let verification = ReportVerifier.evaluate(
            report: file.report, signature: file.signature, nitroDocument: file.nitroDocument,
            nonce: try AttestArguments.nonce(nonce), expectations: try expectations(), at: time)
        var facts: [(String, JSONValue)] = []
        if let report = verification.report {
            facts = [
                ("agent_public_key", .base58(report.agentPublicKey)),
                ("owner_public_keys", .array(report.ownerPublicKeys.map(JSONValue.base58))),
                ("owner_threshold", .integer(report.ownerThreshold)),
                ("policy_hash", .hexString(report.policyHash)),
                ("policy_version", .integer(report.policyVersion)),
                ("ledger_sequence", .integer(report.ledgerHead?.sequence ?? 0)),
                ("ledger_hash", .hexString(report.ledgerHead?.hash ?? [])),
                ("executable_sha384", .hexString(report.measurement?.executableSHA384 ?? [])),
                ("configuration_sha384", .hexString(report.measurement?.configurationSHA384 ?? [])),
                ("platform", .string(report.platform.description)),
                ("time_unix_ms", .integer(report.timeUnixMilliseconds)),
            ]
            if !report.multisig.isEmpty { facts.append(("multisig", .base58(report.multisig))) }
            if !report.vault.isEmpty { facts.append(("vault", .base58(report.vault))) }
        }
        if let nitro = verification.nitroDocument { facts += AttestVerifyNitroCommand.facts(nitro) }
        try AttestOutput.finish(verification.result, facts: facts, json: json, at: time)
    }
}

/// `waiaas attest verify-nitro --document FILE [...]`: any Nitro document.
struct AttestVerifyNitroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-nitro",
        abstract: "Verify an AWS Nitro Enclaves attestation document (raw CBOR or base64) offline.",
        discussion: "Checks COSE_Sign1/ES384, the chain to the pinned AWS Nitro root at --at, and the values asked for."
    )

    @Option(help: "The document: raw CBOR, or base64 text.")
    var document: String

    @Option(help: "Verification time, RFC 3339 (default: now; real documents expire within hours).")
    var at: String?

    @Option(help: "The nonce the document must carry, hex.")
    var nonce: String?

    @Option(help: "The user_data the document must carry, hex.")
    var userData: String?

    @Option(name: .customLong("nitro-pcr"), help: "A PCR the document must carry, as N=HEX (repeatable).")
    var nitroPCRs: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        _ = try nonce.map { try AttestArguments.hex($0, "--nonce") }
        _ = try userData.map { try AttestArguments.hex($0, "--user-data") }
        _ = try AttestArguments.pcrs(nitroPCRs)
        if let at { _ = try AttestArguments.time(at) }
    }

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = AttestArguments.rawOrBase64(try AttestArguments.readFile(document))
        } catch {
            throw CLIFailure(.input, "\(document): \(error)")
        }
        let time = try at.map(AttestArguments.time) ?? Date()
        let verification = NitroDocumentVerifier().evaluate(
            document: bytes, at: time,
            expectedNonce: try nonce.map { try AttestArguments.hex($0, "--nonce") },
            expectedUserData: try userData.map { try AttestArguments.hex($0, "--user-data") },
            expectedPCRs: try AttestArguments.pcrs(nitroPCRs))
        try AttestOutput.finish(verification.result, facts: verification.document.map(Self.facts) ?? [], json: json, at: time)
    }

    static func facts(_ doc: NitroAttestationDocument) -> [(String, JSONValue)] {
        var facts: [(String, JSONValue)] = [
            ("nitro_module_id", .string(doc.moduleID)),
            ("nitro_timestamp", .string(ISO8601DateFormatter().string(from: doc.timestamp))),
        ]
        for index in doc.pcrs.keys.sorted() { facts.append(("nitro_pcr\(index)", .hexString(doc.pcrs[index]!))) }
        // Optional fields appear only when the document carries them.
        if let value = doc.userData { facts.append(("nitro_user_data", .hexString(value))) }
        if let value = doc.nonce { facts.append(("nitro_nonce", .hexString(value))) }
        if let value = doc.publicKey { facts.append(("nitro_public_key", .hexString(value))) }
        return facts
    }
}
