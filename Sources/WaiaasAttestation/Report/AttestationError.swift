/// The one error of the module, in the package's one error style
/// (docs/ARCHITECTURE.md, "Errors"), as swift-certificates' `CertificateError`
/// is: an extensible code with a stable string value to match on, a
/// sentence for the person reading it, and where in the input it happened.
/// `invalidNonce` is the caller's fault (INVALID_ARGUMENT), the `nsm` codes
/// the host's (UNAVAILABLE), the rest the daemon's or the document's.
/// Messages name no key material and echo no input bytes.
public struct AttestationError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // CBOR (RFC 8949, the strict subset CBORDecoder accepts).
        /// The input ended inside an item.
        public static let cborTruncated = Code(rawValue: "cbor_truncated")
        /// An indefinite-length string, array or map (additional info 31).
        public static let cborIndefiniteLength = Code(rawValue: "cbor_indefinite_length")
        /// Additional info 28...30, which RFC 8949 reserves.
        public static let cborReservedAdditionalInfo = Code(rawValue: "cbor_reserved_additional_info")
        /// Floats, `undefined`, and simple values other than false/true/null.
        public static let cborUnsupportedSimpleValue = Code(rawValue: "cbor_unsupported_simple_value")
        /// A text string that is not valid UTF-8.
        public static let cborInvalidUTF8 = Code(rawValue: "cbor_invalid_utf8")
        /// A map has the same key twice, so its meaning would depend on the reader.
        public static let cborDuplicateMapKey = Code(rawValue: "cbor_duplicate_map_key")
        /// Arrays, maps and tags nested deeper than the limit.
        public static let cborTooDeep = Code(rawValue: "cbor_too_deep")
        /// The input, or a declared length, is larger than the limit.
        public static let cborTooLarge = Code(rawValue: "cbor_too_large")
        /// Bytes remain after the single top-level item.
        public static let cborTrailingBytes = Code(rawValue: "cbor_trailing_bytes")

        // Nitro attestation documents.
        /// The bytes are CBOR but not a COSE_Sign1 message this verifier accepts.
        public static let coseStructure = Code(rawValue: "cose_structure")
        /// A payload field is missing, of the wrong type, or out of the range
        /// the AWS specification allows.
        public static let documentField = Code(rawValue: "document_field")
        /// A certificate in the document is not DER X.509.
        public static let certificateMalformed = Code(rawValue: "certificate_malformed")

        // The Nitro Secure Module (/dev/nsm).
        /// The device could not be opened, e.g. absent outside an enclave.
        public static let nsmUnavailable = Code(rawValue: "nsm_unavailable")
        /// The raw ioctl failed: ENOTTY on something that is not the NSM,
        /// EPERM without CAP_SYS_ADMIN.
        public static let nsmIoctlFailed = Code(rawValue: "nsm_ioctl_failed")
        /// The request would exceed the device's 4 KiB limit.
        public static let nsmRequestTooLarge = Code(rawValue: "nsm_request_too_large")
        /// The device answered with its `Error` variant (e.g. "InvalidArgument").
        public static let nsmDeviceError = Code(rawValue: "nsm_device_error")
        /// The answer is not the CBOR shape the NSM API defines.
        public static let nsmMalformedResponse = Code(rawValue: "nsm_malformed_response")

        // Building a report.
        /// The nonce must be 16 to 64 bytes.
        public static let invalidNonce = Code(rawValue: "invalid_nonce")
        /// A configured key or threshold is malformed (a daemon set-up error).
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// A file to measure could not be read.
        public static let measurementUnreadable = Code(rawValue: "measurement_unreadable")
        /// libcrypto could not compute a digest.
        public static let digestFailed = Code(rawValue: "digest_failed")
        /// The signing closure threw; its error is not repeated, since it may
        /// come from a key store.
        public static let signingFailed = Code(rawValue: "signing_failed")
        /// The signature produced does not verify under the agent key, so the
        /// signer holds another key or is broken; nothing is returned.
        public static let signatureDoesNotVerify = Code(rawValue: "signature_does_not_verify")

        // The JSON file `waiaas attest` writes.
        /// The file is not JSON of the attestation file's shape.
        public static let fileNotJSON = Code(rawValue: "file_not_json")
        /// The file names another format.
        public static let fileWrongFormat = Code(rawValue: "file_wrong_format")
        /// A field is missing or not base64.
        public static let fileField = Code(rawValue: "file_field")

        /// True for the codes the CBOR decoder raises.
        public var isCBOR: Bool { rawValue.hasPrefix("cbor_") }
        /// True for the codes the Nitro Secure Module raises.
        public var isNSM: Bool { rawValue.hasPrefix("nsm_") }
    }

    public var code: Code
    public var message: String
    /// The byte in the input where decoding stopped, for the CBOR codes.
    public var offset: Int?
    /// The field concerned, for `documentField` and `fileField`.
    public var field: String?
    /// The errno the system call returned, for `nsmUnavailable` and `nsmIoctlFailed`.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, offset: Int? = nil, field: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
        self.field = field
        self.errno = errno
    }

    public var description: String { "\(code): \(message)" }

    /// The same failure seen from an enclosing step (`prefix: message`), so a
    /// CBOR error inside a document keeps its code and offset.
    func within(_ prefix: String) -> AttestationError {
        AttestationError(code, "\(prefix): \(message)", offset: offset, field: field, errno: errno)
    }
}

extension AttestationError {
    static func cbor(_ code: Code, at offset: Int, _ what: String) -> AttestationError {
        AttestationError(code, "\(what) at byte \(offset)", offset: offset)
    }

    static func documentField(_ name: String, _ problem: String) -> AttestationError {
        AttestationError(.documentField, "payload field \(name): \(problem)", field: name)
    }

    static func cose(_ problem: String) -> AttestationError {
        AttestationError(.coseStructure, "not a COSE_Sign1 document: \(problem)")
    }

    static func configuration(_ problem: String) -> AttestationError {
        AttestationError(.invalidConfiguration, "attestation configuration: \(problem)")
    }

    static func nsmMalformed(_ problem: String) -> AttestationError {
        AttestationError(.nsmMalformedResponse, "malformed NSM response: \(problem)")
    }
}
