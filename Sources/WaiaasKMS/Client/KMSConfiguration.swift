import Foundation

/// Where KMS is and who calls it. The region comes from `--kms-region`,
/// else `AWS_REGION`, else `AWS_DEFAULT_REGION`, as the AWS SDKs take it;
/// the endpoint from `--kms-endpoint` (tests, VPC endpoints), else
/// `https://kms.<region>.amazonaws.com`.
public struct KMSConfiguration: Sendable {
    public var region: String
    public var endpoint: String
    /// Attempts per call, the first included, for throttling and retryable server errors.
    public var maximumAttempts = 4
    /// The first back-off; each retry doubles it, with full jitter.
    public var baseDelayMilliseconds = 100

    public init(region: String, endpoint: String) {
        self.region = region
        self.endpoint = endpoint
    }

    public static func resolve(region flag: String?, endpoint: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(KMSError) -> KMSConfiguration {
        let candidates = [flag, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]]
        guard let region = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw KMSError(.noRegion, "no AWS region: give --kms-region or set AWS_REGION")
        }
        guard region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }), region.count <= 32 else {
            throw KMSError(.invalidArgument, "\"\(region)\" is not an AWS region name")
        }
        let url = endpoint ?? "https://kms.\(region).amazonaws.com"
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty,
              parsed.query == nil, parsed.user == nil
        else {
            throw KMSError(.invalidArgument, "--kms-endpoint \(url) is not an http(s) URL without query or user")
        }
        return KMSConfiguration(region: region, endpoint: url)
    }

    /// The `host` SigV4 signs: with the port only when it is not the scheme's default.
    var hostHeader: String {
        let parsed = URLComponents(string: endpoint)!
        let defaultPort = parsed.scheme == "https" ? 443 : 80
        if let port = parsed.port, port != defaultPort { return "\(parsed.host!):\(port)" }
        return parsed.host!
    }

    var path: String {
        let path = URLComponents(string: endpoint)!.percentEncodedPath
        return path.isEmpty ? "/" : path
    }

    var url: String { endpoint.hasSuffix("/") || URLComponents(string: endpoint)!.percentEncodedPath.count > 0 ? endpoint : endpoint + "/" }
}
