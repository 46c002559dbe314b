"""`waiaas attest` against a running daemon, then `waiaas attest verify` on
its output: the report binds the agent key, the nonce, the policy in force
and the ledger head; a wrong nonce or another agent fails verification."""
from __future__ import annotations

import json
import re
import subprocess

from conftest import bin_dir


def waiaas(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir() / "waiaas"), *args], capture_output=True, text=True, timeout=120)


def test_attest_then_verify(daemon, tmp_path):
    agent = re.search(r"agent: (\w+)", daemon.output).group(1)
    nonce = "a1" * 24
    out = waiaas("attest", "--socket", daemon.socket_path, "--nonce", nonce, "--out", str(tmp_path / "report.json"))
    assert out.returncode == 0, out.stderr
    verified = waiaas("attest", "verify", "--report", str(tmp_path / "report.json"), "--nonce", nonce, "--expect-agent", agent, "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    result = json.loads(verified.stdout)
    status = json.loads(waiaas("status", "--socket", daemon.socket_path, "--json").stdout)
    text = json.dumps(result)
    assert status["policy_hash"] in text  # the policy in force is what the report binds

    wrong_nonce = waiaas("attest", "verify", "--report", str(tmp_path / "report.json"), "--nonce", "b2" * 24)
    assert wrong_nonce.returncode != 0 and "report.nonce" in wrong_nonce.stdout
    other_agent = waiaas("attest", "verify", "--report", str(tmp_path / "report.json"), "--nonce", nonce,
                         "--expect-agent", "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM")
    assert other_agent.returncode != 0 and "expect.agent_public_key" in other_agent.stdout

    short = waiaas("attest", "--socket", daemon.socket_path, "--nonce", "00" * 8, "--out", str(tmp_path / "short.json"))
    assert short.returncode != 0
