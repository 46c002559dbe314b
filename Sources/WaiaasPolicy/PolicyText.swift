import Foundation
import WaiaasProto
import WaiaasSolana

/// A policy back in the JSON people write (docs/POLICY.md), and in plain words.
public enum PolicyText {
    public static func json(_ policy: Policy) -> String {
        var fields: [String] = ["\"format\":\(policy.format)"]
        if !policy.name.isEmpty { fields.append("\"name\":\(quote(policy.name))") }
        fields.append("\"assets\":[" + policy.assets.map(asset).joined(separator: ",") + "]")
        if let programs = policy.programs {
            fields.append("\"programs\":{\"include_defaults\":\(programs.includeDefaults),\"allow\":[\(programs.allowed.map { quote(key($0)) }.joined(separator: ","))],\"unlisted\":\(quote(programs.unlisted == .approval ? "approval" : "deny"))}")
        }
        if let c = policy.control {
            fields.append("\"control\":{\"allow_assign\":\(c.allowAssign),\"allow_allocate\":\(c.allowAllocate),\"allow_token_approve\":\(c.allowTokenApprove),\"allow_set_authority\":\(c.allowSetAuthority),\"allow_close_to_foreign\":\(c.allowCloseToForeign),\"allow_nonce_authority_change\":\(c.allowNonceAuthorityChange)\(c.allowInstructions.isEmpty ? "" : ",\"allow_instructions\":[\(c.allowInstructions.map(quote).joined(separator: ","))]")}")
        }
        fields.append("\"allow_durable_nonce\":\(policy.allowDurableNonce)")
        if let o = policy.offchain {
            fields.append("\"offchain\":{\"allowed\":\(o.allowed),\"prefixes\":[\(o.allowedPrefixes.map(quote).joined(separator: ","))],\"domains\":[\(o.allowedDomains.map { quote(key($0)) }.joined(separator: ","))]}")
        }
        if let fee = policy.maxFeeLamports { fields.append("\"max_fee\":\(quote(AmountText.format(fee.value, decimals: 9, symbol: "").trimmingCharacters(in: .whitespaces)))") }
        if !policy.rateLimits.isEmpty {
            fields.append("\"rate_limits\":[" + policy.rateLimits.map { "{\"period\":\(quote(AmountText.duration($0.seconds))),\"max_signatures\":\($0.maxSignatures)}" }.joined(separator: ",") + "]")
        }
        if let v = policy.validity {
            var parts: [String] = []
            if v.notBefore != 0 { parts.append("\"not_before\":\(quote(PolicyEngine.iso(v.notBefore)))") }
            if v.notAfter != 0 { parts.append("\"not_after\":\(quote(PolicyEngine.iso(v.notAfter)))") }
            fields.append("\"validity\":{" + parts.joined(separator: ",") + "}")
        }
        if !policy.activeHours.isEmpty {
            let days = ["", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            fields.append("\"active_hours\":[" + policy.activeHours.map { h in
                "{\"time_zone\":\(quote(h.timeZone)),\"weekdays\":[\(h.weekdays.map { quote(days[Int(min($0, 7))]) }.joined(separator: ","))],\"from\":\(quote(PolicyEngine.clock(h.startMinute))),\"to\":\(quote(PolicyEngine.clock(h.endMinute)))}"
            }.joined(separator: ",") + "]")
        }
        if let d = policy.destinations {
            fields.append("\"destinations\":{\"allow\":[\(d.allow.map { quote(key($0)) }.joined(separator: ","))],\"deny\":[\(d.deny.map { quote(key($0)) }.joined(separator: ","))]}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func asset(_ rule: AssetRule) -> String {
        var parts: [String] = rule.mint.isEmpty ? ["\"asset\":\"SOL\""] : ["\"mint\":\(quote(key(rule.mint)))", "\"decimals\":\(rule.decimals)"]
        if !rule.symbol.isEmpty, !rule.mint.isEmpty { parts.append("\"symbol\":\(quote(rule.symbol))") }
        let decimals = rule.mint.isEmpty ? 9 : rule.decimals
        func units(_ value: UInt64) -> String { quote(AmountText.format(value, decimals: decimals, symbol: "").trimmingCharacters(in: .whitespaces)) }
        if let p = rule.perTransaction { parts.append("\"per_transaction\":\(units(p.value))") }
        if !rule.windows.isEmpty { parts.append("\"windows\":[" + rule.windows.map { "{\"period\":\(quote(AmountText.duration($0.seconds))),\"limit\":\(units($0.amount))}" }.joined(separator: ",") + "]") }
        if let a = rule.approvalThreshold { parts.append("\"approval_threshold\":\(units(a.value))") }
        return "{" + parts.joined(separator: ",") + "}"
    }

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
        if let o = policy.offchain, o.allowed {
            lines.append("- Off-chain messages may be signed" + (o.allowedPrefixes.isEmpty ? "" : " when they begin with \(o.allowedPrefixes.map { "\"\($0)\"" }.joined(separator: " or "))") + ".")
        } else {
            lines.append("- Off-chain messages are refused.")
        }
        if let fee = policy.maxFeeLamports { lines.append("- The fee of one transaction may not exceed \(AmountText.format(fee.value, decimals: 9, symbol: "SOL")).") }
        for r in policy.rateLimits { lines.append("- At most \(r.maxSignatures) signatures in any \(AmountText.spokenDuration(r.seconds)).") }
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
        return lines.joined(separator: "\n")
    }

    static func key(_ bytes: [UInt8]) -> String { PublicKey(bytes: bytes)?.base58 ?? "<\(bytes.count) bytes>" }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
