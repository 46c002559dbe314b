// Fuzz target `json`: the strict JSON reader (JSONValue.parse in
// Sources/WaiaasSolana/JSON) that reads every answer a Solana node sends,
// which is input the daemon does not control.
//
// Checked: nothing traps; what parses writes back to text that parses to
// the same value, compact and pretty; and the value's own text is no longer
// than a small multiple of the input (no blow-up from escapes).
import WaiaasSolana

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let compact = value.serialized()
    fuzzCheck(compact.utf8.count <= 6 * bytes.count + 2, "the value's text is far longer than its input")
    for text in [compact, value.serialized(pretty: true)] {
        guard let again = try? JSONValue.parse(Array(text.utf8)) else {
            fuzzCheck(false, "the writer's output does not parse: \(text.prefix(200))")
            return 0
        }
        fuzzCheck(again == value, "the value changed through the writer")
    }
    return 0
}
