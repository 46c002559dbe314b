// The check program for the lang=swift fixture (test_swift_codegen.py):
// it is compiled together with the generated Kitchen module and answers one
// line per command on stdin.
//
//   build                      → ok <hex of a fully populated Everything>
//   names                      → ok <enum descriptions and proto names>
//   roundtrip <Type> <hex>     → ok <hex re-encoded> | error <ProtoError code>
import Kitchen

func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

func unhex(_ text: Substring) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        out.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return out
}

func roundTrip<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> String {
    do {
        return "ok " + hex(try M(serializedBytes: bytes).serializedBytes())
    } catch {
        return "error \(error.code.rawValue)"
    }
}

let everything = Everything(
    d: 1.5, f: 2.25, i64: -3, u64: .max, i32: -5, fx64: 6, fx32: 7, flag: true, text: "häagen", blob: [0, 255],
    u32: 11, color: .darkBlue, sfx32: -13, sfx64: -14, s32: -15, s64: -16, inner: Inner(label: "in"),
    manyI64: [1, -2, 3], manyFlags: [true, false, true], texts: ["a", "b"], blobs: [[], [1]],
    inners: [Inner(label: "x"), Inner(label: "y")], colors: [.red, Color(rawValue: 7)], manyD: [0.5, -0.25],
    manyS32: [-1, 2], labels: ["b": "2", "a": "1"], choice: .choiceInner(Inner(label: "ci")), requestID: "r-1",
    elapsedMilliseconds: 31, digestSHA256: [UInt8](repeating: 0x20, count: 32), default: true,
    nested: Everything_Nested(depth: 34))

while let line = readLine() {
    let words = line.split(separator: " ")
    switch words.first {
    case "build":
        print("ok " + hex(everything.serializedBytes()))
    case "names":
        let names = [Color.darkBlue.description, Color(rawValue: 9).description, Color.red.protoValueName ?? "nil",
                     Color(rawValue: -1).protoValueName ?? "nil", "\(Color(rawValue: -1).isKnown)", KitchenMethod.cook.rawValue]
        print("ok " + names.joined(separator: " "))
    case "roundtrip" where words.count >= 2:
        let bytes = words.count > 2 ? unhex(words[2]) : []
        switch words[1] {
        case "Everything": print(roundTrip(Everything.self, bytes))
        case "Inner": print(roundTrip(Inner.self, bytes))
        case "Rule": print(roundTrip(Rule.self, bytes))
        case "Nested": print(roundTrip(Everything_Nested.self, bytes))
        default: print("error no_such_type")
        }
    default:
        print("error bad_command")
    }
}
