"""Several owners (M of N), replaying a candidate policy over a recorded
ledger, and the remaining budget per window shown by `ledger tail`."""
from __future__ import annotations

import json
import pathlib
import re
import subprocess

from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from conftest import Daemon, FrameSocket, bin_dir

SIGN = "/waiaas.v1.Wallet/Sign"


def waiaas(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir() / "waiaas"), *args], capture_output=True, text=True, timeout=120, check=check)


def sol_transfer(agent: Pubkey, lamports: int) -> bytes:
    message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=Pubkey.new_unique(), lamports=lamports))], agent, Hash.new_unique())
    return bytes(Transaction.new_unsigned(message))


def sign(socket: FrameSocket, proto, call_id: int, tx: bytes):
    socket.send(proto.rpc.Envelope(call_id=call_id, method=SIGN, payload=proto.wallet.SignRequest(transaction=tx).SerializeToString()))
    return socket.receive(proto).status


def write_policy(directory: pathlib.Path, name: str, per_transaction: str) -> pathlib.Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps({"format": 1, "assets": [{"asset": "SOL", "per_transaction": per_transaction, "windows": [{"period": "24h", "limit": "5"}]}]}))
    return path


def test_policy_needs_m_distinct_configured_owners(daemon_home, proto):
    owners = []
    for index in range(3):
        path = daemon_home.parent / f"owner{index}.json"
        out = waiaas("owner", "keygen", "--out", str(path))
        owners.append((path, out.stdout.strip().split()[-1]))
    stranger = daemon_home.parent / "stranger.json"
    waiaas("owner", "keygen", "--out", str(stranger))
    init = subprocess.run([str(bin_dir() / "waiaasd"), "init", "--home", str(daemon_home),
                           "--owner-pubkey", owners[0][1], "--owner-pubkey", owners[1][1], "--owner-pubkey", owners[2][1],
                           "--owner-threshold", "2"], capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    agent = re.search(r"agent: (\w+)", init.stdout).group(1)
    d = Daemon(daemon_home)
    d.args.remove("--dev")
    d.start()
    try:
        policy = write_policy(daemon_home.parent, "p", "0.5")
        signed = daemon_home.parent / "signed.json"

        def sign_as(key: pathlib.Path, version: int = 1) -> None:
            waiaas("policy", "sign", "--owner-key", str(key), "--version", str(version), "--agent", agent, "--out", str(signed), str(policy))

        def set_policy() -> subprocess.CompletedProcess:
            return waiaas("policy", "set", "--socket", d.socket_path, "--json", str(signed), check=False)

        sign_as(owners[0][0])
        one = set_policy()
        assert one.returncode != 0
        assert "not_enough_signatures" in [r["code"] for r in json.loads(one.stdout)["reasons"]]

        sign_as(owners[0][0])  # the same owner again: replaces its signature, still one
        assert len(json.loads(signed.read_text())["signatures"]) == 1
        sign_as(stranger)
        stranger_try = set_policy()
        codes = [r["code"] for r in json.loads(stranger_try.stdout)["reasons"]]
        assert "owner_not_configured" in codes and "not_enough_signatures" in codes

        # A duplicated signature inside the request counts once.
        data = json.loads(signed.read_text())
        data["signatures"] = [s for s in data["signatures"] if s["public_key"] == owners[0][1]] * 2
        signed.write_text(json.dumps(data))
        duplicate = set_policy()
        codes = [r["code"] for r in json.loads(duplicate.stdout)["reasons"]]
        assert "duplicate_signature" in codes and "not_enough_signatures" in codes

        sign_as(owners[1][0])
        accepted = set_policy()
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
        assert json.loads(accepted.stdout)["version"] == 1
        status = json.loads(waiaas("status", "--socket", d.socket_path, "--json").stdout)
        assert status["owner_threshold"] == 2 and len(status["owners"]) == 3 and status["policy_version"] == 1
    finally:
        d.stop()


def test_replay_lists_changed_decisions_and_tail_shows_budget(daemon, proto):
    agent = Pubkey.from_string(re.search(r"agent: (\w+)", daemon.output).group(1))
    socket = FrameSocket(daemon.socket_path)
    # Starter policy: 0.1 SOL per transaction, 1 SOL per 24 h.
    assert sign(socket, proto, 1, sol_transfer(agent, 50_000_000)).code == 0
    assert sign(socket, proto, 2, sol_transfer(agent, 5_000_000)).code == 0
    assert sign(socket, proto, 3, sol_transfer(agent, 200_000_000)).code == 7

    tail = json.loads(waiaas("ledger", "tail", "--home", str(daemon.home), "--json").stdout)
    budget = [b for b in tail["budgets"] if b["asset"] == "SOL" and b["window_seconds"] == 86_400][0]
    assert budget["spent"] == 50_000_000 + 5_000_000 + 2 * 5_000
    assert budget["remaining"] == 1_000_000_000 - budget["spent"]

    stricter = write_policy(daemon.home.parent, "strict", "0.01")
    out = waiaas("policy", "check", str(stricter), "--replay", "10", "--home", str(daemon.home), "--json")
    report = json.loads(out.stdout)
    assert report["replayed"] == 3
    assert [(c["sequence"], c["before"], c["after"]) for c in report["changes"]] == [(2, "allow", "deny")]
    assert "per_transaction_limit_exceeded" in [r["code"] for r in report["changes"][0]["reasons"]]

    looser = write_policy(daemon.home.parent, "loose", "1")
    report = json.loads(waiaas("policy", "check", str(looser), "--replay", "10", "--home", str(daemon.home), "--json").stdout)
    assert [(c["sequence"], c["before"], c["after"]) for c in report["changes"]] == [(4, "deny", "allow")]
    text = waiaas("policy", "check", str(looser), "--replay", "10", "--home", str(daemon.home)).stdout
    assert "#4: deny -> allow" in text
