/// Why bytes are not a Nitro attestation document this verifier accepts.
public enum NitroDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    case cbor(CBORError)
    case coseStructure(String)
    /// A payload field is missing, of the wrong type, or out of the range the
    /// AWS specification allows.
    case field(name: String, problem: String)

    public var description: String {
        switch self {
        case .cbor(let error): "not CBOR: \(error)"
        case .coseStructure(let problem): "not a COSE_Sign1 document: \(problem)"
        case .field(let name, let problem): "payload field \(name): \(problem)"
        }
    }
}
