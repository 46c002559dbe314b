/// Why the Nitro Secure Module gave no attestation document.
public enum NSMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// /dev/nsm could not be opened (errno), e.g. absent outside an enclave.
    case deviceUnavailable(errno: Int32)
    /// The raw ioctl failed (errno): ENOTTY on something that is not the
    /// NSM, EPERM without CAP_SYS_ADMIN, EMSGSIZE for oversized messages.
    case ioctlFailed(errno: Int32)
    /// The request would exceed the device's 4 KiB limit.
    case requestTooLarge(Int)
    /// The device answered with its `Error` variant (e.g. "InvalidArgument").
    case deviceError(String)
    /// The answer is not the CBOR shape the NSM API defines.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .deviceUnavailable(let errno): "cannot open the NSM device (errno \(errno))"
        case .ioctlFailed(let errno): "NSM ioctl failed (errno \(errno))"
        case .requestTooLarge(let size): "NSM request of \(size) bytes exceeds 4096"
        case .deviceError(let name): "the NSM refused the request: \(name)"
        case .malformedResponse(let problem): "malformed NSM response: \(problem)"
        }
    }
}

/// Something that can produce an NSM attestation document: the device, or
/// a test double.
public protocol NitroAttesting: Sendable {
    func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(NSMError) -> [UInt8]
}
