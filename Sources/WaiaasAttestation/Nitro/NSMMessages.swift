/// The NSM's request and response messages: CBOR in serde's externally
/// tagged enum encoding (aws-nitro-enclaves-nsm-api `src/api/mod.rs`).
enum NSMMessages {
    /// `{"Attestation": {"user_data": …, "nonce": …, "public_key": …}}`.
    /// Absent fields are omitted rather than sent as null: the device is
    /// reported to refuse nulls, and omission is accepted either way.
    static func attestationRequest(userData: [UInt8]?, nonce: [UInt8]?, publicKey: [UInt8]?) -> [UInt8] {
        var fields: [CBOR.Pair] = []
        if let userData { fields.append(.init(.text("user_data"), .bytes(userData))) }
        if let nonce { fields.append(.init(.text("nonce"), .bytes(nonce))) }
        if let publicKey { fields.append(.init(.text("public_key"), .bytes(publicKey))) }
        return CBOREncoder.encode(.map([.init(.text("Attestation"), .map(fields))]))
    }

    /// The document from `{"Attestation": {"document": bstr}}`; the device's
    /// `{"Error": "<name>"}` becomes `.deviceError`.
    static func attestationDocument(fromResponse bytes: [UInt8]) throws(AttestationError) -> [UInt8] {
        let item: CBOR
        do { item = try CBORDecoder().decode(bytes) } catch { throw .nsmMalformed(error.message) }
        guard let pairs = item.mapValue, pairs.count == 1 else { throw .nsmMalformed("not a one-entry map") }
        if let error = item[text: "Error"] {
            throw AttestationError(.nsmDeviceError, "the NSM refused the request: \(error.textValue ?? "unnamed error")")
        }
        guard let body = item[text: "Attestation"] else { throw .nsmMalformed("not an Attestation response") }
        guard let document = body[text: "document"]?.bytesValue, !document.isEmpty else {
            throw .nsmMalformed("no document")
        }
        return document
    }
}
