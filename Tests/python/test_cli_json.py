"""`waiaas ... --json` against a running daemon, whole: every key, in order,
and every value, compared with what the daemon holds (GetStatus, GetPolicy)."""
from __future__ import annotations

import base64
import json

import pytest

from conftest import Daemon
from wallet_helpers import Wallet, cli, owner_key, set_policy_cli, sign_policy_file, start

USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
OTHER = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"

# Every rule docs/POLICY.md has, in the order `policy get` shows them; the
# name needs escaping.
EVERY_RULE = {
    "format": 1, "name": "all \"rules\"\t\\ é",
    "assets": [
        {"asset": "SOL", "per_transaction": "0.1", "windows": [{"period": "1h", "limit": "0.5"}, {"period": "24h", "limit": "2"}],
         "approval_threshold": "0.05"},
        {"mint": USDC, "decimals": 6, "symbol": "USDC", "per_transaction": "100.25"},
    ],
    "programs": {"include_defaults": False, "allow": [OTHER], "unlisted": "approval"},
    "control": {"allow_assign": True, "allow_allocate": False, "allow_token_approve": True, "allow_set_authority": False,
                "allow_close_to_foreign": True, "allow_nonce_authority_change": False,
                "allow_instructions": ["spl-token-2022.pausable.pause"]},
    "allow_durable_nonce": True,
    "offchain": {"allowed": True, "prefixes": ["login:"], "domains": [OTHER]},
    "max_fee": "0.0001",
    "rate_limits": [{"period": "1m", "max_signatures": 30}],
    "validity": {"not_before": "2026-01-01T00:00:00Z", "not_after": "2036-01-01T00:00:00Z"},
    "active_hours": [{"time_zone": "Europe/Berlin", "weekdays": ["mon", "fri"], "from": "08:00", "to": "20:30"}],
    "destinations": {"allow": [OTHER], "deny": [USDC]},
}


def ordered_json(*args: str):
    """The command's JSON with objects as lists of (key, value): key order counts."""
    result = cli(*args)
    assert result.returncode == 0, result
    return json.loads(result.stdout, object_pairs_hook=list)


@pytest.fixture
def wallet_daemon(daemon_home):
    d = start(Daemon(daemon_home))
    yield d
    d.stop()


def test_policy_get_json_is_the_policy_in_force(proto, wallet_daemon):
    assert set_policy_cli(wallet_daemon, EVERY_RULE, 2)["version"] == 2
    shown = ordered_json("policy", "get", "--socket", wallet_daemon.socket_path, "--json")
    assert [key for key, _ in shown] == ["version", "policy_hash", "sequence", "owners", "policy"], shown
    fields = dict(shown)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        in_force = w.policy()
    assert fields["version"] == in_force.version == 2
    assert fields["policy_hash"] == bytes(in_force.policy_hash).hex()
    assert fields["sequence"] == in_force.ledger_sequence
    assert fields["owners"] == [str(owner_key(wallet_daemon).pubkey())]
    # The policy exactly as written: every key, in order, every value.
    assert fields["policy"] == json.loads(json.dumps(EVERY_RULE), object_pairs_hook=list)

    # Signed again, the JSON shown is the very policy in force, byte for byte.
    again = sign_policy_file(wallet_daemon, dict_of(fields["policy"]), 3, name="again")
    assert base64.b64decode(json.loads(again.read_text())["policy"]) == bytes(in_force.policy)


def dict_of(value):
    """Ordered pairs back to plain JSON values."""
    if isinstance(value, list) and value and all(isinstance(item, tuple) for item in value):
        return {key: dict_of(item) for key, item in value}
    if isinstance(value, list):
        return [dict_of(item) for item in value]
    return value


def test_status_json_keys_and_values(proto, wallet_daemon):
    shown = ordered_json("status", "--socket", wallet_daemon.socket_path, "--json")
    assert [key for key, _ in shown] == [
        "version", "uptime_ms", "connections", "calls_in_flight", "agent", "policy_version", "policy_hash",
        "ledger_sequence", "platform", "owners", "owner_threshold", "frozen"], shown
    fields = dict(shown)
    assert fields["frozen"] is False  # and no "freeze" object (tests/python/test_freeze.py covers a frozen one)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        status = w.status()
        agent = w.agent()
    assert fields["agent"] == str(agent)
    assert fields["version"] == status.version and fields["platform"] == status.platform
    assert fields["policy_version"] == status.policy_version and fields["policy_hash"] == bytes(status.policy_hash).hex()
    assert fields["ledger_sequence"] == status.ledger_sequence
    assert fields["owners"] == [str(owner_key(wallet_daemon).pubkey())] and fields["owner_threshold"] == status.owner_threshold
