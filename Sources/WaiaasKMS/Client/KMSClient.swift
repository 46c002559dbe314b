public import WaiaasCustody
internal import WaiaasSolana
import Foundation

/// AWS KMS over its JSON 1.1 protocol (`POST /`, `X-Amz-Target:
/// TrentService.<Operation>`), signed with SigV4. Calls block; the async
/// versions run them on a thread of their own, never on an event loop or
/// Swift's cooperative pool.
public final class KMSClient: Sendable {
    public let configuration: KMSConfiguration
    private let credentials: AWSCredentials
    private let transport: HTTPTransport
    private let clock: @Sendable () -> Int64
    private let sleep: @Sendable (Int) -> Void

    public convenience init(configuration: KMSConfiguration) throws(KMSError) {
        try self.init(configuration: configuration, credentials: CredentialChain().resolve())
    }

    public init(configuration: KMSConfiguration, credentials: AWSCredentials,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                sleep: @escaping @Sendable (Int) -> Void = { usleep(UInt32($0) * 1000) }) {
        self.configuration = configuration
        self.credentials = credentials
        self.transport = HTTPTransport()
        self.clock = clock
        self.sleep = sleep
    }

    // MARK: Operations

    /// Sign with `ED25519_SHA_512` and `MessageType RAW`: PureEdDSA over the
    /// message, what Solana verifies. (`ED25519_PH_SHA_512` is Ed25519ph, a
    /// different scheme KMS also double-hashes; it is never sent.)
    public func signEd25519(keyID: String, message: [UInt8]) throws(KMSError) -> [UInt8] {
        guard (1...4096).contains(message.count) else {
            throw KMSError(.invalidArgument, "KMS signs messages of 1 to 4096 bytes, not \(message.count)")
        }
        let answer = try call("Sign", [
            ("KeyId", .string(keyID)), ("Message", .string(Data(message).base64EncodedString())),
            ("MessageType", .string("RAW")), ("SigningAlgorithm", .string("ED25519_SHA_512")),
        ])
        let json = try SecretField.parse(answer)
        guard let signature = Self.blob(json["Signature"]) else { throw KMSError(.malformed, "Sign answered without a Signature") }
        return signature
    }

    public struct PublicKeyInfo: Sendable {
        public var keyID: String
        /// DER SubjectPublicKeyInfo, as KMS returns it.
        public var subjectPublicKeyInfo: [UInt8]
        public var keySpec: String
        public var keyUsage: String
        public var signingAlgorithms: [String]
    }

    public func getPublicKey(keyID: String) throws(KMSError) -> PublicKeyInfo {
        let json = try SecretField.parse(call("GetPublicKey", [("KeyId", .string(keyID))]))
        guard let spki = Self.blob(json["PublicKey"]) else { throw KMSError(.malformed, "GetPublicKey answered without a PublicKey") }
        return PublicKeyInfo(
            keyID: json["KeyId"].flatMap(Self.text) ?? keyID, subjectPublicKeyInfo: spki,
            keySpec: json["KeySpec"].flatMap(Self.text) ?? json["CustomerMasterKeySpec"].flatMap(Self.text) ?? "",
            keyUsage: json["KeyUsage"].flatMap(Self.text) ?? "",
            signingAlgorithms: Self.texts(json["SigningAlgorithms"]))
    }

    public struct KeyMetadata: Sendable {
        public var keyID: String
        public var arn: String
        public var keyState: String
        public var enabled: Bool
        public var keySpec: String
        public var keyUsage: String
    }

    public func describeKey(keyID: String) throws(KMSError) -> KeyMetadata {
        let json = try SecretField.parse(call("DescribeKey", [("KeyId", .string(keyID))]))
        guard let metadata = json["KeyMetadata"], let id = metadata["KeyId"].flatMap(Self.text) else {
            throw KMSError(.malformed, "DescribeKey answered without KeyMetadata")
        }
        var enabled = false
        if case .bool(let flag)? = metadata["Enabled"] { enabled = flag }
        return KeyMetadata(
            keyID: id, arn: metadata["Arn"].flatMap(Self.text) ?? "", keyState: metadata["KeyState"].flatMap(Self.text) ?? "",
            enabled: enabled, keySpec: metadata["KeySpec"].flatMap(Self.text) ?? "", keyUsage: metadata["KeyUsage"].flatMap(Self.text) ?? "")
    }

    public struct DataKey: Sendable {
        public var keyID: String
        /// The data key sealed by KMS: what the keystore stores.
        public var ciphertextBlob: [UInt8]
        public var plaintext: SecureBytes
    }

    /// A fresh AES-256 data key, in the clear (guarded memory) and sealed.
    public func generateDataKey(keyID: String, context: [(String, String)]) throws(KMSError) -> DataKey {
        let answer = try call("GenerateDataKey", [
            ("KeyId", .string(keyID)), ("KeySpec", .string("AES_256")), ("EncryptionContext", .object(context.map { ($0.0, .string($0.1)) })),
        ])
        let (plaintext, json) = try SecretField.takeBase64("Plaintext", from: answer)
        guard plaintext.count == 32 else { throw KMSError(.malformed, "GenerateDataKey returned a \(plaintext.count)-byte key, not 32") }
        guard let blob = Self.blob(json["CiphertextBlob"]) else { throw KMSError(.malformed, "GenerateDataKey answered without a CiphertextBlob") }
        return DataKey(keyID: json["KeyId"].flatMap(Self.text) ?? keyID, ciphertextBlob: blob, plaintext: plaintext)
    }

    /// The RSA key and attestation document an enclave names so that KMS
    /// answers with a CMS envelope only that key opens, never the plaintext.
    public struct Recipient: Sendable {
        public var attestationDocument: [UInt8]
        public init(attestationDocument: [UInt8]) { self.attestationDocument = attestationDocument }
    }

    public enum Decrypted: Sendable {
        case plaintext(SecureBytes)
        /// `CiphertextForRecipient`: open with the `RecipientKey` whose public key the document carries.
        case envelope([UInt8])
    }

    public func decrypt(keyID: String, ciphertextBlob: [UInt8], context: [(String, String)], recipient: Recipient? = nil) throws(KMSError) -> Decrypted {
        var fields: [(String, JSONValue)] = [
            ("KeyId", .string(keyID)), ("CiphertextBlob", .string(Data(ciphertextBlob).base64EncodedString())),
            ("EncryptionContext", .object(context.map { ($0.0, .string($0.1)) })),
        ]
        if let recipient {
            fields.append(("Recipient", .object([
                ("AttestationDocument", .string(Data(recipient.attestationDocument).base64EncodedString())),
                ("KeyEncryptionAlgorithm", .string("RSAES_OAEP_SHA_256")),
            ])))
        }
        let answer = try call("Decrypt", fields)
        if recipient != nil {
            let json = try SecretField.parse(answer)
            guard let envelope = Self.blob(json["CiphertextForRecipient"]) else {
                throw KMSError(.malformed, "Decrypt with a Recipient answered without CiphertextForRecipient")
            }
            return .envelope(envelope)
        }
        let (plaintext, _) = try SecretField.takeBase64("Plaintext", from: answer)
        return .plaintext(plaintext)
    }

    // MARK: Async

    /// Runs `body` on a thread of its own: KMS calls block for up to their timeout.
    public func run<Value: Sendable>(_ body: @escaping @Sendable (KMSClient) throws(KMSError) -> Value) async throws(KMSError) -> Value {
        try await Self.onOwnThread { () throws(KMSError) in try body(self) }
    }

    /// A client for `--kms-region`/`--kms-endpoint` (nil: the environment's),
    /// its credentials found on a thread of its own: the chain may wait on
    /// the instance metadata service.
    public static func connect(region: String?, endpoint: String?) async throws(KMSError) -> KMSClient {
        let configuration = try KMSConfiguration.resolve(region: region, endpoint: endpoint)
        return try await onOwnThread { () throws(KMSError) in try KMSClient(configuration: configuration) }
    }

    /// Runs `body`, which blocks on KMS, on a thread of its own.
    public static func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws(KMSError) -> Value) async throws(KMSError) -> Value {
        let result: Result<Value, KMSError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(KMSError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "waiaas-kms"
            thread.start()
        }
        return try result.get()
    }

    // MARK: Transport

    /// One operation, signed afresh for every attempt; retried with
    /// exponential back-off and full jitter only when the error is
    /// throttling, a retryable KMS server error, or no connection was made.
    func call(_ operation: String, _ fields: [(String, JSONValue)]) throws(KMSError) -> WipedBytes {
        let body = Array(JSONValue.object(fields).serialized().utf8)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try attemptCall(operation, body: body)
            } catch where error.isRetryable && attempt < configuration.maximumAttempts {
                let ceiling = configuration.baseDelayMilliseconds << (attempt - 1)
                sleep(Int.random(in: 0...ceiling))
            }
        }
    }

    private func attemptCall(_ operation: String, body: [UInt8]) throws(KMSError) -> WipedBytes {
        let headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "TrentService.\(operation)"),
        ]
        let request = SigV4Request(method: "POST", path: configuration.path, host: configuration.hostHeader, headers: headers, body: body)
        let signature = SigV4Signer(region: configuration.region, service: "kms").sign(request, credentials: credentials, time: clock())
        let response = try transport.send(method: "POST", url: configuration.url, headers: headers + signature.headers, body: body)
        guard response.status == 200 else { throw AWSErrorAnswer.error(operation: operation, status: response.status, body: response.body.bytes) }
        return response.body
    }

    static func text(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    static func texts(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(text)
    }

    static func blob(_ value: JSONValue?) -> [UInt8]? {
        guard case .string(let text)? = value, let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }
}
