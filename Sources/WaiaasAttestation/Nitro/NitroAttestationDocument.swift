import Foundation

/// The payload of an NSM attestation document, validated against the rules
/// of AWS's attestation process document (section 3.2: required fields,
/// types and sizes). Absent optional fields may be encoded as CBOR null,
/// as real documents do.
public struct NitroAttestationDocument: Sendable, Equatable {
    public let moduleID: String
    public let timestamp: Date
    public let timestampMilliseconds: UInt64
    public let digest: String
    /// PCR index → value (32, 48 or 64 bytes).
    public let pcrs: [Int: [UInt8]]
    /// The leaf certificate, DER.
    public let certificate: [UInt8]
    /// Root first, then intermediates towards the leaf, DER.
    public let caBundle: [[UInt8]]
    public let publicKey: [UInt8]?
    public let userData: [UInt8]?
    public let nonce: [UInt8]?

    /// The CDDL bounds user_data and nonce by 1024 and the prose by 512;
    /// taking the larger keeps every real document acceptable, and both are
    /// signed, so the bound only limits memory.
    static let maximumUserBytes = 1024
    static let maximumCertificateBytes = 1024

    public init(payload: [UInt8], decoder: CBORDecoder = CBORDecoder()) throws(AttestationError) {
        let item: CBOR
        do { item = try decoder.decode(payload) } catch { throw error.within("payload") }
        guard item.mapValue != nil else { throw .documentField("payload", "not a map") }

        guard let moduleID = item[text: "module_id"]?.textValue, !moduleID.isEmpty else {
            throw .documentField("module_id", "missing or empty")
        }
        guard let digest = item[text: "digest"]?.textValue else { throw .documentField("digest", "missing") }
        guard digest == "SHA384" else { throw .documentField("digest", "\(digest) is not SHA384") }
        guard case .unsigned(let milliseconds)? = item[text: "timestamp"], milliseconds > 0 else {
            throw .documentField("timestamp", "missing or not a positive integer")
        }

        guard let pcrPairs = item[text: "pcrs"]?.mapValue else { throw .documentField("pcrs", "missing or not a map") }
        guard (1 ... 32).contains(pcrPairs.count) else { throw .documentField("pcrs", "\(pcrPairs.count) entries, not 1 to 32") }
        var pcrs: [Int: [UInt8]] = [:]
        for pair in pcrPairs {
            guard case .unsigned(let index) = pair.key, index < 32 else { throw .documentField("pcrs", "index not in 0..<32") }
            guard let value = pair.value.bytesValue, [32, 48, 64].contains(value.count) else {
                throw .documentField("pcrs", "PCR\(index) is not 32, 48 or 64 bytes")
            }
            pcrs[Int(index)] = value
        }

        guard let certificate = item[text: "certificate"]?.bytesValue,
              (1 ... Self.maximumCertificateBytes).contains(certificate.count) else {
            throw .documentField("certificate", "missing or not 1 to 1024 bytes")
        }
        guard let bundle = item[text: "cabundle"]?.arrayValue, !bundle.isEmpty else {
            throw .documentField("cabundle", "missing or empty")
        }
        var caBundle: [[UInt8]] = []
        for (position, entry) in bundle.enumerated() {
            guard let der = entry.bytesValue, (1 ... Self.maximumCertificateBytes).contains(der.count) else {
                throw .documentField("cabundle", "entry \(position) is not 1 to 1024 bytes")
            }
            caBundle.append(der)
        }

        self.moduleID = moduleID
        self.digest = digest
        self.timestampMilliseconds = milliseconds
        self.timestamp = Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
        self.pcrs = pcrs
        self.certificate = certificate
        self.caBundle = caBundle
        self.publicKey = try Self.optionalBytes(item, "public_key", allowed: 1 ... Self.maximumCertificateBytes)
        self.userData = try Self.optionalBytes(item, "user_data", allowed: 0 ... Self.maximumUserBytes)
        self.nonce = try Self.optionalBytes(item, "nonce", allowed: 0 ... Self.maximumUserBytes)
    }

    /// Absent and null both mean "not given"; anything else must be bytes
    /// of an allowed length.
    private static func optionalBytes(_ map: CBOR, _ name: String, allowed: ClosedRange<Int>) throws(AttestationError) -> [UInt8]? {
        guard let value = map[text: name], !value.isNull else { return nil }
        guard let bytes = value.bytesValue, allowed.contains(bytes.count) else {
            throw .documentField(name, "not a byte string of \(allowed.lowerBound) to \(allowed.upperBound) bytes")
        }
        return bytes
    }
}
