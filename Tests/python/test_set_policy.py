"""SetPolicy through the daemon's socket: each refusal with its own status
and reason, the policy in force untouched after every refusal (version,
hash, bytes, and what it actually enforces), a valid higher version
accepted, and the same version refused afterwards as stale.

Requests are crafted here with the dev owner key (solders) so each refusal
is precise; the accepted path goes through `waiaas policy sign` and
`waiaas policy set`."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest
from solders.keypair import Keypair

from conftest import Daemon
from wallet_helpers import (
    FAILED_PRECONDITION, INVALID_ARGUMENT, LAMPORTS_PER_SOL, OK, PERMISSION_DENIED, UNAUTHENTICATED, Wallet, cli,
    cli_json, fresh_pubkey, generous_sol_policy, ledger_rows, owner_key, set_policy_request, sign_policy_file,
    sol_policy, start, transfer_tx,
)


@pytest.fixture
def wallet_daemon(daemon_home):
    d = start(Daemon(daemon_home))
    yield d
    d.stop()


def snapshot(w: Wallet, daemon: Daemon) -> dict:
    """The policy in force, as GetPolicy, GetStatus and `waiaas policy get --json` show it."""
    policy, status = w.policy(), w.status()
    assert status.policy_version == policy.version and status.policy_hash == policy.policy_hash
    assert hashlib.sha256(policy.policy).digest() == bytes(policy.policy_hash), "policy_hash is SHA-256 of the policy bytes"
    shown = cli_json("policy", "get", "--socket", daemon.socket_path, "--json")
    assert shown["version"] == policy.version and shown["policy_hash"] == bytes(policy.policy_hash).hex(), shown
    return {"version": policy.version, "hash": bytes(policy.policy_hash), "bytes": bytes(policy.policy),
            "sequence": policy.ledger_sequence, "json": shown["policy"]}


def test_set_policy_refusals_leave_the_policy_in_force(proto, wallet_daemon):
    owner = owner_key(wallet_daemon)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        status = w.status()
        assert [bytes(k) for k in status.owner_public_keys] == [bytes(owner.pubkey())], "the dev owner is the configured owner"
        before = snapshot(w, wallet_daemon)
        assert before["version"] == 1
        assert before["json"]["assets"][0]["per_transaction"] == "0.1", before["json"]
        ledger_head = status.ledger_sequence

        # What the refused requests try to put in force: 0.5 SOL per transaction.
        wanted = sol_policy(proto, per_transaction=LAMPORTS_PER_SOL // 2, window_24h=2 * LAMPORTS_PER_SOL)
        wanted_bytes = wanted.SerializeToString()
        a = bytes(agent)
        other_agent = bytes(fresh_pubkey())

        unknown_field = wanted_bytes + bytes([0xF8, 0x06, 0x01])           # field 111, varint 1
        unknown_enum = sol_policy(proto, LAMPORTS_PER_SOL // 2, 2 * LAMPORTS_PER_SOL)
        unknown_enum.programs.unlisted = 7                                   # not an UnlistedProgramAction
        unknown_enum_bytes = unknown_enum.SerializeToString()
        future_format = sol_policy(proto, LAMPORTS_PER_SOL // 2, 2 * LAMPORTS_PER_SOL)
        future_format.format = 2

        # 100 mints times 100 destinations: past the bound on destination-mint pairs (4,096).
        too_big = sol_policy(proto, LAMPORTS_PER_SOL // 2, 2 * LAMPORTS_PER_SOL)
        for _ in range(100):
            too_big.assets.append(proto.policy.AssetRule(mint=bytes(fresh_pubkey()), symbol="T", decimals=6))
            too_big.destinations.deny.append(bytes(fresh_pubkey()))
        too_big_bytes = too_big.SerializeToString()
        too_big_unsigned = set_policy_request(proto, owner, a, 2, too_big_bytes)
        del too_big_unsigned.signatures[:]

        cases = [
            # (label, request, status, reason)
            # Signatures come before compilation: an unsigned policy costs the daemon no address derivation.
            ("a policy past the bounds, unsigned", too_big_unsigned, UNAUTHENTICATED, "not_enough_signatures"),
            ("a policy past the bounds, signed",
             set_policy_request(proto, owner, a, 2, too_big_bytes), INVALID_ARGUMENT, "invalid_policy"),
            ("signature over another version",
             set_policy_request(proto, owner, a, 2, wanted_bytes, signed_version=3), UNAUTHENTICATED, "bad_signature"),
            ("signature over other policy bytes",
             set_policy_request(proto, owner, a, 2, wanted_bytes, signed_policy=before["bytes"]), UNAUTHENTICATED, "bad_signature"),
            ("signature bound to another agent, no agent stated",
             set_policy_request(proto, owner, a, 2, wanted_bytes, stated_agent=b"", signed_agent=other_agent),
             UNAUTHENTICATED, "bad_signature"),
            ("flipped signature bit", None, UNAUTHENTICATED, "bad_signature"),
            ("signed by a key that is not an owner",
             set_policy_request(proto, Keypair(), a, 2, wanted_bytes), UNAUTHENTICATED, "owner_not_configured"),
            ("no signature at all", None, UNAUTHENTICATED, "not_enough_signatures"),
            ("another wallet's policy",
             set_policy_request(proto, owner, other_agent, 2, wanted_bytes), PERMISSION_DENIED, "wrong_wallet"),
            ("same version as in force",
             set_policy_request(proto, owner, a, 1, wanted_bytes), FAILED_PRECONDITION, "stale_version"),
            ("older version",
             set_policy_request(proto, owner, a, 0, wanted_bytes), FAILED_PRECONDITION, "stale_version"),
            ("unknown policy field",
             set_policy_request(proto, owner, a, 2, unknown_field), INVALID_ARGUMENT, "invalid_policy"),
            ("unknown enum value",
             set_policy_request(proto, owner, a, 2, unknown_enum_bytes), INVALID_ARGUMENT, "invalid_policy"),
            ("unsupported policy format",
             set_policy_request(proto, owner, a, 2, future_format.SerializeToString()), INVALID_ARGUMENT, "invalid_policy"),
            ("bytes that are not a policy",
             set_policy_request(proto, owner, a, 2, b"\xff\xff\xff\xff"), INVALID_ARGUMENT, "invalid_policy"),
        ]
        flipped = set_policy_request(proto, owner, a, 2, wanted_bytes)
        sig = bytearray(flipped.signatures[0].signature)
        sig[10] ^= 0x01
        flipped.signatures[0].signature = bytes(sig)
        unsigned = set_policy_request(proto, owner, a, 2, wanted_bytes)
        del unsigned.signatures[:]
        cases[5] = (cases[5][0], flipped, cases[5][2], cases[5][3])
        cases[7] = (cases[7][0], unsigned, cases[7][2], cases[7][3])

        over_old_limit = transfer_tx(agent, fresh_pubkey(), LAMPORTS_PER_SOL // 5)  # 0.2 SOL
        for label, request, code, reason in cases:
            reply = w.set_policy(request)
            assert reply.code == code, f"{label}: expected status {code}, got {reply}"
            assert reason in reply.reasons, f"{label}: expected reason {reason}, got {reply}"
            assert reply.payload == b"", f"{label}: a refusal carries no SetPolicyResponse"
            after = snapshot(w, wallet_daemon)
            assert after == before, f"{label}: the policy in force changed after a refusal"
            # ... and it is still what the daemon enforces.
            denied = w.sign(over_old_limit, dry_run=True)
            assert [x.code for x in denied.response.reasons] == ["per_transaction_limit_exceeded"], f"{label}: {denied.response}"
        assert w.status().ledger_sequence == ledger_head, "refused SetPolicy requests write no ledger row"
        bounded = w.set_policy(cases[1][1])
        assert "destinations times mints: 10000 named, at most 4096" in bounded.message, bounded

        # The valid version 2, as crafted here: accepted, in force, enforced.
        reply = w.set_policy(set_policy_request(proto, owner, a, 2, wanted_bytes))
        assert reply.code == OK, reply
        assert reply.response.version == 2
        assert bytes(reply.response.policy_hash) == hashlib.sha256(wanted_bytes).digest()
        assert reply.response.ledger_sequence == ledger_head + 1
        after = snapshot(w, wallet_daemon)
        assert after["version"] == 2 and after["bytes"] == wanted_bytes and after["sequence"] == ledger_head + 1
        assert after["json"]["assets"][0]["per_transaction"] == "0.5", after["json"]
        allowed = w.sign(over_old_limit)
        assert allowed.code == OK and len(allowed.response.signature) == 64, allowed

        # Version 2 again (even correctly signed, even other bytes): stale.
        for policy_bytes in (wanted_bytes, before["bytes"]):
            reply = w.set_policy(set_policy_request(proto, owner, a, 2, policy_bytes))
            assert reply.code == FAILED_PRECONDITION and "stale_version" in reply.reasons, reply
            assert snapshot(w, wallet_daemon) == after

    rows = ledger_rows(wallet_daemon.home)
    policy_rows = [row for row in rows if row["kind"] == "policy_set"]
    assert [row["policy_version"] for row in policy_rows] == [1, 2], "one ledger row per accepted policy"


def test_set_policy_through_the_cli(proto, wallet_daemon):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        before = snapshot(w, wallet_daemon)

    policy = generous_sol_policy("0.5", "2")
    signed = sign_policy_file(wallet_daemon, policy, 2)
    file = json.loads(signed.read_text())
    assert file["agent"] == str(agent) and file["version"] == 2, file
    policy_bytes = base64.b64decode(file["policy"])

    out = cli_json("policy", "set", "--socket", wallet_daemon.socket_path, str(signed), "--json")
    assert out["version"] == 2 and out["policy_hash"] == hashlib.sha256(policy_bytes).hexdigest(), out
    with Wallet(proto, wallet_daemon.socket_path) as w:
        after = snapshot(w, wallet_daemon)
        assert after["version"] == 2 and after["bytes"] == policy_bytes and after != before
        assert after["json"]["assets"][0] == {"asset": "SOL", "per_transaction": "0.5",
                                              "windows": [{"period": "24h", "limit": "2"}]}, after["json"]

    # The same signed file again: stale, nothing changes.
    result = cli("policy", "set", "--socket", wallet_daemon.socket_path, str(signed), "--json")
    assert result.returncode != 0, result
    out = json.loads(result.stdout)
    assert out["code"] == "FAILED_PRECONDITION", out
    stale_refusal = out  # its reasons are checked last (see the end)

    # A policy signed for another wallet, through the CLI: wrong_wallet, nothing changes.
    other = sign_policy_file(wallet_daemon, generous_sol_policy("1", "5"), 3, name="other")
    cli("policy", "sign", "--owner-key", str(wallet_daemon.home / "owner-dev.json"), "--version", "3",
        "--agent", str(fresh_pubkey()), "--out", str(other) + ".foreign", str(other).replace(".signed.json", ".json"), check=True)
    result = cli("policy", "set", "--socket", wallet_daemon.socket_path, str(other) + ".foreign", "--json")
    assert result.returncode != 0, result
    assert json.loads(result.stdout)["code"] == "PERMISSION_DENIED", result.stdout
    with Wallet(proto, wallet_daemon.socket_path) as w:
        assert snapshot(w, wallet_daemon) == after

    # A JSON policy with an unknown key is refused by `policy sign`, before anything is signed.
    bad = wallet_daemon.home.parent / "bad.json"
    bad.write_text(json.dumps({**policy, "surprise": True}))
    result = cli("policy", "sign", "--owner-key", str(wallet_daemon.home / "owner-dev.json"), "--version", "3",
                 "--home", str(wallet_daemon.home), "--out", str(bad) + ".signed", str(bad))
    assert result.returncode != 0 and "surprise" in result.stderr, result
    assert not (wallet_daemon.home.parent / "bad.json.signed").exists()

    # Version 3 from the same owner: accepted.
    out = cli_json("policy", "set", "--socket", wallet_daemon.socket_path, str(other), "--json")
    assert out["version"] == 3, out

    # The refusal's JSON names its reasons as {"code", "message"} objects.
    assert [r.get("code") if isinstance(r, dict) else r for r in stale_refusal["reasons"]] == ["stale_version"], \
        f"`policy set --json` should list reasons as [{{code, message}}]: {stale_refusal}"


def test_rejected_policy_survives_restart_unchanged(proto, wallet_daemon):
    """After refusals and a restart, the policy in force is still the last accepted one."""
    owner = owner_key(wallet_daemon)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        a = bytes(w.agent())
        v2 = sol_policy(proto, LAMPORTS_PER_SOL // 4, LAMPORTS_PER_SOL).SerializeToString()
        assert w.set_policy(set_policy_request(proto, owner, a, 2, v2)).code == OK
        refused = w.set_policy(set_policy_request(proto, Keypair(), a, 3, sol_policy(proto, 10**12, 10**13).SerializeToString()))
        assert refused.code == UNAUTHENTICATED, refused
        before = snapshot(w, wallet_daemon)
    assert wallet_daemon.stop() == 0
    start(wallet_daemon)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        after = snapshot(w, wallet_daemon)
        assert after == before and after["version"] == 2 and after["bytes"] == v2
        stale = w.set_policy(set_policy_request(proto, owner, a, 2, v2))
        assert stale.code == FAILED_PRECONDITION and "stale_version" in stale.reasons, stale
