import Foundation
import WaiaasProto
import WaiaasSolana

/// A policy back in the JSON people write (docs/POLICY.md), and in plain words.
public enum PolicyText {
    public static func json(_ policy: Policy) -> String { jsonValue(policy).serialized() }

    /// The policy as the JSON people write, keys in the order docs/POLICY.md gives them.
    public static func jsonValue(_ policy: Policy) -> JSONValue {
        var fields: [(String, JSONValue)] = [("format", .uint(UInt64(policy.format)))]
        if !policy.name.isEmpty { fields.append(("name", .string(policy.name))) }
        fields.append(("assets", .array(policy.assets.map(asset))))
        if let programs = policy.programs {
            fields.append(("programs", .object([
                ("include_defaults", .bool(programs.includeDefaults)), ("allow", keys(programs.allowed)),
                ("unlisted", .string(programs.unlisted == .approval ? "approval" : "deny")),
            ])))
        }
        if let c = policy.control {
            var control: [(String, JSONValue)] = [
                ("allow_assign", .bool(c.allowAssign)), ("allow_allocate", .bool(c.allowAllocate)),
                ("allow_token_approve", .bool(c.allowTokenApprove)), ("allow_set_authority", .bool(c.allowSetAuthority)),
                ("allow_close_to_foreign", .bool(c.allowCloseToForeign)), ("allow_nonce_authority_change", .bool(c.allowNonceAuthorityChange)),
            ]
            if !c.allowInstructions.isEmpty { control.append(("allow_instructions", .array(c.allowInstructions.map(JSONValue.string)))) }
            fields.append(("control", .object(control)))
        }
        fields.append(("allow_durable_nonce", .bool(policy.allowDurableNonce)))
        if policy.simulate { fields.append(("simulate", .bool(true))) }
        if let p = policy.propose {
            var parts: [(String, JSONValue)] = []
            if let r = p.rate { parts.append(("rate_limit", .object([("period", .string(AmountText.duration(r.seconds))), ("max_proposals", .uint(UInt64(r.maxProposals)))]))) }
            if let programs = p.programs {
                parts.append(("programs", .object([("include_defaults", .bool(programs.includeDefaults)), ("allow", keys(programs.allowed))])))
            }
            if let max = p.maxLamports { parts.append(("max_sol", units(max.value, decimals: 9))) }
            fields.append(("propose", .object(parts)))
        }
        if let o = policy.offchain {
            fields.append(("offchain", .object([
                ("allowed", .bool(o.allowed)), ("prefixes", .array(o.allowedPrefixes.map(JSONValue.string))), ("domains", keys(o.allowedDomains)),
            ])))
        }
        if let fee = policy.maxFeeLamports { fields.append(("max_fee", units(fee.value, decimals: 9))) }
        if !policy.rateLimits.isEmpty {
            fields.append(("rate_limits", .array(policy.rateLimits.map {
                .object([("period", .string(AmountText.duration($0.seconds))), ("max_signatures", .uint(UInt64($0.maxSignatures)))])
            })))
        }
        if let v = policy.validity {
            var parts: [(String, JSONValue)] = []
            if v.notBefore != 0 { parts.append(("not_before", .string(PolicyEngine.iso(v.notBefore)))) }
            if v.notAfter != 0 { parts.append(("not_after", .string(PolicyEngine.iso(v.notAfter)))) }
            fields.append(("validity", .object(parts)))
        }
        if !policy.activeHours.isEmpty {
            let days = ["", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            fields.append(("active_hours", .array(policy.activeHours.map { h in
                .object([
                    ("time_zone", .string(h.timeZone)), ("weekdays", .array(h.weekdays.map { .string(days[Int(min($0, 7))]) })),
                    ("from", .string(PolicyEngine.clock(h.startMinute))), ("to", .string(PolicyEngine.clock(h.endMinute))),
                ])
            })))
        }
        if let d = policy.destinations {
            fields.append(("destinations", .object([("allow", keys(d.allow)), ("deny", keys(d.deny))])))
        }
        if let f = policy.freezeAfter {
            fields.append(("freeze_after", .object([("denials", .uint(UInt64(f.denials))), ("within", .string(AmountText.duration(f.seconds)))])))
        }
        if let x = policy.x402 {
            var parts: [(String, JSONValue)] = [("pay_to", keys(x.payTo)), ("origins", .array(x.origins.map(JSONValue.string)))]
            if !x.maxPerPayment.isEmpty { parts.append(("max_per_payment", .string(x.maxPerPayment))) }
            fields.append(("x402", .object(parts)))
        }
        return .object(fields)
    }

    static func asset(_ rule: AssetRule) -> JSONValue {
        var parts: [(String, JSONValue)] = rule.mint.isEmpty
            ? [("asset", .string("SOL"))]
            : [("mint", .string(key(rule.mint))), ("decimals", .uint(UInt64(rule.decimals)))]
        if !rule.symbol.isEmpty, !rule.mint.isEmpty { parts.append(("symbol", .string(rule.symbol))) }
        let decimals = rule.mint.isEmpty ? 9 : rule.decimals
        if let p = rule.perTransaction { parts.append(("per_transaction", units(p.value, decimals: decimals))) }
        if !rule.windows.isEmpty {
            parts.append(("windows", .array(rule.windows.map {
                .object([("period", .string(AmountText.duration($0.seconds))), ("limit", units($0.amount, decimals: decimals))])
            })))
        }
        if let a = rule.approvalThreshold { parts.append(("approval_threshold", units(a.value, decimals: decimals))) }
        return .object(parts)
    }

    /// An amount as the decimal string policies write ("0.1").
    static func units(_ value: UInt64, decimals: UInt32) -> JSONValue {
        .string(AmountText.decimal(value, decimals: decimals))
    }

    static func keys(_ keys: [[UInt8]]) -> JSONValue { .array(keys.map { .string(key($0)) }) }

    /// What the policy allows, one sentence a line.
    public static func explain(_ policy: Policy) -> String {
        var lines: [String] = []
        if !policy.name.isEmpty { lines.append("\"\(policy.name)\"") }
        if policy.assets.isEmpty { lines.append("- No asset may leave the wallet (fees included): only transactions that move nothing can be signed.") }
        for rule in policy.assets {
            let symbol = rule.mint.isEmpty ? "SOL" : (rule.symbol.isEmpty ? key(rule.mint) : "\(rule.symbol) (\(key(rule.mint)))")
            let decimals = rule.mint.isEmpty ? 9 : rule.decimals
            let text = { (v: UInt64) in AmountText.format(v, decimals: decimals, symbol: rule.mint.isEmpty ? "SOL" : (rule.symbol.isEmpty ? "units" : rule.symbol)) }
            var parts: [String] = []
            if let p = rule.perTransaction { parts.append("at most \(text(p.value)) per transaction") }
            for w in rule.windows { parts.append("at most \(text(w.amount)) in any \(AmountText.spokenDuration(w.seconds))") }
            if let a = rule.approvalThreshold { parts.append("above \(text(a.value)) the owner must approve a proposal") }
            lines.append("- \(symbol): " + (parts.isEmpty ? "no limit" : parts.joined(separator: "; ")) + ".")
        }
        lines.append("- Every other asset is refused. Fees the agent pays count as SOL.")
        let programs = policy.programs ?? ProgramRule(includeDefaults: true)
        var allowed = programs.allowed.map(key)
        if programs.includeDefaults { allowed.insert("the default set (System, Compute Budget, SPL Token, Token-2022, Associated Token Account, Memo)", at: 0) }
        lines.append("- Programs: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", ")); any other is \(programs.unlisted == .approval ? "sent to the owner for approval" : "refused").")
        let c = policy.control ?? ControlRule()
        let granted = [("System Assign", c.allowAssign), ("System Allocate", c.allowAllocate), ("token Approve", c.allowTokenApprove),
                       ("token SetAuthority", c.allowSetAuthority), ("CloseAccount to others", c.allowCloseToForeign), ("nonce authority changes", c.allowNonceAuthorityChange)]
            .filter(\.1).map(\.0)
        lines.append(granted.isEmpty ? "- Handing control of the agent's accounts to anyone is refused." : "- Allowed although they hand over control: \(granted.joined(separator: ", ")).")
        if !c.allowInstructions.isEmpty {
            lines.append("- Allowed by name although their effect is not counted or they hand over control: \(c.allowInstructions.joined(separator: ", ")).")
        }
        lines.append(policy.allowDurableNonce ? "- Durable-nonce transactions are allowed." : "- Durable-nonce transactions are refused.")
        if policy.simulate {
            lines.append("- Every transaction is simulated on the chain first; the larger of its static outflows and its simulated balance decreases counts.")
        }
        if let o = policy.offchain, o.allowed {
            lines.append("- Off-chain messages may be signed" + (o.allowedPrefixes.isEmpty ? "" : " when they begin with \(o.allowedPrefixes.map { "\"\($0)\"" }.joined(separator: " or "))") + ".")
        } else {
            lines.append("- Off-chain messages are refused.")
        }
        if let fee = policy.maxFeeLamports { lines.append("- The fee of one transaction may not exceed \(AmountText.format(fee.value, decimals: 9, symbol: "SOL")).") }
        for r in policy.rateLimits { lines.append("- At most \(r.maxSignatures) signatures in any \(AmountText.spokenDuration(r.seconds)).") }
        let rate = policy.propose?.rate ?? ProposeRules.defaultRate
        let proposePrograms = policy.propose?.programs ?? ProgramRule(includeDefaults: true)
        var callable = proposePrograms.allowed.map(key)
        if proposePrograms.includeDefaults { callable.insert("the default set", at: 0) }
        lines.append("- Proposals to the owners' multisig: at most \(rate.maxProposals) in any \(AmountText.spokenDuration(rate.seconds)), "
            + "each costing the agent at most \(AmountText.format(policy.propose?.maxLamports?.value ?? ProposeRules.defaultMaxLamports, decimals: 9, symbol: "SOL")) "
            + "in rent and fees; the vault may be asked to call \(callable.isEmpty ? "no program" : callable.joined(separator: ", ")).")
        if let v = policy.validity {
            if v.notBefore != 0 { lines.append("- Valid from \(PolicyEngine.iso(v.notBefore)).") }
            if v.notAfter != 0 { lines.append("- Valid until \(PolicyEngine.iso(v.notAfter)).") }
        }
        for h in policy.activeHours {
            lines.append("- Signing only \(PolicyEngine.clock(h.startMinute))–\(PolicyEngine.clock(h.endMinute)) \(h.timeZone)\(h.weekdays.isEmpty ? "" : " on ISO weekdays \(h.weekdays.map(String.init).joined(separator: ","))").")
        }
        if let d = policy.destinations {
            if !d.allow.isEmpty { lines.append("- Funds may go only to: \(d.allow.map(key).joined(separator: ", ")) (or their associated token accounts).") }
            if !d.deny.isEmpty { lines.append("- Funds may never go to: \(d.deny.map(key).joined(separator: ", ")).") }
        }
        if let f = policy.freezeAfter {
            lines.append("- The wallet freezes itself after \(f.denials) refused request\(f.denials == 1 ? "" : "s") within \(AmountText.spokenDuration(f.seconds)); only the owners can unfreeze it.")
        }
        if let x = policy.x402 {
            var rule = "- x402 payments"
            if !x.payTo.isEmpty { rule += " only to \(x.payTo.map(key).joined(separator: ", "))" }
            if !x.origins.isEmpty { rule += " only for \(x.origins.joined(separator: ", "))" }
            if !x.maxPerPayment.isEmpty { rule += ", at most \(x.maxPerPayment) of the paid asset each" }
            lines.append(rule + "; the facilitator pays the fee and its address may appear nowhere else.")
        }
        return lines.joined(separator: "\n")
    }

    static func key(_ bytes: [UInt8]) -> String { PublicKey(bytes: bytes)?.base58 ?? "<\(bytes.count) bytes>" }
}
