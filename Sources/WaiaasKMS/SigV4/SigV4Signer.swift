internal import WaiaasCustody
internal import CSodium

/// One HTTP request to sign: what SigV4 covers.
public struct SigV4Request: Sendable {
    public var method: String
    /// The URL's path as sent (percent-encoded or not); SigV4 normalises it.
    public var path: String
    /// The URL's query as sent, without the `?`.
    public var query: String
    /// Host as in the URL, with a port only when it is not the scheme's default.
    public var host: String
    /// Headers in order; names in any case. `host` is added when absent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", host: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.host = host
        self.headers = headers
        self.body = body
    }
}

/// AWS Signature Version 4 (docs: "Create a signed AWS API request"), as
/// botocore computes it for services other than S3: the payload hash is part
/// of the canonical request but not sent as a header, and a session token is
/// a signed header. The clock is a parameter, so tests can fix it.
public struct SigV4Signer: Sendable {
    public let region: String
    public let service: String

    public init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    /// What signing adds, and the intermediate texts tests compare.
    public struct Signature: Sendable {
        /// X-Amz-Date, X-Amz-Security-Token (with a token) and Authorization, in that order.
        public var headers: [(name: String, value: String)]
        public var canonicalRequest: String
        public var stringToSign: String
        public var authorization: String
    }

    /// Signs at `time`, in seconds since 1970 (UTC).
    public func sign(_ request: SigV4Request, credentials: AWSCredentials, time: Int64) -> Signature {
        let (amzDate, day) = Self.timestamps(time)
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }

        var all = request.headers + added
        if !all.contains(where: { $0.name.lowercased() == "host" }) { all.append(("host", request.host)) }
        let canonical = Self.canonicalHeaders(all)
        let signedHeaders = canonical.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonical.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            Digest.hex(Digest.sha256(request.body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Digest.hex(Digest.sha256(Array(canonicalRequest.utf8)))].joined(separator: "\n")
        let signature = signingKey(credentials: credentials, day: day).withUnsafeBytes { key in
            Digest.hex(Digest.hmacSHA256(key: key, Array(stringToSign.utf8)))
        }
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append(("Authorization", authorization))
        return Signature(headers: added, canonicalRequest: canonicalRequest, stringToSign: stringToSign, authorization: authorization)
    }

    /// HMAC chain "AWS4"+secret → day → region → service → "aws4_request".
    /// Each step's key is wiped once the next is made; the last is returned
    /// in a buffer the caller drops after one use.
    private func signingKey(credentials: AWSCredentials, day: String) -> KeyBuffer {
        var key = credentials.secretAccessKey.withUnsafeBytes { secret in
            var prefixed = Array("AWS4".utf8) + Array(secret)
            defer { prefixed.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) } }
            return prefixed.withUnsafeBytes { Digest.hmacSHA256(key: $0, Array(day.utf8)) }
        }
        for step in [region, service, "aws4_request"] {
            let next = key.withUnsafeBytes { Digest.hmacSHA256(key: $0, Array(step.utf8)) }
            key.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
            key = next
        }
        return KeyBuffer(key)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` and `yyyyMMdd`, computed without Foundation's
    /// calendars (days from the civil-from-days algorithm).
    static func timestamps(_ time: Int64) -> (amzDate: String, day: String) {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let seconds = time - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(year)\(two(month))\(two(day))"
        return ("\(date)T\(two(seconds / 3600))\(two(seconds / 60 % 60))\(two(seconds % 60))Z", date)
    }

    /// Headers proxies may change on the way, which botocore never signs.
    static let unsignedHeaders: Set<String> = ["expect", "transfer-encoding", "user-agent", "x-amzn-trace-id"]

    /// Lower-case names, sorted; a value's runs of whitespace become one
    /// space and its ends are trimmed; repeated names join with commas.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in headers where !unsignedHeaders.contains(header.name.lowercased()) {
            let value = header.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        return merged.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    /// Dot segments and empty segments removed (AWS wants consecutive
    /// slashes gone too), then every byte but unreserved ones and `/`
    /// percent-encoded, so an already-encoded `%` is encoded again, as AWS
    /// requires for every service but S3.
    static func canonicalPath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                if !segments.isEmpty { segments.removeLast() }
            } else {
                segments.append(part)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return percentEncode(first + segments.joined(separator: "/") + last, keeping: "/")
    }

    /// The query's pairs as sent, sorted by name then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (String, String) in
            if let equals = pair.firstIndex(of: "=") { return (String(pair[..<equals]), String(pair[pair.index(after: equals)...])) }
            return (String(pair), "")
        }
        return pairs.sorted { a, b in
            a.0 == b.0 ? Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8)) : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
        }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func percentEncode(_ text: String, keeping extra: Character) -> String {
        var out = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isASCII, character.isLetter || character.isNumber || "-_.~".contains(character) || character == extra {
                out.append(character)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
        }
        return out
    }
}

private extension String {
    func leftPadded() -> String { count == 1 ? "0" + self : self }
}

/// A derived signing key, wiped when dropped.
final class KeyBuffer {
    private var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { bytes.withUnsafeBytes(body) }
    deinit { bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) } }
}
