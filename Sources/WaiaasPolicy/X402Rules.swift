import WaiaasProto
import WaiaasSolana

/// An x402 payment as the daemon built it (`PayX402`): which facts are
/// checked against the transaction's own bytes is said per field. Never
/// taken from a Sign request: only the daemon's PayX402 path makes one.
public struct X402Payment: Sendable, Equatable {
    /// The wallet the requirements pay; the transfer's destination must be
    /// its associated token account (checked here against the bytes).
    public var payTo: PublicKey
    /// The resource's origin (`scheme://host[:port]`, lower case), as the
    /// agent named the resource: what the agent says, not a proven fact.
    public var origin: String
    public var mint: PublicKey
    public var tokenProgram: PublicKey
    public var amount: UInt64
    /// The facilitator that pays the fee (`extra.feePayer`).
    public var feePayer: PublicKey
    /// The fee payer is named by an instruction of the built transaction
    /// (computed from its bytes by the daemon).
    public var feePayerInInstructions: Bool

    public init(payTo: PublicKey, origin: String, mint: PublicKey, tokenProgram: PublicKey, amount: UInt64, feePayer: PublicKey, feePayerInInstructions: Bool) {
        self.payTo = payTo
        self.origin = origin
        self.mint = mint
        self.tokenProgram = tokenProgram
        self.amount = amount
        self.feePayer = feePayer
        self.feePayerInInstructions = feePayerInInstructions
    }
}

/// The policy's `x402` rule, compiled: the amounts converted with the
/// decimals of each asset rule.
public struct X402Limits: Sendable {
    public var payTo: Set<PublicKey>
    public var origins: Set<String>
    public var maxPerPayment: [AssetKey: UInt64]
    /// The rule's text, for assets the policy names no rule for (refused anyway).
    public var maxText: String

    init?(_ rule: X402Rule?, assets: [AssetKey: CompiledPolicy.AssetLimits], problems: inout [String]) {
        guard let rule else { return nil }
        payTo = []
        for bytes in rule.payTo {
            guard let key = PublicKey(bytes: bytes) else { problems.append("x402.pay_to: an address must be 32 bytes"); continue }
            payTo.insert(key)
        }
        origins = []
        for origin in rule.origins {
            guard let normal = X402Rules.origin(of: origin), normal == origin.lowercased() else {
                problems.append("x402.origins: \"\(origin)\" is not an origin such as https://api.example.com")
                continue
            }
            origins.insert(normal)
        }
        maxText = rule.maxPerPayment
        maxPerPayment = [:]
        if !rule.maxPerPayment.isEmpty {
            for (key, limits) in assets {
                do {
                    maxPerPayment[key] = try PolicyJSON.baseUnits(rule.maxPerPayment, decimals: limits.decimals, path: "$.x402.max_per_payment")
                } catch {
                    problems.append("x402.max_per_payment: \(error) (asset \(limits.symbol) has \(limits.decimals) decimals)")
                }
            }
        }
    }
}

public enum X402Rules {
    /// `scheme://host[:port]` of an http(s) URL, lower case; nil for anything
    /// else. The one spelling of an origin: the policy's `origins` and the
    /// payment's resource are both read with it, so they compare exactly.
    public static func origin(of url: String) -> String? {
        let lower = url.lowercased()
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard !authority.isEmpty, !authority.contains("@"),
                  authority.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }) else { return nil }
            return scheme + authority
        }
        return nil
    }

    /// The payment's own checks, with or without a rule, then the rule's.
    static func check(_ policy: CompiledPolicy, _ effects: EffectsSummary, _ payment: X402Payment, agent: PublicKey, reasons: inout [PolicyReason]) {
        // The facilitator's money must never move: it may pay the fee, nothing else.
        if payment.feePayer == agent || effects.signerIsFeePayer {
            reasons.append(PolicyReason(.deny, .x402FeePayerIsAgent, "the payment's fee payer \(payment.feePayer.base58) is the agent itself; x402 fees are the facilitator's"))
        }
        if payment.feePayerInInstructions {
            reasons.append(PolicyReason(.deny, .x402FeePayerInInstruction,
                "the facilitator's fee payer \(payment.feePayer.base58) is named by an instruction (as authority or account); only its fee-payer slot may name it"))
        }
        // The bytes must say what the payment says: one transfer of the amount to payTo's token account.
        let expected = ProgramAddress.associatedTokenAddress(wallet: payment.payTo, mint: payment.mint, tokenProgram: payment.tokenProgram)
        let moves = effects.outflows.filter { $0.asset != .sol || $0.amount != 0 }
        let matches = moves.count == 1 && moves[0].asset == .token(mint: payment.mint) && moves[0].amount == payment.amount
            && moves[0].destination != nil && moves[0].destination == expected
        if !matches {
            reasons.append(PolicyReason(.deny, .x402Mismatch, "the transaction does not move exactly \(payment.amount) base units of \(payment.mint.base58) to the token account of \(payment.payTo.base58)"))
        }
        guard let rule = policy.x402 else { return }
        if !rule.payTo.isEmpty, !rule.payTo.contains(payment.payTo) {
            reasons.append(PolicyReason(.deny, .x402PayToNotAllowed, "x402 payments may go to \(rule.payTo.map(\.base58).sorted().joined(separator: ", ")), not \(payment.payTo.base58)"))
        }
        if !rule.origins.isEmpty, !rule.origins.contains(payment.origin) {
            reasons.append(PolicyReason(.deny, .x402OriginNotAllowed, "x402 payments may be made for \(rule.origins.sorted().joined(separator: ", ")), not \(payment.origin)"))
        }
        if !rule.maxText.isEmpty {
            let asset = AssetKey.mint(payment.mint)
            if let cap = rule.maxPerPayment[asset] {
                if payment.amount > cap {
                    reasons.append(PolicyReason(.deny, .x402OverMaximum, "the payment of \(policy.text(payment.amount, of: asset)) is over x402.max_per_payment \(policy.text(cap, of: asset))"))
                }
            } else {
                reasons.append(PolicyReason(.deny, .x402OverMaximum, "x402.max_per_payment (\(rule.maxText)) has no asset rule for \(payment.mint.base58) to convert it with"))
            }
        }
    }
}
