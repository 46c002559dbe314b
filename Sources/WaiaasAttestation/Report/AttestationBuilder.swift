import Foundation
import WaiaasProto

/// Builds and signs the daemon's attestation reports. It holds what does
/// not change while the daemon runs (keys, code measurement); the caller
/// passes the policy and ledger state of the moment with each request.
public struct AttestationBuilder: Sendable {
    public static let formatVersion: UInt32 = 1
    public static let nonceLengths: ClosedRange<Int> = 16 ... 64

    public let agentPublicKey: [UInt8]
    public let ownerPublicKeys: [[UInt8]]
    public let ownerThreshold: UInt32
    public let multisig: [UInt8]?
    public let vault: [UInt8]?
    public let measurement: CodeMeasurement
    public let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - configuration: the effective configuration bytes, hashed here.
    ///   - executableSHA384: nil measures /proc/self/exe (cached per process).
    public init(
        agentPublicKey: [UInt8], ownerPublicKeys: [[UInt8]], ownerThreshold: UInt32,
        multisig: [UInt8]? = nil, vault: [UInt8]? = nil, configuration: [UInt8],
        executableSHA384: [UInt8]? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(AttestationError) {
        guard agentPublicKey.count == 32 else { throw .configuration("the agent public key is not 32 bytes") }
        guard ownerPublicKeys.allSatisfy({ $0.count == 32 }) else { throw .configuration("an owner public key is not 32 bytes") }
        guard ownerThreshold >= 1, Int(ownerThreshold) <= ownerPublicKeys.count else {
            throw .configuration("owner threshold \(ownerThreshold) of \(ownerPublicKeys.count) keys")
        }
        for (name, key) in [("multisig", multisig), ("vault", vault)] where key != nil && key!.count != 32 {
            throw .configuration("the \(name) address is not 32 bytes")
        }
        let executable: [UInt8]
        if let executableSHA384 {
            guard executableSHA384.count == 48 else { throw .configuration("the executable measurement is not 48 bytes") }
            executable = executableSHA384
        } else {
            do { executable = try CodeMeasurer.executableSHA384() } catch { throw error.within("code measurement") }
        }
        self.agentPublicKey = agentPublicKey
        self.ownerPublicKeys = ownerPublicKeys
        self.ownerThreshold = ownerThreshold
        self.multisig = multisig
        self.vault = vault
        self.measurement = CodeMeasurement(executableSHA384: executable, configurationSHA384: CodeMeasurer.configurationSHA384(configuration))
        self.clock = clock
    }

    /// Refuses nonces outside 16...64 bytes: shorter ones can be guessed or
    /// reused, longer ones only cost memory.
    public static func validate(nonce: [UInt8]) throws(AttestationError) {
        guard nonceLengths.contains(nonce.count) else { throw AttestationError(.invalidNonce, "the nonce must be \(nonceLengths.lowerBound) to \(nonceLengths.upperBound) bytes, not \(nonce.count)") }
    }

    /// The unsigned report for this moment.
    public func report(
        nonce: [UInt8], policyHash: [UInt8], policyVersion: UInt64, ledgerHead: LedgerHead, platform: Platform
    ) throws(AttestationError) -> AttestationReport {
        try Self.validate(nonce: nonce)
        let now = clock().timeIntervalSince1970
        return AttestationReport(
            formatVersion: Self.formatVersion,
            agentPublicKey: agentPublicKey,
            ownerPublicKeys: ownerPublicKeys,
            ownerThreshold: ownerThreshold,
            multisig: multisig ?? [],
            vault: vault ?? [],
            policyHash: policyHash,
            policyVersion: policyVersion,
            ledgerHead: ledgerHead,
            measurement: measurement,
            platform: platform,
            nonce: nonce,
            timeUnixMilliseconds: now > 0 ? UInt64(now * 1000) : 0
        )
    }

    /// The complete answer to Attest: the report, the agent's signature over
    /// tag || report, and on Nitro the NSM document whose user_data is the
    /// report's SHA-384 and whose nonce is the caller's.
    ///
    /// Blocking: `sign` may call a key store and `nitro` does an ioctl, so
    /// call this off the event loop.
    public func attest(
        nonce: [UInt8], policyHash: [UInt8], policyVersion: UInt64, ledgerHead: LedgerHead,
        nitro: (any NitroAttesting)? = nil, sign: ([UInt8]) throws -> [UInt8]
    ) throws(AttestationError) -> AttestResponse {
        let report = try report(nonce: nonce, policyHash: policyHash, policyVersion: policyVersion,
                                ledgerHead: ledgerHead, platform: nitro == nil ? .software : .nitro)
        let reportBytes = report.serializedBytes()
        let signature: [UInt8]
        do {
            signature = try sign(ReportSigning.signingMessage(report: reportBytes))
        } catch {
            throw AttestationError(.signingFailed, "the agent key could not sign the report")
        }
        guard ReportSigning.isValidSignature(signature, report: reportBytes, agentPublicKey: agentPublicKey) else {
            throw AttestationError(.signatureDoesNotVerify, "the report signature does not verify under the agent key")
        }
        var document: [UInt8] = []
        if let nitro {
            do {
                document = try nitro.attestation(userData: Digest.sha384(reportBytes), nonce: nonce, publicKey: nil)
            } catch {
                throw error.within("Nitro Secure Module")
            }
        }
        return AttestResponse(report: reportBytes, signature: signature, nitroDocument: document)
    }
}
