import Foundation
import Testing
import WaiaasCustody
@testable import WaiaasKMS

/// The Swift signer against botocore's: `Fixtures/sigv4-botocore.json` was
/// made by botocore's SigV4Auth (Tests/python/kms/gen_sigv4_vectors.py;
/// Tests/python/kms/test_sigv4_vectors.py checks in every run that botocore
/// still makes exactly these bytes). Each case must match byte for byte.
@Suite struct BotocoreVectorTests {
    struct Case {
        var name: String
        var request: SigV4Request
        var credentials: AWSCredentials
        var region: String
        var service: String
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var addedHeaders: [String: String]
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }

    static func field<T>(_ object: [String: Any], _ key: String) throws -> T {
        guard let value = object[key] as? T else { throw FixtureError(description: "fixture field \(key) is missing or not \(T.self)") }
        return value
    }

    static func cases() throws -> [Case] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sigv4-botocore.json").path
        let data = try #require(FileManager.default.contents(atPath: path))
        let items = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try items.map { item in
            let address: String = try field(item, "url")
            guard let url = URLComponents(string: address), let hostName = url.host else { throw FixtureError(description: "bad url \(address)") }
            // botocore signs the host as urlsplit gives it: lower-cased, with a port only when it is not the scheme's.
            var host = hostName.lowercased()
            if let port = url.port, port != (url.scheme == "https" ? 443 : 80) { host += ":\(port)" }
            let headerPairs: [[String]] = try field(item, "headers")
            let headers = headerPairs.map { (name: $0[0], value: $0[1]) }
            let bodyText: String = try field(item, "body_base64")
            guard let body = Data(base64Encoded: bodyText) else { throw FixtureError(description: "bad body") }
            let secretText: String = try field(item, "secret_key")
            var secret = Array(secretText.utf8)
            let credentials = AWSCredentials(
                accessKeyID: try field(item, "access_key"), secretAccessKey: try SecureBytes(copying: &secret),
                sessionToken: item["session_token"] as? String, source: "fixture")
            let expected: [String: Any] = try field(item, "expected")
            return Case(
                name: try field(item, "name"),
                request: SigV4Request(method: try field(item, "method"), path: url.percentEncodedPath, query: url.percentEncodedQuery ?? "",
                                      host: host, headers: headers, body: [UInt8](body)),
                credentials: credentials, region: try field(item, "region"), service: try field(item, "service"),
                canonicalRequest: try field(expected, "canonical_request"), stringToSign: try field(expected, "string_to_sign"),
                authorization: try field(expected, "authorization"), addedHeaders: try field(expected, "signed_headers"))
        }
    }

    @Test func everyBotocoreVectorMatchesByteForByte() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 12)
        for vector in cases {
            // Every vector is at the AWS suite's time, 2015-08-30T12:36:00Z.
            let signature = SigV4Signer(region: vector.region, service: vector.service).sign(vector.request, credentials: vector.credentials, time: 1_440_938_160)
            #expect(signature.canonicalRequest == vector.canonicalRequest, "\(vector.name)")
            #expect(signature.stringToSign == vector.stringToSign, "\(vector.name)")
            #expect(signature.authorization == vector.authorization, "\(vector.name)")
            #expect(Dictionary(uniqueKeysWithValues: signature.headers.map { ($0.name, $0.value) }) == vector.addedHeaders, "\(vector.name)")
        }
    }
}
