import Testing
import WaiaasCustody
import WaiaasSolana
@testable import WaiaasKMS

/// AWS's Signature Version 4 test suite, case `post-vanilla` (the values are
/// the suite's own, as kept in bazelbuild/bazel third_party/aws-sig-v4-test-suite):
/// credentials AKIDEXAMPLE, region us-east-1, service `service`, 2015-08-30T12:36:00Z.
@Suite struct SigV4SignerTests {
    static let time: Int64 = 1_440_938_160

    static func credentials(token: String? = nil) throws -> AWSCredentials {
        var secret = Array("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".utf8)
        return AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: try SecureBytes(copying: &secret), sessionToken: token, source: "test")
    }

    @Test func postVanillaMatchesTheAWSSuite() throws {
        let request = SigV4Request(method: "POST", path: "/", host: "example.amazonaws.com", headers: [], body: [])
        let signature = SigV4Signer(region: "us-east-1", service: "service").sign(request, credentials: try Self.credentials(), time: Self.time)
        #expect(signature.canonicalRequest == "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(signature.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(signature.headers.map(\.name) == ["X-Amz-Date", "Authorization"])
    }

    @Test func aSessionTokenIsASignedHeader() throws {
        let request = SigV4Request(method: "POST", path: "/", host: "example.amazonaws.com", headers: [], body: [])
        let signature = SigV4Signer(region: "us-east-1", service: "service").sign(request, credentials: try Self.credentials(token: "TOKEN"), time: Self.time)
        #expect(signature.headers.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(signature.authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
        #expect(!signature.authorization.contains("5da7c1a2"))
    }

    @Test func timestampsAreUTCCalendarDates() {
        #expect(SigV4Signer.timestamps(Self.time) == ("20150830T123600Z", "20150830"))
        #expect(SigV4Signer.timestamps(0) == ("19700101T000000Z", "19700101"))
        #expect(SigV4Signer.timestamps(951_782_400) == ("20000229T000000Z", "20000229"))
        #expect(SigV4Signer.timestamps(1_796_083_199) == ("20261130T235959Z", "20261130"))
    }

    @Test func pathsAndHeadersAreCanonicalisedAsBotocoreDoes() {
        #expect(SigV4Signer.canonicalPath("") == "/")
        #expect(SigV4Signer.canonicalPath("/a/./b/../c//d/") == "/a/c/d/")
        #expect(SigV4Signer.canonicalPath("/a b/%41") == "/a%20b/%2541")
        #expect(SigV4Signer.canonicalQuery("b=2&a=2&a=1") == "a=1&a=2&b=2")
        let headers = SigV4Signer.canonicalHeaders([("X-B", "  one   two "), ("x-b", "three"), ("User-Agent", "x"), ("A", "1")])
        #expect(headers.map { "\($0.name):\($0.value)" } == ["a:1", "x-b:one two,three"])
    }

    @Test func anEd25519SubjectPublicKeyInfoIsParsedStrictly() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let der = Ed25519SubjectPublicKeyInfo.prefix + key
        #expect(try Ed25519SubjectPublicKeyInfo.publicKey(der).bytes == key)
        #expect(throws: KMSError(.wrongKey, "")) { try Ed25519SubjectPublicKeyInfo.publicKey(der + [0]) }
        var otherCurve = der
        otherCurve[8] = 0x6e  // 1.3.101.110: X25519, not Ed25519
        #expect(throws: KMSError(.wrongKey, "")) { try Ed25519SubjectPublicKeyInfo.publicKey(otherCurve) }
    }

    @Test func aRecipientKeyExportsAnRSASubjectPublicKeyInfo() throws {
        let spki = try RecipientKey().subjectPublicKeyInfo
        // SEQUENCE, long form; rsaEncryption OID 1.2.840.113549.1.1.1 inside; 294 bytes for RSA-2048.
        #expect(spki.count == 294)
        #expect(spki.starts(with: [0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]))
        #expect(throws: KMSError(.envelope, "")) { try RecipientKey().open(envelope: [0x30, 0x03, 0x02, 0x01, 0x00]) }
    }

    @Test func awsErrorTypesAreNamedWithoutNamespaceOrURL() {
        let throttled = AWSErrorAnswer.error(operation: "Sign", status: 400, body: Array(#"{"__type":"com.amazonaws.kms#ThrottlingException:http://x","message":"slow down"}"#.utf8))
        #expect(throttled.awsType == "ThrottlingException" && throttled.isRetryable)
        let denied = AWSErrorAnswer.error(operation: "Sign", status: 400, body: Array(#"{"__type":"AccessDeniedException","Message":"no"}"#.utf8))
        #expect(denied.awsType == "AccessDeniedException" && !denied.isRetryable && denied.message.contains("no"))
    }

    @Test func aSecretFieldIsTakenAndBlankedBeforeParsing() throws {
        let body = WipedBytes(capacity: 1024)
        let text = Array(#"{"KeyId":"k","Plaintext":"AAECAw=="}"#.utf8)
        _ = text.withUnsafeBytes { body.append($0) }
        let (secret, rest) = try SecretField.takeBase64("Plaintext", from: body)
        #expect(secret.withUnsafeBytes { Array($0) } == [0, 1, 2, 3])
        #expect(rest["KeyId"] == .string("k"))
        #expect(!String(decoding: body.bytes, as: UTF8.self).contains("AAECAw=="))
    }
}
