import Foundation

/// What a verifier expects of a report beyond its signature and nonce.
/// Every value set here becomes a named check; nil means "not checked".
public struct ReportExpectations: Sendable {
    public var agentPublicKey: [UInt8]?
    public var policyHash: [UInt8]?
    /// SHA-384 of the daemon's executable.
    public var executableMeasurement: [UInt8]?
    /// SHA-384 of the daemon's effective configuration.
    public var configurationMeasurement: [UInt8]?
    /// PCR index → value; any entry requires a Nitro document.
    public var nitroPCRs: [Int: [UInt8]]
    /// Refuse software-only reports.
    public var requireNitro: Bool
    /// When set, the report's time must be at most this old at the
    /// verification time, and not from its future (beyond `clockSkew`).
    public var maximumAge: TimeInterval?
    public var clockSkew: TimeInterval
    public var nitroTrustAnchor: NitroTrustAnchor

    public init(
        agentPublicKey: [UInt8]? = nil, policyHash: [UInt8]? = nil,
        executableMeasurement: [UInt8]? = nil, configurationMeasurement: [UInt8]? = nil,
        nitroPCRs: [Int: [UInt8]] = [:], requireNitro: Bool = false,
        maximumAge: TimeInterval? = nil, clockSkew: TimeInterval = 300,
        nitroTrustAnchor: NitroTrustAnchor = .awsNitroEnclavesRootG1
    ) {
        self.agentPublicKey = agentPublicKey
        self.policyHash = policyHash
        self.executableMeasurement = executableMeasurement
        self.configurationMeasurement = configurationMeasurement
        self.nitroPCRs = nitroPCRs
        self.requireNitro = requireNitro
        self.maximumAge = maximumAge
        self.clockSkew = clockSkew
        self.nitroTrustAnchor = nitroTrustAnchor
    }
}
