import Foundation
import WaiaasProto
import WaiaasSolana

/// What is to be signed, as the policy sees it.
public enum PolicySubject: Sendable {
    /// A decoded transaction's effects for the agent key.
    case transaction(EffectsSummary)
    /// A parsed off-chain message.
    case offchainMessage(OffchainMessage)
}

public enum PolicyDecision: String, Sendable {
    case allow
    case deny
    case approvalRequired = "approval_required"
}

/// The engine's answer: the decision, every reason that applies, and what the
/// request counts against the windows when it is signed.
public struct PolicyEvaluation: Sendable {
    public var decision: PolicyDecision
    public var reasons: [PolicyReason]
    /// Per asset, what leaves the agent (fees included in SOL when it pays them).
    public var outflows: [AssetKey: UInt64]
    public var maxFeeLamports: UInt64
}

/// The policy as one pure function: (policy, request, spending so far, time)
/// → decision with reasons. No I/O, no clock, no randomness: the same inputs
/// always give the same answer, which is what makes replay possible.
public enum PolicyEngine {
    public static func evaluate(
        policy: CompiledPolicy?, subject: PolicySubject, agent: PublicKey, book: SpendingBook, nowMilliseconds now: UInt64,
        payment: X402Payment? = nil
    ) -> PolicyEvaluation {
        var reasons: [PolicyReason] = []
        var outflows: [AssetKey: UInt64] = [:]
        var maxFee: UInt64 = 0
        guard let policy else {
            reasons.append(PolicyReason(.deny, .noPolicy, "no policy is in force: the owner has not set one, and the default is to deny"))
            return PolicyEvaluation(decision: .deny, reasons: reasons, outflows: [:], maxFeeLamports: 0)
        }

        checkValidity(policy, now: now, into: &reasons)
        checkHours(policy, now: now, into: &reasons)

        switch subject {
        case .transaction(let effects):
            maxFee = effects.signerIsFeePayer ? effects.maxFeeLamports : 0
            TransactionRules.check(policy, effects, agent: agent, book: book, now: now, reasons: &reasons, outflows: &outflows)
            if let payment { X402Rules.check(policy, effects, payment, agent: agent, reasons: &reasons) }
        case .offchainMessage(let message):
            checkOffchain(policy, message, agent: agent, into: &reasons)
        }

        checkRate(policy, book: book, now: now, into: &reasons)

        let decision: PolicyDecision
        if reasons.contains(where: { $0.effect == .deny }) {
            decision = .deny
        } else if reasons.contains(where: { $0.effect == .approval }) {
            decision = .approvalRequired
        } else {
            decision = .allow
            reasons.append(PolicyReason(.allow, .withinPolicy, allowSentence(policy, outflows: outflows)))
        }
        return PolicyEvaluation(decision: decision, reasons: reasons, outflows: outflows, maxFeeLamports: maxFee)
    }

    private static func allowSentence(_ policy: CompiledPolicy, outflows: [AssetKey: UInt64]) -> String {
        let moved = outflows.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { policy.text($0.value, of: $0.key) }
        return moved.isEmpty ? "nothing leaves the wallet; every rule is met" : "sends \(moved.joined(separator: ", ")) within every limit"
    }

    static func checkValidity(_ policy: CompiledPolicy, now: UInt64, into reasons: inout [PolicyReason]) {
        guard let validity = policy.policy.validity else { return }
        let seconds = now / 1000
        if validity.notBefore != 0, seconds < validity.notBefore {
            reasons.append(PolicyReason(.deny, .policyNotYetValid, "the policy applies from \(iso(validity.notBefore)); it is now \(iso(seconds))"))
        }
        if validity.notAfter != 0, seconds >= validity.notAfter {
            reasons.append(PolicyReason(.deny, .policyExpired, "the policy applied until \(iso(validity.notAfter)); it is now \(iso(seconds))"))
        }
    }

    static func checkHours(_ policy: CompiledPolicy, now: UInt64, into reasons: inout [PolicyReason]) {
        guard !policy.hours.isEmpty else { return }
        let date = Date(timeIntervalSince1970: Double(now) / 1000)
        var described: [String] = []
        for rule in policy.hours {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = rule.timeZone
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            // Calendar weekday: 1 = Sunday … 7 = Saturday; ISO: 1 = Monday … 7 = Sunday.
            let isoDay = UInt32(((parts.weekday ?? 1) + 5) % 7 + 1)
            let minute = UInt32((parts.hour ?? 0) * 60 + (parts.minute ?? 0))
            let dayOK = rule.weekdays.isEmpty || rule.weekdays.contains(isoDay)
            let inRange = rule.startMinute < rule.endMinute
                ? (minute >= rule.startMinute && minute < rule.endMinute)
                : (minute >= rule.startMinute || minute < rule.endMinute)  // spans midnight
            if dayOK && inRange { return }
            described.append("\(clock(rule.startMinute))–\(clock(rule.endMinute)) \(rule.timeZone.identifier)\(rule.weekdays.isEmpty ? "" : " on days \(rule.weekdays.sorted().map(String.init).joined(separator: ","))") (now \(clock(minute)) on day \(isoDay))")
        }
        reasons.append(PolicyReason(.deny, .outsideActiveHours, "signing is allowed only \(described.joined(separator: " or "))"))
    }

    static func checkOffchain(_ policy: CompiledPolicy, _ message: OffchainMessage, agent: PublicKey, into reasons: inout [PolicyReason]) {
        let rule = policy.offchain
        guard rule.allowed else {
            reasons.append(PolicyReason(.deny, .offchainNotAllowed, "the policy does not allow signing off-chain messages"))
            return
        }
        if !message.signers.contains(agent) {
            reasons.append(PolicyReason(.deny, .offchainAgentNotSigner, "the off-chain message does not name the agent \(agent.base58) among its signers"))
        }
        if !rule.allowedPrefixes.isEmpty, !rule.allowedPrefixes.contains(where: { message.text.hasPrefix($0) }) {
            reasons.append(PolicyReason(.deny, .offchainPrefixNotAllowed, "the message must begin with one of: \(rule.allowedPrefixes.map { "\"\($0)\"" }.joined(separator: ", "))"))
        }
        if !rule.allowedDomains.isEmpty, !rule.allowedDomains.contains(message.applicationDomain) {
            let shown = PublicKey(bytes: message.applicationDomain)?.base58 ?? "?"
            reasons.append(PolicyReason(.deny, .offchainDomainNotAllowed, "application domain \(shown) is not one the policy allows"))
        }
    }

    static func checkRate(_ policy: CompiledPolicy, book: SpendingBook, now: UInt64, into reasons: inout [PolicyReason]) {
        for limit in policy.rateLimits {
            let count = book.signatureCount(inLast: limit.seconds, now: now)
            if count + 1 > UInt64(limit.maxSignatures) {
                reasons.append(PolicyReason(.deny, .rateLimitExceeded(seconds: limit.seconds),
                    "\(count) signatures in the last \(AmountText.spokenDuration(limit.seconds)); the limit is \(limit.maxSignatures)"))
            }
        }
    }

    public static func iso(_ seconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    public static func clock(_ minute: UInt32) -> String {
        String(format: "%02d:%02d", minute / 60, minute % 60)
    }
}
