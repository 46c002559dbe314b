import WaiaasSolana

/// Transactions the daemon tests sign.
enum DaemonFixtures {
    /// A legacy System transfer of `lamports` from `agent`, which pays the fee.
    static func transferMessage(from agent: PublicKey, lamports: UInt64) -> Message {
        var data: [UInt8] = [2, 0, 0, 0]
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: lamports >> (8 * UInt64(i)))) }
        return Message(
            version: .legacy, header: MessageHeader(numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 1),
            accountKeys: [agent, PublicKey(bytes: [UInt8](repeating: 7, count: 32))!, ProgramIds.system],
            recentBlockhash: PublicKey(bytes: [UInt8](repeating: 9, count: 32))!,
            instructions: [CompiledInstruction(programIdIndex: 2, accounts: [0, 1], data: data)])
    }
}
