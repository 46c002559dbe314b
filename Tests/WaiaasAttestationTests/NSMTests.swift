import CWaiaasAttestationShims
import Foundation
import XCTest
@testable import WaiaasAttestation

/// What the fake ioctl saw and should answer. The C callback cannot capture
/// context, so it goes through these globals; tests using them run serially.
nonisolated(unsafe) private var seenCommand: UInt = 0
nonisolated(unsafe) private var seenFD: Int32 = -1
nonisolated(unsafe) private var seenRequest: [UInt8] = []
nonisolated(unsafe) private var seenResponseCapacity: UInt64 = 0
nonisolated(unsafe) private var cannedResponse: [UInt8] = []
nonisolated(unsafe) private var claimedResponseLength: UInt64? = nil

/// Stands in for ioctl(2) on /dev/nsm: reads the request iovec, writes the
/// canned response into the response iovec and sets its length, as the
/// driver does.
private let fakeIoctl: waiaas_nsm_ioctl_fn = { fd, command, argument in
    seenFD = fd
    seenCommand = command
    let message = argument!.assumingMemoryBound(to: waiaas_nsm_raw.self)
    let request = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: UInt(message.pointee.request.addr)),
                                         count: Int(message.pointee.request.len))
    seenRequest = Array(request)
    seenResponseCapacity = message.pointee.response.len
    let out = UnsafeMutableRawPointer(bitPattern: UInt(message.pointee.response.addr))!
    let count = min(cannedResponse.count, Int(message.pointee.response.len))
    cannedResponse.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: count) }
    message.pointee.response.len = claimedResponseLength ?? UInt64(count)
    return 0
}

private let failingIoctl: waiaas_nsm_ioctl_fn = { _, _, _ in
    errno = EPERM
    return -1
}

final class NSMTests: XCTestCase {
    override func setUp() {
        seenCommand = 0
        seenFD = -1
        seenRequest = []
        seenResponseCapacity = 0
        cannedResponse = []
        claimedResponseLength = nil
    }

    func testIoctlCommandIsTheKernelsNSMRaw() {
        XCTAssertEqual(waiaas_nsm_ioctl_raw_command(), 0xC020_0A00)
        XCTAssertEqual(MemoryLayout<waiaas_nsm_raw>.size, 32)
    }

    func testAttestationRequestEncoding() {
        // {"Attestation": {"user_data": h'0102', "nonce": h'03'}}; public_key omitted.
        let request = NSMMessages.attestationRequest(userData: [1, 2], nonce: [3], publicKey: nil)
        XCTAssertEqual(TestHex.string(request),
                       "a1" + "6b" + TestHex.string(Array("Attestation".utf8)) + "a2"
                           + "69" + TestHex.string(Array("user_data".utf8)) + "420102"
                           + "65" + TestHex.string(Array("nonce".utf8)) + "4103")
        XCTAssertEqual(TestHex.string(NSMMessages.attestationRequest(userData: nil, nonce: nil, publicKey: nil)),
                       "a16b" + TestHex.string(Array("Attestation".utf8)) + "a0")
        let full = try! CBORDecoder().decode(NSMMessages.attestationRequest(userData: [1], nonce: [2], publicKey: [3]))
        XCTAssertEqual(full[text: "Attestation"]?[text: "public_key"], .bytes([3]))
    }

    func testResponseDecoding() throws {
        let ok = CBOREncoder.encode(.map([.init(.text("Attestation"), .map([.init(.text("document"), .bytes([9, 9]))]))]))
        XCTAssertEqual(try NSMMessages.attestationDocument(fromResponse: ok), [9, 9])
        let refused = CBOREncoder.encode(.map([.init(.text("Error"), .text("InvalidArgument"))]))
        XCTAssertThrowsError(try NSMMessages.attestationDocument(fromResponse: refused)) {
            XCTAssertEqual($0 as? AttestationError, AttestationError(.nsmDeviceError, "the NSM refused the request: InvalidArgument"))
        }
        for bad: CBOR in [.text("GetRandom"), .map([.init(.text("Attestation"), .map([]))]),
                          .map([.init(.text("DescribeNSM"), .map([]))]),
                          .map([.init(.text("Attestation"), .map([.init(.text("document"), .text("x"))]))])] {
            XCTAssertThrowsError(try NSMMessages.attestationDocument(fromResponse: CBOREncoder.encode(bad))) {
                guard ($0 as? AttestationError)?.code == .nsmMalformedResponse else { return XCTFail("\($0)") }
            }
        }
        XCTAssertThrowsError(try NSMMessages.attestationDocument(fromResponse: [0xBF])) {
            guard ($0 as? AttestationError)?.code == .nsmMalformedResponse else { return XCTFail("\($0)") }
        }
    }

    func testExchangeSendsRequestAndReadsResponseThroughTheIovecs() throws {
        let fd = try temporaryFileDescriptor()
        defer { close(fd) }
        cannedResponse = [0xA1, 0x01, 0x02]
        let request: [UInt8] = Array("request bytes".utf8)
        let response = try NitroSecureModule.exchange(fd: fd, request: request, ioctl: fakeIoctl)
        XCTAssertEqual(seenFD, fd)
        XCTAssertEqual(seenCommand, 0xC020_0A00)
        XCTAssertEqual(seenRequest, request)
        XCTAssertEqual(seenResponseCapacity, 0x3000)
        XCTAssertEqual(response, [0xA1, 0x01, 0x02])
    }

    func testDeviceClaimingMoreThanTheBufferIsRefused() throws {
        let fd = try temporaryFileDescriptor()
        defer { close(fd) }
        cannedResponse = [1]
        claimedResponseLength = 0x3001
        XCTAssertThrowsError(try NitroSecureModule.exchange(fd: fd, request: [1], ioctl: fakeIoctl)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmIoctlFailed); XCTAssertEqual(($0 as? AttestationError)?.errno, EMSGSIZE)
        }
    }

    func testIoctlErrorsAreReported() throws {
        let fd = try temporaryFileDescriptor()
        defer { close(fd) }
        XCTAssertThrowsError(try NitroSecureModule.exchange(fd: fd, request: [1], ioctl: failingIoctl)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmIoctlFailed); XCTAssertEqual(($0 as? AttestationError)?.errno, EPERM)
        }
    }

    /// The real ioctl on descriptors that are not the NSM: the kernel says
    /// ENOTTY, and that is what the caller sees.
    func testRealIoctlOnFakeDevicesFailsCleanly() throws {
        let fd = try temporaryFileDescriptor()
        defer { close(fd) }
        XCTAssertThrowsError(try NitroSecureModule.exchange(fd: fd, request: [1], ioctl: nil)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmIoctlFailed); XCTAssertEqual(($0 as? AttestationError)?.errno, ENOTTY)
        }
        var pair: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        defer { close(pair[0]); close(pair[1]) }
        XCTAssertThrowsError(try NitroSecureModule.exchange(fd: pair[0], request: [1], ioctl: nil)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmIoctlFailed); XCTAssertEqual(($0 as? AttestationError)?.errno, ENOTTY)
        }
        // Nothing was written to the peer: an ioctl never turns into a write.
        var byte: UInt8 = 0
        XCTAssertEqual(recv(pair[1], &byte, 1, Int32(MSG_DONTWAIT)), -1)
    }

    func testOversizedRequestsNeverReachTheDevice() throws {
        let fd = try temporaryFileDescriptor()
        defer { close(fd) }
        let big = [UInt8](repeating: 0, count: 0x1001)
        XCTAssertThrowsError(try NitroSecureModule.exchange(fd: fd, request: big, ioctl: fakeIoctl)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmRequestTooLarge); XCTAssertEqual(($0 as? AttestationError)?.message, "NSM request of 4097 bytes exceeds 4096")
        }
        XCTAssertEqual(seenCommand, 0, "the ioctl must not be called")
        XCTAssertThrowsError(try NitroSecureModule(devicePath: "/dev/null").attestation(userData: big, nonce: nil, publicKey: nil)) {
            XCTAssertEqual(($0 as? AttestationError)?.message, "NSM request of \(NSMMessages.attestationRequest(userData: big, nonce: nil, publicKey: nil).count) bytes exceeds 4096")
        }
    }

    func testMissingDevice() {
        XCTAssertThrowsError(try NitroSecureModule(devicePath: "/nonexistent/nsm").attestation(userData: nil, nonce: nil, publicKey: nil)) {
            XCTAssertEqual(($0 as? AttestationError)?.code, .nsmUnavailable); XCTAssertEqual(($0 as? AttestationError)?.errno, ENOENT)
        }
        XCTAssertEqual(NitroSecureModule.isAvailable, FileManager.default.fileExists(atPath: "/dev/nsm"))
    }

    /// The whole daemon path with the device replaced at the ioctl: the
    /// builder asks the "NSM" for a document over the report hash, the fake
    /// device answers with one signed by a test PKI, and the verifier accepts
    /// the result.
    func testAttestThroughTheShimEndToEnd() throws {
        let device = FileManager.default.temporaryDirectory.appendingPathComponent("fake-nsm-\(getpid())")
        XCTAssertTrue(FileManager.default.createFile(atPath: device.path, contents: Data()))
        defer { try? FileManager.default.removeItem(at: device) }
        let chain = try TestPKI.makeChain(now: ReportFixture.time)
        let agent = TestAgentKey()
        let builder = try ReportFixture.builder(agent: agent)
        // The report's bytes are only known once built, so the canned
        // document is made from what a first, identical build produces.
        let software = try builder.report(nonce: ReportFixture.nonce, policyHash: ReportFixture.policyHash, policyVersion: 7,
                                          ledgerHead: ReportFixture.ledgerHead, platform: .nitro)
        var fields = TestPKI.DocumentFields()
        fields.userData = Digest.sha384(software.serializedBytes())
        fields.nonce = ReportFixture.nonce
        let document = try TestPKI.document(fields, chain: chain)
        cannedResponse = CBOREncoder.encode(.map([.init(.text("Attestation"), .map([.init(.text("document"), .bytes(document))]))]))

        let response = try builder.attest(nonce: ReportFixture.nonce, policyHash: ReportFixture.policyHash, policyVersion: 7,
                                          ledgerHead: ReportFixture.ledgerHead,
                                          nitro: NitroSecureModule(devicePath: device.path, ioctl: fakeIoctl), sign: agent.sign)
        XCTAssertEqual(seenRequest, NSMMessages.attestationRequest(userData: Digest.sha384(response.report), nonce: ReportFixture.nonce, publicKey: nil))
        XCTAssertEqual(response.nitroDocument, document)
        let result = ReportVerifier.verify(response: response, nonce: ReportFixture.nonce,
                                           expectations: ReportExpectations(requireNitro: true, nitroTrustAnchor: chain.anchor), at: ReportFixture.time)
        XCTAssertTrue(result.passed, "\(result.failures)")
    }

    private func temporaryFileDescriptor() throws -> Int32 {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nsm-fd-\(UUID().uuidString)").path
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        unlink(path)
        return fd
    }
}
