/// A COSE_Sign1 message (RFC 8152 section 4.2) as the NSM produces it:
/// `[protected: bstr, unprotected: map, payload: bstr, signature: bstr]`,
/// with or without CBOR tag 18 (real NSM documents are untagged).
struct COSESign1: Sendable {
    /// COSE algorithm -35: ECDSA with SHA-384 (RFC 8152 table 5).
    static let es384: Int64 = -35
    static let tag: UInt64 = 18

    /// The serialized protected header, exactly as signed.
    let protectedHeader: [UInt8]
    let algorithm: Int64?
    let payload: [UInt8]
    let signature: [UInt8]

    init(decoding bytes: [UInt8], decoder: CBORDecoder = CBORDecoder()) throws(AttestationError) {
        var item: CBOR
        do { item = try decoder.decode(bytes) } catch { throw error.within("not a COSE_Sign1 document") }
        if case .tagged(let tag, let inner) = item {
            guard tag == Self.tag else { throw .cose("tag \(tag) is not COSE_Sign1 (18)") }
            item = inner
        }
        guard let parts = item.arrayValue, parts.count == 4 else { throw .cose("not a four-element array") }
        guard let protectedHeader = parts[0].bytesValue else { throw .cose("protected header is not a byte string") }
        guard let unprotected = parts[1].mapValue else { throw .cose("unprotected header is not a map") }
        // A detached payload (nil) would let the caller pick the signed bytes.
        guard let payload = parts[2].bytesValue else { throw .cose("payload is not an attached byte string") }
        guard let signature = parts[3].bytesValue else { throw .cose("signature is not a byte string") }

        let header: CBOR
        do { header = try decoder.decode(protectedHeader) } catch { throw .cose("protected header is not CBOR: \(error.message)") }
        guard let headerPairs = header.mapValue else { throw .cose("protected header is not a map") }
        // The algorithm must be protected (signed); one in the unprotected
        // bucket could be swapped without breaking the signature.
        if unprotected.contains(where: { $0.key == .unsigned(1) }) {
            throw .cose("algorithm in the unprotected header")
        }
        // "crit" (label 2) names headers we would have to understand.
        if headerPairs.contains(where: { $0.key == .unsigned(2) }) {
            throw .cose("critical headers are not supported")
        }
        self.protectedHeader = protectedHeader
        self.algorithm = header[.unsigned(1)]?.int64Value
        self.payload = payload
        self.signature = signature
    }

    /// Sig_structure for COSE_Sign1 with empty external AAD: the bytes the
    /// signature covers.
    var signedBytes: [UInt8] {
        CBOREncoder.encode(.array([.text("Signature1"), .bytes(protectedHeader), .bytes([]), .bytes(payload)]))
    }
}
