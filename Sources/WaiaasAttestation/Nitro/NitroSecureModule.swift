internal import CWaiaasAttestationShims
import Foundation

/// Something that can produce an NSM attestation document: the device, or
/// a test double.
public protocol NitroAttesting: Sendable {
    func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8]
}

/// The Nitro Secure Module at /dev/nsm, driven by raw ioctls (the C shim in
/// CWaiaasAttestationShims) with CBOR messages built here.
public struct NitroSecureModule: NitroAttesting {
    public static let defaultDevicePath = "/dev/nsm"

    /// True where the device node exists, i.e. inside a Nitro enclave.
    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: defaultDevicePath) }

    public let devicePath: String
    /// For tests: the ioctl the shim calls instead of ioctl(2).
    let ioctl: waiaas_nsm_ioctl_fn?

    public init(devicePath: String = NitroSecureModule.defaultDevicePath) {
        self.init(devicePath: devicePath, ioctl: nil)
    }

    init(devicePath: String, ioctl: waiaas_nsm_ioctl_fn?) {
        self.devicePath = devicePath
        self.ioctl = ioctl
    }

    /// One attestation from the default device.
    public static func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8] {
        try NitroSecureModule().attestation(userData: userData, nonce: nonce, publicKey: publicKey)
    }

    /// Asks the NSM for a COSE_Sign1 attestation document. Blocking.
    public func attestation(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) throws(AttestationError) -> [UInt8] {
        let request = NSMMessages.attestationRequest(userData: userData, nonce: nonce, publicKey: publicKey)
        let response = try exchange(request)
        return try NSMMessages.attestationDocument(fromResponse: response)
    }

    /// One raw request/response over a freshly opened device. The fd is not
    /// kept: attestations are rare, and a long-lived fd would need locking.
    func exchange(_ request: [UInt8]) throws(AttestationError) -> [UInt8] {
        guard request.count <= Int(WAIAAS_NSM_REQUEST_MAX_SIZE) else { throw AttestationError(.nsmRequestTooLarge, "NSM request of \(request.count) bytes exceeds \(WAIAAS_NSM_REQUEST_MAX_SIZE)") }
        let fd = waiaas_nsm_open(devicePath)
        guard fd >= 0 else { throw AttestationError(.nsmUnavailable, "cannot open the NSM device (errno \(-fd))", errno: -fd) }
        defer { _ = waiaas_nsm_close(fd) }
        return try Self.exchange(fd: fd, request: request, ioctl: ioctl)
    }

    /// The exchange on an already open descriptor (tests pass a fake one).
    static func exchange(fd: Int32, request: [UInt8], ioctl: waiaas_nsm_ioctl_fn?) throws(AttestationError) -> [UInt8] {
        var response = [UInt8](repeating: 0, count: Int(WAIAAS_NSM_RESPONSE_MAX_SIZE))
        var length = 0
        let rc = request.withUnsafeBytes { input in
            response.withUnsafeMutableBytes { output in
                waiaas_nsm_exchange(fd, input.baseAddress, input.count, output.baseAddress, output.count, &length, ioctl)
            }
        }
        if rc == -EMSGSIZE && request.count > Int(WAIAAS_NSM_REQUEST_MAX_SIZE) { throw AttestationError(.nsmRequestTooLarge, "NSM request of \(request.count) bytes exceeds \(WAIAAS_NSM_REQUEST_MAX_SIZE)") }
        guard rc == 0 else { throw AttestationError(.nsmIoctlFailed, "NSM ioctl failed (errno \(-rc))", errno: -rc) }
        return Array(response.prefix(length))
    }
}
