// A policy using every rule, for the targets that judge what they decode
// (solana, offchain): compiled once, with a spending history.
import Foundation
import WaiaasPolicy
import WaiaasSolana

let fixtureNowMilliseconds: UInt64 = 1_780_000_000_000

let fixturePolicyJSON = """
{
  "format": 1,
  "name": "fuzz fixture: every rule",
  "assets": [
    {"asset": "SOL", "per_transaction": "0.5", "approval_threshold": "0.25",
     "windows": [{"period": "1h", "limit": "1"}, {"period": "24h", "limit": "2.5"}]},
    {"mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "symbol": "USDC", "decimals": 6,
     "per_transaction": "25", "windows": [{"period": "24h", "limit": "100"}], "approval_threshold": "10"},
    {"mint": "So11111111111111111111111111111111111111112", "symbol": "wSOL", "decimals": 9, "per_transaction": "1"}
  ],
  "programs": {"include_defaults": true, "allow": ["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"], "unlisted": "approval"},
  "control": {"allow_assign": false, "allow_allocate": true, "allow_token_approve": false, "allow_set_authority": false,
              "allow_close_to_foreign": false, "allow_nonce_authority_change": false,
              "allow_instructions": []},
  "allow_durable_nonce": true,
  "offchain": {"allowed": true, "prefixes": ["login:", "hello"],
               "domains": ["11111111111111111111111111111111"]},
  "max_fee": "0.001",
  "rate_limits": [{"period": "1m", "max_signatures": 20}, {"period": "1d", "max_signatures": 1000}],
  "validity": {"not_before": "2026-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z"},
  "active_hours": [{"time_zone": "UTC", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "to": "24:00"}],
  "destinations": {"deny": ["9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"]}
}
"""

let fixturePolicy: CompiledPolicy = {
    do {
        return try CompiledPolicy(try PolicyJSON.parse(Data(fixturePolicyJSON.utf8)))
    } catch {
        fuzzLog("the fixture policy does not compile: \(error)")
        abort()
    }
}()

let fixtureBook: SpendingBook = {
    var book = SpendingBook(horizonSeconds: fixturePolicy.longestWindowSeconds)
    let usdc = AssetKey(bytes: PublicKey(base58: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")!.bytes)
    for minutesAgo: UInt64 in [600, 90, 30, 1] {
        _ = book.record(timeMilliseconds: fixtureNowMilliseconds - minutesAgo * 60_000,
                        outflows: [AssetKey(bytes: []): 100_000_000 * minutesAgo, usdc: 1_000_000])
    }
    return book
}()
