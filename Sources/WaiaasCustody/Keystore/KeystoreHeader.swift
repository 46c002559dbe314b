internal import WaiaasSolana

/// The parsed keystore file; see `Keystore` for the format. Everything here
/// is public information: the seed exists only inside `ciphertext`.
struct KeystoreHeader: Equatable {
    static let format = "waiaas-keystore-v1"
    static let cipher = "xchacha20poly1305-ietf"
    static let kdfAlgorithm = "argon2id13"
    static let nonceCount = 24
    static let saltCount = 16
    static let tagCount = 16
    static let ciphertextCount = Ed25519.seedCount + tagCount

    struct KDF: Equatable {
        var parameters: Argon2Parameters
        var salt: [UInt8]
    }

    /// For an `aws-kms` KEK: which KMS key, and the data key it sealed.
    struct KMS: Equatable {
        var keyID: String
        var encryptedDataKey: [UInt8]
    }

    var publicKey: [UInt8]
    var kek: KEKKind
    var kdf: KDF?
    var kms: KMS? = nil
    var nonce: [UInt8]
    var ciphertext: [UInt8]

    /// The AEAD associated data: every clear field that says what the sealed
    /// bytes are and how to open them, so editing any of them (or moving the
    /// ciphertext under another header) fails authentication. Canonical and
    /// independent of JSON spelling: each field is a 4-byte little-endian
    /// length then its bytes, in this order: format, public key (32 raw
    /// bytes), kek kind, cipher, then for a passphrase KEK the KDF algorithm,
    /// opslimit and memlimit (8-byte little-endian each) and salt; for an
    /// AWS KMS data key the KMS key id and the encrypted data key; for a dev
    /// file one empty field instead.
    func associatedData() -> [UInt8] {
        var out: [UInt8] = []
        func field(_ bytes: [UInt8]) {
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        func integer(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        field(Array(Self.format.utf8))
        field(publicKey)
        field(Array(kek.rawValue.utf8))
        field(Array(Self.cipher.utf8))
        if let kdf {
            field(Array(Self.kdfAlgorithm.utf8))
            field(integer(kdf.parameters.opsLimit))
            field(integer(UInt64(kdf.parameters.memLimit)))
            field(kdf.salt)
        } else if let kms {
            field(Array(kms.keyID.utf8))
            field(kms.encryptedDataKey)
        } else {
            field([])
        }
        return out
    }

    /// The file's bytes: indented JSON, keys in a fixed order, a final newline.
    func json() -> [UInt8] {
        var lines = [
            "{",
            "  \"format\": \"\(Self.format)\",",
            "  \"publicKey\": \"\(Base58.encode(publicKey))\",",
            "  \"kek\": \"\(kek.rawValue)\",",
        ]
        if let kdf {
            lines += [
                "  \"kdf\": {",
                "    \"algorithm\": \"\(Self.kdfAlgorithm)\",",
                "    \"opslimit\": \(kdf.parameters.opsLimit),",
                "    \"memlimit\": \(kdf.parameters.memLimit),",
                "    \"salt\": \"\(Base64.encode(kdf.salt))\"",
                "  },",
            ]
        }
        if let kms {
            lines += [
                "  \"kms\": {",
                "    \"keyId\": \"\(kms.keyID)\",",
                "    \"encryptedDataKey\": \"\(Base64.encode(kms.encryptedDataKey))\"",
                "  },",
            ]
        }
        lines += [
            "  \"cipher\": \"\(Self.cipher)\",",
            "  \"nonce\": \"\(Base64.encode(nonce))\",",
            "  \"ciphertext\": \"\(Base64.encode(ciphertext))\"",
            "}",
        ]
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Parses and checks a keystore file. Structure problems are
    /// `truncated`/`unsupportedFormat`; a known field holding an impossible
    /// value (wrong length, not base58) is `tampered`.
    static func parse(_ bytes: [UInt8]) throws(KeystoreError) -> KeystoreHeader {
        guard !bytes.isEmpty else { throw KeystoreError(.truncated, "the keystore file is empty") }
        guard case .object(let root) = try StrictJSON.parse(bytes) else {
            throw KeystoreError(.unsupportedFormat, "the keystore is not a JSON object")
        }
        // The version first: a newer format deserves that message, not a field complaint.
        guard case .string(let format)? = root["format"] else {
            throw KeystoreError(.unsupportedFormat, "no \"format\" string: not a WAIaaS keystore")
        }
        guard format == Self.format else {
            throw KeystoreError(.unsupportedFormat, "keystore format \"\(format)\" is not supported (expected \"\(Self.format)\")")
        }
        let kekName = try string(root, "kek")
        guard let kek = KEKKind(rawValue: kekName) else {
            throw KeystoreError(.unsupportedFormat, "unknown key-encryption key kind \"\(kekName)\"")
        }
        var expectedKeys: Set<String> = ["format", "publicKey", "kek", "cipher", "nonce", "ciphertext"]
        if kek == .passphrase { expectedKeys.insert("kdf") }
        if kek == .awsKMS { expectedKeys.insert("kms") }
        try requireKeys(root, expectedKeys, in: "the keystore")

        let cipher = try string(root, "cipher")
        guard cipher == Self.cipher else {
            throw KeystoreError(.unsupportedFormat, "cipher \"\(cipher)\" is not supported (expected \"\(Self.cipher)\")")
        }
        guard let publicKey = Base58.decode(try string(root, "publicKey")), publicKey.count == Ed25519.publicKeyCount else {
            throw KeystoreError(.tampered, "\"publicKey\" is not a base58 32-byte key")
        }
        let nonce = try base64(root, "nonce", count: nonceCount)
        let ciphertext = try base64(root, "ciphertext", count: ciphertextCount)
        var kdf: KDF?
        if kek == .passphrase {
            kdf = try parseKDF(root["kdf"])
        }
        var kms: KMS?
        if kek == .awsKMS {
            kms = try parseKMS(root["kms"])
        }
        return KeystoreHeader(publicKey: publicKey, kek: kek, kdf: kdf, kms: kms, nonce: nonce, ciphertext: ciphertext)
    }

    private static func parseKMS(_ value: StrictJSON.Value?) throws(KeystoreError) -> KMS {
        guard case .object(let kms)? = value else {
            throw KeystoreError(.unsupportedFormat, "\"kms\" is not an object")
        }
        try requireKeys(kms, ["keyId", "encryptedDataKey"], in: "\"kms\"")
        let keyID = try string(kms, "keyId")
        guard KMSDataKey.isAcceptableKeyID(keyID) else {
            throw KeystoreError(.tampered, "\"keyId\" is not a KMS key id (1 to 2048 letters, digits and :/_-.)")
        }
        guard let blob = Base64.decode(try string(kms, "encryptedDataKey")), (1...KMSDataKey.maximumEncryptedCount).contains(blob.count) else {
            throw KeystoreError(.tampered, "\"encryptedDataKey\" is not 1 to \(KMSDataKey.maximumEncryptedCount) bytes of base64")
        }
        return KMS(keyID: keyID, encryptedDataKey: blob)
    }

    private static func parseKDF(_ value: StrictJSON.Value?) throws(KeystoreError) -> KDF {
        guard case .object(let kdf)? = value else {
            throw KeystoreError(.unsupportedFormat, "\"kdf\" is not an object")
        }
        try requireKeys(kdf, ["algorithm", "opslimit", "memlimit", "salt"], in: "\"kdf\"")
        let algorithm = try string(kdf, "algorithm")
        guard algorithm == kdfAlgorithm else {
            throw KeystoreError(.unsupportedFormat, "KDF \"\(algorithm)\" is not supported (expected \"\(kdfAlgorithm)\")")
        }
        guard case .integer(let ops)? = kdf["opslimit"], case .integer(let mem)? = kdf["memlimit"],
              mem <= UInt64(Int.max)
        else {
            throw KeystoreError(.unsupportedFormat, "\"opslimit\" and \"memlimit\" must be unsigned integers")
        }
        let parameters = Argon2Parameters(opsLimit: ops, memLimit: Int(mem))
        guard parameters.isAcceptable else {
            throw KeystoreError(.unsupportedFormat, "Argon2 parameters out of range (opslimit \(ops), memlimit \(mem))")
        }
        return KDF(parameters: parameters, salt: try base64(kdf, "salt", count: saltCount))
    }

    private static func requireKeys(_ object: [String: StrictJSON.Value], _ keys: Set<String>, in place: String) throws(KeystoreError) {
        let present = Set(object.keys)
        if let missing = keys.subtracting(present).sorted().first {
            throw KeystoreError(.unsupportedFormat, "\(place) has no \"\(missing)\"")
        }
        if let extra = present.subtracting(keys).sorted().first {
            throw KeystoreError(.unsupportedFormat, "\(place) has an unknown field \"\(extra)\"")
        }
    }

    private static func string(_ object: [String: StrictJSON.Value], _ key: String) throws(KeystoreError) -> String {
        guard case .string(let text)? = object[key] else {
            throw KeystoreError(.unsupportedFormat, "\"\(key)\" is missing or not a string")
        }
        return text
    }

    private static func base64(_ object: [String: StrictJSON.Value], _ key: String, count: Int) throws(KeystoreError) -> [UInt8] {
        guard let bytes = Base64.decode(try string(object, key)), bytes.count == count else {
            throw KeystoreError(.tampered, "\"\(key)\" is not \(count) bytes of base64")
        }
        return bytes
    }
}
