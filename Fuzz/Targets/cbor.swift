// Fuzz target `cbor`: the strict CBOR decoder (Sources/WaiaasAttestation/CBOR)
// and the readers attacker-supplied documents reach before any signature is
// checked: COSE_Sign1, the Nitro attestation document payload, and the NSM
// response. Also with a small depth and size bound, so the limits are hit.
//
// Checked: nothing traps; whatever decodes re-encodes (shortest form) to
// bytes that decode to the same item; an item decoded under tighter limits
// decodes the same under the default ones.
@testable import WaiaasAttestation

private let tight = CBORDecoder(maximumSize: 1024, maximumDepth: 3)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    let decoder = CBORDecoder()
    if let item = try? decoder.decode(bytes) {
        let encoded = CBOREncoder.encode(item)
        fuzzCheck(encoded.count <= bytes.count, "shortest encoding (\(encoded.count) bytes) longer than the input (\(bytes.count))")
        let again = try? decoder.decode(encoded)
        fuzzCheck(again == item, "decode(encode(x)) != x")
        _ = item.int64Value
        _ = item[text: "module_id"]
    }
    if let item = try? tight.decode(bytes) {
        fuzzCheck((try? decoder.decode(bytes)) == item, "decodes under tight limits but not the same under the defaults")
    }

    if let cose = try? COSESign1(decoding: bytes) {
        _ = try? NitroAttestationDocument(payload: cose.payload)
    }
    _ = try? NitroAttestationDocument(payload: bytes)
    _ = try? NSMMessages.attestationDocument(fromResponse: bytes)
    return 0
}
