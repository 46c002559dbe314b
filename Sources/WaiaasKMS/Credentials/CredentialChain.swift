internal import WaiaasCustody
internal import WaiaasSolana
import Foundation

/// Finds credentials where the AWS SDKs look, in their order: the
/// environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`), the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`, profile
/// `AWS_PROFILE` else `default`), then the instance metadata service with
/// the IMDSv2 token flow (`AWS_EC2_METADATA_SERVICE_ENDPOINT`, else
/// 169.254.169.254; off with `AWS_EC2_METADATA_DISABLED=true`).
public struct CredentialChain: Sendable {
    let environment: @Sendable (String) -> String?
    let transport: HTTPTransport

    public init() {
        self.init(environment: { name in getenv(name).map { String(cString: $0) } })
    }

    init(environment: @escaping @Sendable (String) -> String?) {
        self.environment = environment
        var metadata = HTTPTransport()
        // botocore's metadata timeouts: off an instance nothing answers, and start-up must not hang.
        metadata.timeoutMilliseconds = 2_000
        metadata.connectTimeoutMilliseconds = 1_000
        transport = metadata
    }

    public func resolve() throws(KMSError) -> AWSCredentials {
        if let credentials = try fromEnvironment() { return credentials }
        if let credentials = try fromSharedFile() { return credentials }
        if environment("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            throw KMSError(.noCredentials, "no AWS credentials: none in the environment or the shared credentials file, and the instance metadata service is disabled")
        }
        return try fromInstanceMetadata()
    }

    private func fromEnvironment() throws(KMSError) -> AWSCredentials? {
        guard let keyID = environment("AWS_ACCESS_KEY_ID"), !keyID.isEmpty else { return nil }
        // The secret is copied from the environment block into guarded
        // memory without passing through a Swift string.
        guard let raw = getenv("AWS_SECRET_ACCESS_KEY"), strlen(raw) > 0 else {
            throw KMSError(.noCredentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        let secret: SecureBytes
        do { secret = try SecureBytes(count: strlen(raw)) } catch { throw KMSError(.secureMemory, error.message) }
        secret.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: $0.count)) }
        let token = environment("AWS_SESSION_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, source: "environment")
    }

    private func fromSharedFile() throws(KMSError) -> AWSCredentials? {
        let path: String
        if let named = environment("AWS_SHARED_CREDENTIALS_FILE"), !named.isEmpty {
            path = named
        } else if let home = environment("HOME"), !home.isEmpty {
            path = home + "/.aws/credentials"
        } else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let profile = environment("AWS_PROFILE").flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        var bytes = [UInt8](data)
        defer { bytes.withUnsafeMutableBytes { Self.wipe($0) } }
        guard let section = SharedCredentialsFile.section(profile, in: bytes) else { return nil }
        guard let keyID = section.text("aws_access_key_id"), let secretRange = section.range("aws_secret_access_key") else {
            throw KMSError(.noCredentials, "\(path): profile \(profile) has no aws_access_key_id and aws_secret_access_key")
        }
        let secret: SecureBytes
        do { secret = try SecureBytes(count: secretRange.count) } catch { throw KMSError(.secureMemory, error.message) }
        secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[secretRange])) } }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: section.text("aws_session_token"),
                              source: "shared credentials file \(path) (profile \(profile))")
    }

    private func fromInstanceMetadata() throws(KMSError) -> AWSCredentials {
        let base = (environment("AWS_EC2_METADATA_SERVICE_ENDPOINT").flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254")
            .trimmingSuffix("/")
        func fail(_ why: String) -> KMSError {
            KMSError(.noCredentials, "no AWS credentials in the environment or the shared credentials file, and the instance metadata service at \(base) \(why)")
        }
        let token: String
        do throws(KMSError) {
            let answer = try transport.send(method: "PUT", url: base + "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], body: [])
            guard answer.status == 200 else { throw fail("refused a session token (HTTP \(answer.status))") }
            token = String(decoding: answer.body.bytes, as: UTF8.self)
        } catch {
            throw error.code == .noCredentials ? error : fail("did not answer (\(error.message))")
        }
        let headers = [("X-aws-ec2-metadata-token", token)]
        let rolePath = base + "/latest/meta-data/iam/security-credentials/"
        let roles = try transport.send(method: "GET", url: rolePath, headers: headers, body: [])
        guard roles.status == 200, let role = String(decoding: roles.body.bytes, as: UTF8.self).split(separator: "\n").first.map(String.init),
              !role.isEmpty, role.allSatisfy({ $0.isLetter || $0.isNumber || "+=,.@_-".contains($0) })
        else {
            throw fail("names no instance role (HTTP \(roles.status))")
        }
        let answer = try transport.send(method: "GET", url: rolePath + role, headers: headers, body: [])
        guard answer.status == 200 else { throw fail("refused the credentials of role \(role) (HTTP \(answer.status))") }
        let (secret, rest) = try SecretField.takeText("SecretAccessKey", from: answer.body)
        guard case .string(let keyID)? = rest["AccessKeyId"], case .string(let sessionToken)? = rest["Token"] else {
            throw fail("gave credentials without AccessKeyId or Token")
        }
        if case .string(let code)? = rest["Code"], code != "Success" { throw fail("answered Code \(code)") }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: sessionToken, source: "instance metadata (role \(role))")
    }

    static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        for index in buffer.indices { buffer[index] = 0 }
    }
}

/// The INI file the AWS CLI writes: `[profile]` lines, then `key = value` lines.
struct SharedCredentialsFile {
    let bytes: [UInt8]
    let lines: [Range<Int>]

    static func section(_ profile: String, in bytes: [UInt8]) -> SharedCredentialsFile? {
        var lines: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0a {
            lines.append(start..<index)
            start = index + 1
        }
        var inside = false
        var found: [Range<Int>] = []
        for line in lines {
            let text = trimmed(bytes, line)
            guard !text.isEmpty, bytes[text.lowerBound] != UInt8(ascii: "#"), bytes[text.lowerBound] != UInt8(ascii: ";") else { continue }
            if bytes[text.lowerBound] == UInt8(ascii: "["), bytes[text.upperBound - 1] == UInt8(ascii: "]") {
                let name = trimmed(bytes, (text.lowerBound + 1)..<(text.upperBound - 1))
                inside = bytes[name].elementsEqual(Array(profile.utf8))
                continue
            }
            if inside { found.append(text) }
        }
        return inside || !found.isEmpty ? SharedCredentialsFile(bytes: bytes, lines: found) : nil
    }

    /// The value's byte range of `key = value`.
    func range(_ key: String) -> Range<Int>? {
        for line in lines {
            guard let equals = bytes[line].firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.trimmed(bytes, line.lowerBound..<equals)
            if bytes[name].elementsEqual(Array(key.utf8)) {
                let value = Self.trimmed(bytes, (equals + 1)..<line.upperBound)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    func text(_ key: String) -> String? { range(key).map { String(decoding: bytes[$0], as: UTF8.self) } }

    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound, high = range.upperBound
        while low < high, [0x20, 0x09, 0x0d].contains(bytes[low]) { low += 1 }
        while high > low, [0x20, 0x09, 0x0d].contains(bytes[high - 1]) { high -= 1 }
        return low..<high
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
