/// The canonical encodings of the `reasons` and `outflows` columns (see
/// `LedgerChain` for the grammar). Stored as BLOBs and hashed verbatim, so
/// decoding is strict: a value decodes only if re-encoding gives it back.
enum CanonicalLists {
    static func encode(_ reasons: [LedgerReason]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + reasons.reduce(0) { $0 + 8 + $1.code.utf8.count + $1.message.utf8.count })
        appendU32(&out, reasons.count)
        for reason in reasons {
            appendBytes(&out, Array(reason.code.utf8))
            appendBytes(&out, Array(reason.message.utf8))
        }
        return out
    }

    static func encode(_ outflows: [LedgerOutflow]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + outflows.reduce(0) { $0 + 12 + $1.asset.count })
        appendU32(&out, outflows.count)
        for outflow in outflows {
            appendBytes(&out, outflow.asset)
            appendU64(&out, outflow.amount)
        }
        return out
    }

    static func decodeReasons(_ bytes: [UInt8]) throws(LedgerError) -> [LedgerReason] {
        var reader = CanonicalReader(bytes)
        let count = try reader.u32()
        var reasons: [LedgerReason] = []
        for _ in 0..<count {
            let code = try reader.text()
            let message = try reader.text()
            reasons.append(LedgerReason(code: code, message: message))
        }
        try reader.expectEnd()
        return reasons
    }

    static func decodeOutflows(_ bytes: [UInt8]) throws(LedgerError) -> [LedgerOutflow] {
        var reader = CanonicalReader(bytes)
        let count = try reader.u32()
        var outflows: [LedgerOutflow] = []
        for _ in 0..<count {
            let asset = try reader.bytes()
            guard asset.isEmpty || asset.count == 32 else {
                throw LedgerError(.corrupt, "an outflow's asset is \(asset.count) bytes (want 0 or 32)")
            }
            outflows.append(LedgerOutflow(asset: asset, amount: try reader.u64()))
        }
        try reader.expectEnd()
        return outflows
    }

    private static func appendU32(_ out: inout [UInt8], _ value: Int) {
        let v = UInt32(truncatingIfNeeded: value)
        out.append(UInt8(v >> 24))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    private static func appendU64(_ out: inout [UInt8], _ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    private static func appendBytes(_ out: inout [UInt8], _ bytes: [UInt8]) {
        appendU32(&out, bytes.count)
        out.append(contentsOf: bytes)
    }
}


/// Reads the canonical encoding, refusing anything that runs past the end.
private struct CanonicalReader {
    private let input: [UInt8]
    private var offset = 0

    init(_ input: [UInt8]) { self.input = input }

    mutating func u32() throws(LedgerError) -> UInt32 {
        guard input.count - offset >= 4 else { throw LedgerError(.corrupt, "truncated length at byte \(offset)") }
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(input[offset + i]) }
        offset += 4
        return value
    }

    mutating func u64() throws(LedgerError) -> UInt64 {
        guard input.count - offset >= 8 else { throw LedgerError(.corrupt, "truncated amount at byte \(offset)") }
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(input[offset + i]) }
        offset += 8
        return value
    }

    mutating func bytes() throws(LedgerError) -> [UInt8] {
        let start = offset
        let length = Int(try u32())
        guard input.count - offset >= length else {
            throw LedgerError(.corrupt, "length \(length) at byte \(start) runs past the end")
        }
        defer { offset += length }
        return Array(input[offset..<offset + length])
    }

    mutating func text() throws(LedgerError) -> String {
        let start = offset
        let raw = try bytes()
        guard let text = strictUTF8(raw) else {
            throw LedgerError(.corrupt, "text at byte \(start) is not valid UTF-8")
        }
        return text
    }

    func expectEnd() throws(LedgerError) {
        guard offset == input.count else {
            throw LedgerError(.corrupt, "\(input.count - offset) trailing bytes")
        }
    }
}

/// The string these bytes spell, or nil when they are not valid UTF-8
/// (decoding with replacement and comparing keeps this portable to
/// toolchains without `String(validating:)`).
func strictUTF8(_ bytes: [UInt8]) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.utf8.elementsEqual(bytes) ? text : nil
}
