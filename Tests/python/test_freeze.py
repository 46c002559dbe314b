"""The emergency stop (issue 16): Freeze by any caller, refusals while frozen
(also across a restart), Unfreeze only with the owners' signatures for the
freeze in force, and the policy's freeze_after exactly at N denials."""
from __future__ import annotations

import json

from solders.keypair import Keypair

from conftest import Daemon
from wallet_helpers import (FAILED_PRECONDITION, OK, PERMISSION_DENIED, Wallet, cli, cli_json, fresh_pubkey, generous_sol_policy,
                            set_policy_cli, start, transfer_tx)


def agent_of(d: Daemon):
    from solders.pubkey import Pubkey
    return Pubkey.from_string(cli_json("status", "--socket", d.socket_path, "--json")["agent"])


def sign_small(proto, d: Daemon, lamports: int = 1_000):
    with Wallet(proto, d.socket_path) as w:
        return w.sign(transfer_tx(agent_of(d), fresh_pubkey(), lamports))


def unfreeze_file(d: Daemon, key: str, sequence: int, name: str = "unfreeze.json") -> str:
    out = d.home.parent / name
    if out.exists():
        out.unlink()
    cli("unfreeze", "sign", "--owner-key", key, "--agent", str(agent_of(d)), "--sequence", str(sequence), "--out", str(out), check=True)
    return str(out)


def test_freeze_refuses_signing_across_a_restart_and_only_the_owners_unfreeze(proto, daemon_home):
    d = start(Daemon(daemon_home))
    try:
        set_policy_cli(d, generous_sol_policy("1", "5"), 2)
        assert sign_small(proto, d).code == OK
        frozen = cli_json("freeze", "--socket", d.socket_path, "--reason", "agent suspects prompt injection", "--json")
        assert frozen["already_frozen"] is False and frozen["reason"] == "agent suspects prompt injection"
        status = cli_json("status", "--socket", d.socket_path, "--json")
        assert status["frozen"] is True and status["freeze"]["sequence"] == frozen["sequence"]
        refused = sign_small(proto, d)
        assert refused.code == FAILED_PRECONDITION and refused.reasons == ["frozen"], refused
        with Wallet(proto, d.socket_path) as w:  # a dry run says the same
            assert w.sign(transfer_tx(agent_of(d), fresh_pubkey(), 1_000), dry_run=True).code == FAILED_PRECONDITION
        again = cli_json("freeze", "--socket", d.socket_path, "--reason", "twice", "--json")
        assert again["already_frozen"] is True and again["sequence"] == frozen["sequence"]
    finally:
        d.stop()
    d = start(Daemon(daemon_home))
    try:
        assert sign_small(proto, d).code == FAILED_PRECONDITION, "the freeze did not survive a restart"
        sequence = cli_json("status", "--socket", d.socket_path, "--json")["freeze"]["sequence"]
        # A stranger's signature is refused.
        stranger = d.home.parent / "stranger.json"
        stranger.write_text(json.dumps(list(bytes(Keypair()))))
        stranger.chmod(0o600)
        result = cli("unfreeze", "set", "--socket", d.socket_path, unfreeze_file(d, str(stranger), sequence), "--json")
        assert result.returncode != 0 and "not one of this wallet's owners" in result.stdout + result.stderr
        # The owner's signature for another freeze is refused.
        owner = str(d.home / "owner-dev.json")
        result = cli("unfreeze", "set", "--socket", d.socket_path, unfreeze_file(d, owner, sequence - 1), "--json")
        assert result.returncode != 0 and "freeze in force" in result.stdout + result.stderr
        # No signature at all: too few owners.
        empty = d.home.parent / "empty.json"
        empty.write_text(json.dumps({"format": "waiaas-signed-unfreeze-v1", "agent": str(agent_of(d)), "freeze_sequence": sequence, "signatures": []}))
        result = cli("unfreeze", "set", "--socket", d.socket_path, str(empty), "--json")
        assert result.returncode != 0 and "needs 1 of 1" in result.stdout + result.stderr
        assert sign_small(proto, d).code == FAILED_PRECONDITION
        unfrozen = cli_json("unfreeze", "set", "--socket", d.socket_path, unfreeze_file(d, owner, sequence), "--json")
        assert unfrozen["unfrozen"] is True
        assert cli_json("status", "--socket", d.socket_path, "--json")["frozen"] is False
        assert sign_small(proto, d).code == OK
        # The old unfreeze cannot lift a later freeze.
        cli_json("freeze", "--socket", d.socket_path, "--reason", "again", "--json")
        result = cli("unfreeze", "set", "--socket", d.socket_path, unfreeze_file(d, owner, sequence, "old.json"), "--json")
        assert result.returncode != 0
        assert sign_small(proto, d).code == FAILED_PRECONDITION
    finally:
        d.stop()


def test_freeze_after_triggers_exactly_at_n_denials(proto, daemon_home):
    d = start(Daemon(daemon_home))
    try:
        set_policy_cli(d, generous_sol_policy("0.01", "1", freeze_after={"denials": 3, "within": "10m"}), 2)
        too_much = 50_000_000  # over the 0.01 SOL per-transaction limit
        for _ in range(2):
            reply = sign_small(proto, d, too_much)
            assert reply.code == PERMISSION_DENIED and "frozen" not in reply.reasons, reply
        assert cli_json("status", "--socket", d.socket_path, "--json")["frozen"] is False
        assert sign_small(proto, d).code == OK, "two denials must not freeze"
        third = sign_small(proto, d, too_much)
        assert third.code == PERMISSION_DENIED and "frozen" in third.reasons, third
        status = cli_json("status", "--socket", d.socket_path, "--json")
        assert status["frozen"] is True and status["freeze"]["automatic"] is True
        assert sign_small(proto, d).code == FAILED_PRECONDITION
    finally:
        d.stop()
