// Fuzz target `policy`: the two ways a policy enters. The input is read as
// policy JSON (PolicyJSON.parse in Sources/WaiaasPolicy, what `waiaas policy
// sign` reads) and compiled; and as a serialized protobuf Policy
// (CompiledPolicy.decode, what SetPolicy accepts from the wire). A policy
// that compiles is also shown (PolicyText.json, PolicyText.explain).
//
// Checked: nothing traps; a JSON policy's protobuf encoding compiles exactly
// when the policy does; a JSON policy that compiles, shown as JSON, reads
// back to the same policy.
import Foundation
import WaiaasPolicy
import WaiaasProto

/// A compiled policy shown: as the CLI prints it, and as JSON. A policy
/// that came from JSON must read back from its JSON as the same policy
/// (`policy show` output is what an owner edits and signs again); one from
/// protobuf need not (JSON cannot say everything protobuf can, e.g. a
/// symbol for SOL), but showing it must not trap.
private func show(_ policy: Policy, fromJSON: Bool) {
    _ = PolicyText.explain(policy)
    let text = PolicyText.json(policy)
    guard fromJSON else {
        _ = try? PolicyJSON.parse(Data(text.utf8))
        return
    }
    let again: Policy
    do {
        again = try PolicyJSON.parse(Data(text.utf8))
    } catch {
        fuzzCheck(false, "a policy read from JSON and compiled, shown as JSON, does not read back: \(error)\n\(text)")
        return
    }
    fuzzCheck(again == policy, "a policy read from JSON and compiled, shown as JSON, reads back different:\n\(text)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = fuzzBytes(data, size)

    if let policy = try? PolicyJSON.parse(Data(bytes)) {
        let compiled = try? CompiledPolicy(policy)
        let decoded = try? CompiledPolicy.decode(policy.serializedBytes())
        fuzzCheck((compiled == nil) == (decoded == nil), "compiles from JSON: \(compiled != nil), from its protobuf encoding: \(decoded != nil)")
        if compiled != nil { show(policy, fromJSON: true) }
    }

    if let compiled = try? CompiledPolicy.decode(bytes) {
        _ = compiled.text(1_000_000, of: .sol)
        show(compiled.policy, fromJSON: false)
    }
    return 0
}
