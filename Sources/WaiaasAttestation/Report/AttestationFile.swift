import Foundation
import WaiaasProto

/// The file `waiaas attest --out FILE` writes and `waiaas attest verify
/// --report FILE` reads: a JSON object
///
///     {"format": "waiaas-attestation-v1",
///      "report": "<base64 AttestationReport protobuf>",
///      "signature": "<base64 64-byte ed25519 signature over tag || report>",
///      "nitro_document": "<base64 COSE_Sign1 NSM document>"}   // only on Nitro
///
/// The bytes are kept exactly as the daemon sent them: the signature and
/// the NSM user_data are over those bytes, not over a re-encoding.
public struct AttestationFile: Sendable, Equatable, Codable {
    public static let formatName = "waiaas-attestation-v1"

    public var report: [UInt8]
    public var signature: [UInt8]
    public var nitroDocument: [UInt8]

    public init(_ response: AttestResponse) {
        self.report = response.report
        self.signature = response.signature
        self.nitroDocument = response.nitroDocument
    }

    public var response: AttestResponse {
        AttestResponse(report: report, signature: signature, nitroDocument: nitroDocument)
    }

    private enum CodingKeys: String, CodingKey {
        case format, report, signature, nitroDocument = "nitro_document"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.formatName else { throw AttestationError(.fileWrongFormat, "format \"\(format)\" is not \(Self.formatName)") }
        func bytes(_ key: CodingKeys, required: Bool) throws -> [UInt8] {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else {
                if required { throw AttestationError(.fileField, "field \(key.stringValue) is missing or not base64", field: key.stringValue) }
                return []
            }
            guard let data = Data(base64Encoded: text) else { throw AttestationError(.fileField, "field \(key.stringValue) is missing or not base64", field: key.stringValue) }
            return [UInt8](data)
        }
        report = try bytes(.report, required: true)
        signature = try bytes(.signature, required: true)
        nitroDocument = try bytes(.nitroDocument, required: false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatName, forKey: .format)
        try container.encode(Data(report).base64EncodedString(), forKey: .report)
        try container.encode(Data(signature).base64EncodedString(), forKey: .signature)
        if !nitroDocument.isEmpty {
            try container.encode(Data(nitroDocument).base64EncodedString(), forKey: .nitroDocument)
        }
    }

    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding strings into JSON cannot fail.
        return [UInt8]((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    public static func read(jsonBytes: [UInt8]) throws(AttestationError) -> AttestationFile {
        do {
            return try JSONDecoder().decode(AttestationFile.self, from: Data(jsonBytes))
        } catch let error as AttestationError {
            throw error
        } catch {
            throw AttestationError(.fileNotJSON, "not a JSON attestation file")
        }
    }
}
