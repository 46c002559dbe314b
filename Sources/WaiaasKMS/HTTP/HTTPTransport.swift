internal import CCurl
internal import CSodium

/// One HTTP exchange over libcurl, blocking: KMS and the instance metadata
/// service are called at start-up and by the CLI, a handful of times, so a
/// handle per call is simpler than a pool and costs nothing that matters.
/// Callers on an event loop go through `KMSClient`'s async methods, which
/// run this on a thread of their own.
struct HTTPTransport: Sendable {
    struct Response {
        var status: Int
        /// Wiped when the last reference goes: a KMS answer can carry a data key.
        var body: WipedBytes
    }

    var timeoutMilliseconds = 10_000
    var connectTimeoutMilliseconds = 3_000
    /// No KMS answer is larger (a 6 KiB ciphertext, a 12 KiB CMS envelope, base64).
    var limit = 64 * 1024

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    func send(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]) throws(KMSError) -> Response {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw KMSError(.transport, "libcurl could not be initialised")
        }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        defer { curl_slist_free_all(list) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }

        let sink = WipedBytes(capacity: limit)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        let code: CURLcode = body.withUnsafeBytes { raw in
            var rc = waiaas_curl_setopt_pointer(handle, CURLOPT_URL, url)
            if rc == CURLE_OK { rc = waiaas_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeRawPointer(list)) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorBuffer)) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https") }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, method) }
            // A non-nil pointer even for an empty body: with none, libcurl would read the body from stdin.
            if rc == CURLE_OK, method != "GET" { rc = waiaas_curl_setopt_post_body(handle, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), raw.count) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds) }
            if rc == CURLE_OK { rc = waiaas_curl_setopt_write(handle, bodyWriter, context.toOpaque()) }
            if rc == CURLE_OK { rc = curl_easy_perform(handle) }
            return rc
        }
        guard code == CURLE_OK else {
            if sink.overflowed { throw KMSError(.malformed, "the answer from \(url) is larger than \(limit) bytes") }
            let detail = String(cString: errorBuffer)
            let summary = String(cString: curl_easy_strerror(code))
            // Only a request that never reached the server is safe to send again.
            let unsent: Set<UInt32> = [CURLE_COULDNT_CONNECT.rawValue, CURLE_COULDNT_RESOLVE_HOST.rawValue]
            throw KMSError(.transport, "\(url): \(detail.isEmpty ? summary : detail)", retryable: unsent.contains(code.rawValue))
        }
        var status = 0
        _ = waiaas_curl_response_code(handle, &status)
        return Response(status: status, body: sink)
    }
}

/// A byte buffer reserved once at its limit, so it never reallocates (which
/// would leave unwiped copies behind), and wiped when freed.
final class WipedBytes: @unchecked Sendable {
    private(set) var bytes: [UInt8]
    let limit: Int
    var overflowed = false

    init(capacity: Int) {
        limit = capacity
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    func append(_ data: UnsafeRawBufferPointer) -> Bool {
        guard data.count <= limit - bytes.count else {
            overflowed = true
            return false
        }
        bytes.append(contentsOf: data)
        return true
    }

    /// Overwrites `range` (a secret just copied out) before anything else parses the rest.
    func blank(_ range: Range<Int>) {
        for index in range { bytes[index] = UInt8(ascii: "A") }
    }

    deinit {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }
}

private let bodyWriter: waiaas_curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let sink = Unmanaged<WipedBytes>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    return sink.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}
