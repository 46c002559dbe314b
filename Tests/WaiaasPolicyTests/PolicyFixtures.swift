import WaiaasProto
@testable import WaiaasPolicy
import WaiaasSolana

let agent = key(1)
let alice = key(2)
let bob = key(3)
let usdc = key(40)
let agentUSDC = key(41)
let lamportsPerSOL: UInt64 = 1_000_000_000

/// 1 SOL per transaction, 5 SOL per 24 h, 2 SOL per hour; USDC 100 per tx.
func basePolicy(_ edit: (inout Policy) -> Void = { _ in }) -> CompiledPolicy {
    var policy = Policy(
        format: 1, name: "test",
        assets: [
            AssetRule(mint: [], symbol: "SOL", decimals: 9, perTransaction: Amount(value: lamportsPerSOL),
                      windows: [WindowLimit(seconds: 86_400, amount: 5 * lamportsPerSOL), WindowLimit(seconds: 3_600, amount: 2 * lamportsPerSOL)]),
            AssetRule(mint: usdc.bytes, symbol: "USDC", decimals: 6, perTransaction: Amount(value: 100_000_000)),
        ],
        programs: ProgramRule(includeDefaults: true))
    edit(&policy)
    return try! CompiledPolicy(policy)
}

let noon: UInt64 = 1_767_268_800_000  // 2026-01-01T12:00:00Z

func evaluate(_ policy: CompiledPolicy?, _ instructions: [Instruction], payer: PublicKey = agent, book: SpendingBook = SpendingBook(horizonSeconds: 86_400), now: UInt64 = noon) throws -> PolicyEvaluation {
    let effects = try Build.effects(payer: payer, signer: agent, instructions)
    return PolicyEngine.evaluate(policy: policy, subject: .transaction(effects), agent: agent, book: book, nowMilliseconds: now)
}

extension PolicyEvaluation {
    var codes: [String] { reasons.map(\.code.rawValue) }
}
