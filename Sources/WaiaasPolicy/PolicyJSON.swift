import Foundation
import WaiaasProto
import WaiaasSolana

/// Policies as people write them (docs/POLICY.md), to and from the
/// protobuf `Policy` the owners sign. Strict: an unknown key, a wrong type,
/// an amount with more decimals than its asset has, each is an error naming
/// where it is, so nothing an owner wrote is silently dropped.
public enum PolicyJSON {
    public static func parse(_ data: Data) throws(PolicyError) -> Policy {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw PolicyError(.notJSON, "not JSON: \(error.localizedDescription)", path: "$")
        }
        if let duplicate = JSONDuplicateKeys.first(in: [UInt8](data)) {
            throw PolicyError.field(duplicate.path + "." + duplicate.key, "named twice in one object; a policy says each thing once")
        }
        var reader = Reader(path: "$")
        return try reader.policy(object)
    }

    /// Amounts in asset units ("1.25") to base units with `decimals`, exactly.
    public static func baseUnits(_ text: String, decimals: UInt32, path: String) throws(PolicyError) -> UInt64 {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw PolicyError.field(path, "\"\(text)\" is not a decimal amount such as \"1.5\"")
        }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= Int(decimals) else {
            throw PolicyError.field(path, "\"\(text)\" has more than \(decimals) decimals")
        }
        let digits = String(parts[0]) + fraction + String(repeating: "0", count: Int(decimals) - fraction.count)
        let trimmed = digits.drop { $0 == "0" }
        guard let value = UInt64(trimmed.isEmpty ? "0" : String(trimmed)) else {
            throw PolicyError.field(path, "\"\(text)\" is too large")
        }
        return value
    }

    /// "90s", "30m", "1h", "24h", "7d" to seconds.
    public static func seconds(_ text: String, path: String) throws(PolicyError) -> UInt64 {
        let units: [Character: UInt64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last, let scale = units[unit], let count = UInt64(text.dropLast()), count > 0 else {
            throw PolicyError.field(path, "\"\(text)\" is not a period such as \"1h\", \"24h\" or \"7d\"")
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow, seconds <= PolicyBounds.longestPeriodSeconds else {
            throw PolicyError.field(path, "\"\(text)\" is longer than a policy period may be (\(PolicyBounds.longestPeriodSeconds / 86_400)d)")
        }
        return seconds
    }

    struct Reader {
        var path: String

        func sub(_ key: String) -> Reader { Reader(path: path + "." + key) }
        func at(_ index: Int) -> Reader { Reader(path: path + "[\(index)]") }
        func fail(_ message: String) -> PolicyError { .field(path, message) }

        func object(_ value: Any, allowed: Set<String>) throws(PolicyError) -> [String: Any] {
            guard let object = value as? [String: Any] else { throw fail("must be an object") }
            for key in object.keys.sorted() where !allowed.contains(key) {
                throw PolicyError.field(path + "." + key, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
            }
            return object
        }

        func string(_ value: Any) throws(PolicyError) -> String {
            guard let text = value as? String else { throw fail("must be a string") }
            return text
        }

        func bool(_ value: Any) throws(PolicyError) -> Bool {
            guard let number = value as? NSNumber, Self.isBoolean(number) else { throw fail("must be true or false") }
            return number.boolValue
        }

        func integer(_ value: Any, max: UInt64 = .max) throws(PolicyError) -> UInt64 {
            guard let number = value as? NSNumber, !Self.isBoolean(number),
                  let exact = UInt64(exactly: number.doubleValue), exact <= max, number.stringValue == String(exact) else {
                throw fail("must be a whole number between 0 and \(max)")
            }
            return exact
        }

        /// JSON true/false arrive as NSNumber of type "c" (a C char), numbers never do.
        static func isBoolean(_ number: NSNumber) -> Bool {
            String(cString: number.objCType) == "c"
        }

        func array(_ value: Any) throws(PolicyError) -> [Any] {
            guard let array = value as? [Any] else { throw fail("must be a list") }
            return array
        }

        func key(_ value: Any) throws(PolicyError) -> PublicKey {
            let text = try string(value)
            guard let key = PublicKey(base58: text) else { throw fail("\"\(text)\" is not a base58 32-byte address") }
            return key
        }

        mutating func policy(_ value: Any) throws(PolicyError) -> Policy {
            let o = try object(value, allowed: ["format", "name", "assets", "programs", "control", "allow_durable_nonce", "offchain",
                                                "max_fee", "rate_limits", "validity", "active_hours", "destinations", "simulate", "propose",
                                                "x402", "freeze_after"])
            var policy = Policy(format: 1)
            if let v = o["format"] { policy.format = UInt32(try sub("format").integer(v, max: UInt64(UInt32.max))) }
            if let v = o["name"] { policy.name = try sub("name").string(v) }
            if let v = o["assets"] {
                let list = try sub("assets").array(v)
                for (index, item) in list.enumerated() { policy.assets.append(try sub("assets").at(index).asset(item)) }
            }
            if let v = o["programs"] { policy.programs = try sub("programs").programs(v) }
            if let v = o["control"] { policy.control = try sub("control").control(v) }
            if let v = o["allow_durable_nonce"] { policy.allowDurableNonce = try sub("allow_durable_nonce").bool(v) }
            if let v = o["simulate"] { policy.simulate = try sub("simulate").bool(v) }
            if let v = o["offchain"] { policy.offchain = try sub("offchain").offchain(v) }
            if let v = o["max_fee"] { policy.maxFeeLamports = Amount(value: try baseUnits(try sub("max_fee").string(v), decimals: 9, path: path + ".max_fee")) }
            if let v = o["rate_limits"] {
                for (index, item) in try sub("rate_limits").array(v).enumerated() {
                    let r = sub("rate_limits").at(index)
                    let o = try r.object(item, allowed: ["period", "max_signatures"])
                    guard let period = o["period"], let max = o["max_signatures"] else { throw r.fail("needs period and max_signatures") }
                    policy.rateLimits.append(RateLimit(seconds: try seconds(try r.sub("period").string(period), path: r.path + ".period"),
                                                       maxSignatures: UInt32(try r.sub("max_signatures").integer(max, max: UInt64(UInt32.max)))))
                }
            }
            if let v = o["validity"] { policy.validity = try sub("validity").validity(v) }
            if let v = o["propose"] { policy.propose = try sub("propose").propose(v) }
            if let v = o["x402"] { policy.x402 = try sub("x402").x402(v) }
            if let v = o["freeze_after"] {
                let f = sub("freeze_after")
                let o = try f.object(v, allowed: ["denials", "within"])
                guard let denials = o["denials"], let within = o["within"] else { throw f.fail("needs denials and within") }
                let count = try f.sub("denials").integer(denials, max: 1000)
                guard count >= 1 else { throw f.sub("denials").fail("must be at least 1") }
                policy.freezeAfter = FreezeAfter(denials: UInt32(count), seconds: try seconds(try f.sub("within").string(within), path: f.path + ".within"))
            }
            if let v = o["active_hours"] {
                for (index, item) in try sub("active_hours").array(v).enumerated() {
                    policy.activeHours.append(try sub("active_hours").at(index).hours(item))
                }
            }
            if let v = o["destinations"] {
                let d = sub("destinations")
                let o = try d.object(v, allowed: ["allow", "deny"])
                var rule = DestinationRule()
                if let list = o["allow"] { rule.allow = try d.sub("allow").array(list).enumerated().map { (i, x) throws(PolicyError) in try d.sub("allow").at(i).key(x).bytes } }
                if let list = o["deny"] { rule.deny = try d.sub("deny").array(list).enumerated().map { (i, x) throws(PolicyError) in try d.sub("deny").at(i).key(x).bytes } }
                policy.destinations = rule
            }
            return policy
        }

        /// `"x402": {"pay_to": [...], "origins": ["https://api.example.com"], "max_per_payment": "0.10"}`.
        func x402(_ value: Any) throws(PolicyError) -> X402Rule {
            let o = try object(value, allowed: ["pay_to", "origins", "max_per_payment"])
            var rule = X402Rule()
            if let list = o["pay_to"] { rule.payTo = try sub("pay_to").array(list).enumerated().map { (i, x) throws(PolicyError) in try sub("pay_to").at(i).key(x).bytes } }
            if let list = o["origins"] { rule.origins = try sub("origins").array(list).enumerated().map { (i, x) throws(PolicyError) in try sub("origins").at(i).string(x) } }
            if let v = o["max_per_payment"] {
                rule.maxPerPayment = try sub("max_per_payment").string(v)
                // Checked for shape here; converted per asset when the policy compiles.
                _ = try PolicyJSON.baseUnits(rule.maxPerPayment, decimals: 19, path: path + ".max_per_payment")
            }
            return rule
        }

        func asset(_ value: Any) throws(PolicyError) -> AssetRule {
            let o = try object(value, allowed: ["asset", "mint", "symbol", "decimals", "per_transaction", "windows", "approval_threshold"])
            var rule = AssetRule()
            switch (o["asset"], o["mint"]) {
            case (let asset?, nil):
                guard try sub("asset").string(asset) == "SOL" else { throw sub("asset").fail("only \"SOL\" is named this way; give SPL tokens as \"mint\"") }
                rule.symbol = "SOL"
                rule.decimals = 9
            case (nil, let mint?):
                rule.mint = try sub("mint").key(mint).bytes
                guard let decimals = o["decimals"] else { throw fail("a token rule needs \"decimals\" (the mint's), so amounts are exact") }
                rule.decimals = UInt32(try sub("decimals").integer(decimals, max: 19))
            default:
                throw fail("name exactly one of \"asset\": \"SOL\" or \"mint\"")
            }
            if rule.mint.isEmpty, let decimals = o["decimals"], try sub("decimals").integer(decimals) != 9 {
                throw sub("decimals").fail("SOL has 9 decimals")
            }
            if let symbol = o["symbol"] {
                rule.symbol = try sub("symbol").string(symbol)
                if rule.mint.isEmpty, rule.symbol != "SOL" { throw sub("symbol").fail("SOL is shown as SOL") }
            }
            if let v = o["per_transaction"] { rule.perTransaction = Amount(value: try baseUnits(try sub("per_transaction").string(v), decimals: rule.decimals, path: path + ".per_transaction")) }
            if let v = o["approval_threshold"] { rule.approvalThreshold = Amount(value: try baseUnits(try sub("approval_threshold").string(v), decimals: rule.decimals, path: path + ".approval_threshold")) }
            if let v = o["windows"] {
                for (index, item) in try sub("windows").array(v).enumerated() {
                    let w = sub("windows").at(index)
                    let o = try w.object(item, allowed: ["period", "limit"])
                    guard let period = o["period"], let limit = o["limit"] else { throw w.fail("needs period and limit") }
                    rule.windows.append(WindowLimit(seconds: try seconds(try w.sub("period").string(period), path: w.path + ".period"),
                                                    amount: try baseUnits(try w.sub("limit").string(limit), decimals: rule.decimals, path: w.path + ".limit")))
                }
            }
            return rule
        }

        func programs(_ value: Any) throws(PolicyError) -> ProgramRule {
            let o = try object(value, allowed: ["include_defaults", "allow", "unlisted"])
            var rule = ProgramRule(includeDefaults: true)
            if let v = o["include_defaults"] { rule.includeDefaults = try sub("include_defaults").bool(v) }
            if let v = o["allow"] { rule.allowed = try sub("allow").array(v).enumerated().map { (i, x) throws(PolicyError) in try sub("allow").at(i).key(x).bytes } }
            if let v = o["unlisted"] {
                switch try sub("unlisted").string(v) {
                case "deny": rule.unlisted = .deny
                case "approval": rule.unlisted = .approval
                case let other: throw sub("unlisted").fail("\"\(other)\" is not \"deny\" or \"approval\"")
                }
            }
            return rule
        }

        /// `"propose": {"rate_limit": {"period": "1h", "max_proposals": 10},
        /// "programs": {"include_defaults": true, "allow": [...]}, "max_sol": "0.05"}`.
        func propose(_ value: Any) throws(PolicyError) -> ProposeRule {
            let o = try object(value, allowed: ["rate_limit", "programs", "max_sol"])
            var rule = ProposeRule()
            if let v = o["rate_limit"] {
                let r = sub("rate_limit")
                let limit = try r.object(v, allowed: ["period", "max_proposals"])
                guard let period = limit["period"], let max = limit["max_proposals"] else { throw r.fail("needs period and max_proposals") }
                rule.rate = ProposalRate(seconds: try PolicyJSON.seconds(try r.sub("period").string(period), path: r.path + ".period"),
                                         maxProposals: UInt32(try r.sub("max_proposals").integer(max, max: UInt64(UInt32.max))))
            }
            if let v = o["programs"] { rule.programs = try sub("programs").programs(v) }
            if let v = o["max_sol"] {
                rule.maxLamports = Amount(value: try PolicyJSON.baseUnits(try sub("max_sol").string(v), decimals: 9, path: path + ".max_sol"))
            }
            return rule
        }

        func control(_ value: Any) throws(PolicyError) -> ControlRule {
            let names = ["allow_assign", "allow_allocate", "allow_token_approve", "allow_set_authority", "allow_close_to_foreign",
                         "allow_nonce_authority_change", "allow_instructions"]
            let o = try object(value, allowed: Set(names))
            var rule = ControlRule()
            rule.allowAssign = try o["allow_assign"].map { v throws(PolicyError) in try sub("allow_assign").bool(v) } ?? false
            rule.allowAllocate = try o["allow_allocate"].map { v throws(PolicyError) in try sub("allow_allocate").bool(v) } ?? false
            rule.allowTokenApprove = try o["allow_token_approve"].map { v throws(PolicyError) in try sub("allow_token_approve").bool(v) } ?? false
            rule.allowSetAuthority = try o["allow_set_authority"].map { v throws(PolicyError) in try sub("allow_set_authority").bool(v) } ?? false
            rule.allowCloseToForeign = try o["allow_close_to_foreign"].map { v throws(PolicyError) in try sub("allow_close_to_foreign").bool(v) } ?? false
            rule.allowNonceAuthorityChange = try o["allow_nonce_authority_change"].map { v throws(PolicyError) in try sub("allow_nonce_authority_change").bool(v) } ?? false
            if let v = o["allow_instructions"] {
                rule.allowInstructions = try sub("allow_instructions").array(v).enumerated().map { (i, x) throws(PolicyError) in
                    try sub("allow_instructions").at(i).string(x)
                }
            }
            return rule
        }

        func offchain(_ value: Any) throws(PolicyError) -> OffchainRule {
            let o = try object(value, allowed: ["allowed", "prefixes", "domains"])
            var rule = OffchainRule()
            if let v = o["allowed"] { rule.allowed = try sub("allowed").bool(v) }
            if let v = o["prefixes"] { rule.allowedPrefixes = try sub("prefixes").array(v).enumerated().map { (i, x) throws(PolicyError) in try sub("prefixes").at(i).string(x) } }
            if let v = o["domains"] { rule.allowedDomains = try sub("domains").array(v).enumerated().map { (i, x) throws(PolicyError) in try sub("domains").at(i).key(x).bytes } }
            return rule
        }

        func validity(_ value: Any) throws(PolicyError) -> Validity {
            let o = try object(value, allowed: ["not_before", "not_after"])
            let formatter = ISO8601DateFormatter()
            func time(_ key: String) throws(PolicyError) -> UInt64 {
                guard let v = o[key] else { return 0 }
                let text = try sub(key).string(v)
                guard let date = formatter.date(from: text), date.timeIntervalSince1970 > 0 else {
                    throw sub(key).fail("\"\(text)\" is not an RFC 3339 time such as \"2026-12-01T00:00:00Z\"")
                }
                return UInt64(date.timeIntervalSince1970)
            }
            return Validity(notBefore: try time("not_before"), notAfter: try time("not_after"))
        }

        func hours(_ value: Any) throws(PolicyError) -> ActiveHours {
            let o = try object(value, allowed: ["time_zone", "weekdays", "from", "to"])
            guard let zone = o["time_zone"], let from = o["from"], let to = o["to"] else { throw fail("needs time_zone, from and to") }
            let days = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
            var rule = ActiveHours(timeZone: try sub("time_zone").string(zone))
            if let v = o["weekdays"] {
                for (index, item) in try sub("weekdays").array(v).enumerated() {
                    let name = try sub("weekdays").at(index).string(item).lowercased()
                    guard let day = days[name] else { throw sub("weekdays").at(index).fail("\"\(name)\" is not mon, tue, wed, thu, fri, sat or sun") }
                    rule.weekdays.append(UInt32(day))
                }
            }
            func minute(_ text: String, _ key: String) throws(PolicyError) -> UInt32 {
                let parts = text.split(separator: ":")
                guard parts.count == 2, let h = UInt32(parts[0]), let m = UInt32(parts[1]), h <= 24, m < 60, h * 60 + m <= 1440 else {
                    throw sub(key).fail("\"\(text)\" is not a time such as \"08:00\"")
                }
                return h * 60 + m
            }
            rule.startMinute = try minute(try sub("from").string(from), "from")
            rule.endMinute = try minute(try sub("to").string(to), "to")
            return rule
        }
    }
}
