internal import WaiaasSolana

/// An AWS JSON-protocol error answer: `__type` (perhaps `namespace#Name`,
/// perhaps with `:url` after it) and `message` or `Message`.
enum AWSErrorAnswer {
    /// KMS's documented retryable errors, and throttling.
    static let retryableTypes: Set<String> = [
        "ThrottlingException", "KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException",
        "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable", "InternalFailure",
    ]

    static func error(operation: String, status: Int, body: [UInt8]) -> KMSError {
        let json = try? JSONValue.parse(body)
        var type = json?["__type"].flatMap(KMSClient.text) ?? json?["code"].flatMap(KMSClient.text)
        if let raw = type {
            let withoutURL = raw.split(separator: ":").first.map(String.init) ?? raw
            type = withoutURL.split(separator: "#").last.map(String.init) ?? withoutURL
        }
        let message = (json?["message"] ?? json?["Message"]).flatMap(KMSClient.text) ?? ""
        // Messages are AWS's own and name keys and principals, never secrets; a bounded length keeps logs readable.
        let bounded = message.count > 300 ? String(message.prefix(300)) + "…" : message
        let retryable = type.map(retryableTypes.contains) ?? (status >= 500 || status == 429)
        let text = bounded.isEmpty ? "\(operation) refused (HTTP \(status))" : "\(operation) refused (HTTP \(status)): \(bounded)"
        return KMSError(.refused, text, awsType: type ?? "HTTP\(status)", retryable: retryable || status == 503)
    }
}
