internal import CCurl

/// One libcurl easy handle: one kept-alive connection to one endpoint.
/// A session is used by one thread at a time (`HTTPEndpoint` lends it out
/// and takes it back), which is why it may cross threads.
final class CurlSession: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let headers: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// curl_global_init is not thread-safe; a static is initialised once.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(url: String) throws(ChainError) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw ChainError(.transport, "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        var list = curl_slist_append(nil, "Content-Type: application/json")
        // No "Expect: 100-continue" round trip before a body.
        list = curl_slist_append(list, "Expect:")
        headers = list
        var ok = true
        ok = ok && waiaas_curl_setopt_pointer(handle, CURLOPT_URL, url) == CURLE_OK
        ok = ok && waiaas_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeRawPointer(headers)) == CURLE_OK
        ok = ok && waiaas_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorBuffer)) == CURLE_OK
        // Threads call libcurl: no signals for its timeouts.
        ok = ok && waiaas_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK
        ok = ok && waiaas_curl_setopt_long(handle, CURLOPT_POST, 1) == CURLE_OK
        ok = ok && waiaas_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1) == CURLE_OK
        ok = ok && waiaas_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1) == CURLE_OK
        // Only the endpoint named: no redirects, no other protocol.
        ok = ok && waiaas_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0) == CURLE_OK
        ok = ok && waiaas_curl_setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK
        guard ok else {
            Self.free(handle, headers, errorBuffer)
            throw ChainError(.transport, "libcurl refused the session's options")
        }
    }

    deinit { Self.free(handle, headers, errorBuffer) }

    private static func free(_ handle: UnsafeMutableRawPointer, _ headers: UnsafeMutablePointer<curl_slist>?, _ buffer: UnsafeMutablePointer<CChar>) {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
        buffer.deallocate()
    }

    struct Answer {
        var status: Int
        var body: [UInt8]
    }

    /// POSTs `body` and returns the HTTP status and body, which must not
    /// exceed `limit` bytes. `connected` is true when a connection was made
    /// for this call (none kept alive could be reused).
    func post(_ body: [UInt8], timeoutMilliseconds: Int, connectTimeoutMilliseconds: Int, limit: Int) throws(ChainError) -> (answer: Answer, connected: Bool) {
        let sink = ResponseSink(limit: limit)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        errorBuffer[0] = 0
        let code: CURLcode = body.withUnsafeBytes { raw in
            var rc = waiaas_curl_setopt_post_body(handle, raw.baseAddress, raw.count)
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_write(handle, responseWriter, context.toOpaque()) }
            if rc == CURLE_OK { rc = curl_easy_perform(handle) }
            // POSTFIELDS is not copied: forget it before the bytes go.
            _ = waiaas_curl_setopt_post_body(handle, nil, 0)
            return rc
        }
        var connects = 0
        _ = waiaas_curl_connects(handle, &connects)
        guard code == CURLE_OK else {
            if sink.overflowed {
                throw ChainError(.malformed, "the answer is larger than \(limit) bytes")
            }
            let detail = String(cString: errorBuffer)
            let summary = String(cString: curl_easy_strerror(code))
            throw ChainError(.transport, detail.isEmpty ? summary : "\(summary) (\(detail))", retryable: Self.retryable.contains(code.rawValue))
        }
        var status = 0
        _ = waiaas_curl_response_code(handle, &status)
        return (Answer(status: status, body: sink.bytes), connects > 0)
    }

    /// Failures where no request reached the node, or no answer came
    /// back at all (a kept-alive connection the node had closed): retried.
    /// A timeout is not: the call's deadline is spent.
    private static let retryable: Set<UInt32> = [
        CURLE_COULDNT_CONNECT.rawValue, CURLE_COULDNT_RESOLVE_HOST.rawValue, CURLE_SEND_ERROR.rawValue,
        CURLE_RECV_ERROR.rawValue, CURLE_GOT_NOTHING.rawValue,
    ]
}

private final class ResponseSink {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false
    init(limit: Int) { self.limit = limit }
}

/// libcurl's write callback: appends to the sink, or stops the transfer
/// (by returning less than it was given) once the answer passes its limit.
private let responseWriter: waiaas_curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard length <= sink.limit - sink.bytes.count else {
        sink.overflowed = true
        return 0
    }
    if let data, length > 0 {
        sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    }
    return length
}
