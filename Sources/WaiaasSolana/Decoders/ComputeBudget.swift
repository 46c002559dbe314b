/// Compute Budget program (borsh: 1-byte tag, little-endian integers).
public enum ComputeBudgetInstruction: Sendable, Equatable {
    /// Tag 0, deprecated: units and an additional fee.
    case requestUnits(units: UInt32, additionalFee: UInt32)
    case requestHeapFrame(bytes: UInt32)
    case setComputeUnitLimit(units: UInt32)
    /// Micro-lamports per compute unit.
    case setComputeUnitPrice(microLamports: UInt64)
    case setLoadedAccountsDataSizeLimit(bytes: UInt32)

    static func decode(_ input: InstructionInput) throws(SolanaDecodeError) -> ComputeBudgetInstruction {
        var r = ByteReader(input.data)
        let tag = try r.readU8("compute budget tag")
        let ix: ComputeBudgetInstruction
        switch tag {
        case 0: ix = .requestUnits(units: try r.readU32LE("units"), additionalFee: try r.readU32LE("additional fee"))
        case 1: ix = .requestHeapFrame(bytes: try r.readU32LE("heap bytes"))
        case 2: ix = .setComputeUnitLimit(units: try r.readU32LE("units"))
        case 3: ix = .setComputeUnitPrice(microLamports: try r.readU64LE("micro-lamports"))
        case 4: ix = .setLoadedAccountsDataSizeLimit(bytes: try r.readU32LE("bytes"))
        default: throw SolanaDecodeError(.unknownInstruction, offset: 0, "compute budget tag \(tag)")
        }
        // Borsh's try_from_slice refuses trailing bytes, and so does the runtime here.
        try r.expectEnd("compute budget data")
        return ix
    }
}
