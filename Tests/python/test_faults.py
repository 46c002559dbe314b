"""Faults under a real daemon, a real SQLite file and a real filesystem: the
disk fills, the ledger's filesystem turns read-only, another process holds
SQLite's write lock. In each: nothing is signed without a committed row, the
daemon answers UNAVAILABLE within a bounded time (GetStatus and refusals keep
answering), and it recovers by itself when the fault goes away.

The full disk is a small tmpfs mounted for the test (root, as CI runs); the
read-only ledger is an LD_PRELOAD shim failing its writes with EROFS; the
lock is held by Python's sqlite3 as the other process."""
from __future__ import annotations

import os
import pathlib
import sqlite3
import subprocess
import tempfile
import time

import pytest
from solders.keypair import Keypair

from conftest import Daemon
from wallet_helpers import PERMISSION_DENIED, Wallet, ledger_rows, random_blockhash, transfer_tx

OK = 0
UNAVAILABLE = 14


@pytest.fixture
def small_disk():
    """A 4 MiB tmpfs, private to this user, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test needs root to mount a small filesystem (CI runs as root)")
    root = pathlib.Path(tempfile.mkdtemp(prefix="waiaas-fault-"))
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(root)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs for the disk-fault tests: {result.stderr.strip()}")
    yield root
    subprocess.run(["umount", "-l", str(root)], check=False)
    os.rmdir(root)


def sign(w: Wallet, agent, lamports: int, timeout_s: float = 15.0):
    started = time.monotonic()
    reply = w.sign(transfer_tx(agent, Keypair().pubkey(), lamports, blockhash=random_blockhash()))
    elapsed = time.monotonic() - started
    assert elapsed < timeout_s, f"a Sign took {elapsed:.1f} s under a fault"
    return reply


def signed_rows(home) -> dict[bytes, int]:
    return {bytes(r["signature"]): r["sequence"] for r in ledger_rows(home) if r["kind"] == "sign"}


def assert_every_signature_recorded(home, handed_out: list[bytes]) -> None:
    recorded = signed_rows(home)
    missing = [s.hex()[:16] for s in handed_out if s not in recorded]
    assert not missing, f"signatures handed out without a committed row: {missing}"


def first_signature(w: Wallet, handed_out: list[bytes]):
    """Signs once before the fault, so the home and ledger are in use; returns the agent."""
    agent = w.agent()
    reply = sign(w, agent, 1_000)
    assert reply.code == OK, reply
    handed_out.append(reply.response.signature)
    return agent


def refusal(w: Wallet, agent):
    return w.sign(transfer_tx(agent, Keypair().pubkey(), 50 * 10**9, blockhash=random_blockhash()))


def test_the_disk_fills_then_frees(small_disk, proto):
    home = small_disk / "home"
    daemon = Daemon(home).start()
    handed_out: list[bytes] = []
    try:
        with Wallet(proto, daemon.socket_path) as w:
            agent = first_signature(w, handed_out)

            # Fill the filesystem to the last byte.
            filler = small_disk / "filler"
            with open(filler, "wb", buffering=0) as f:
                for chunk in (65536, 1):
                    try:
                        while True:
                            f.write(b"\0" * chunk)
                    except OSError:
                        pass

            # Keep signing until the ledger needs a page it cannot have.
            failures = 0
            for i in range(400):
                reply = sign(w, agent, 2_000 + i)
                if reply.code == OK:
                    handed_out.append(reply.response.signature)
                    continue
                assert reply.code == UNAVAILABLE, reply
                assert not reply.response, "a refused Sign carried a response"
                failures += 1
                if failures >= 3:
                    break
            assert failures >= 3, "the full disk never stopped a commit"
            assert w.status().agent_public_key, "GetStatus stopped answering on a full disk"
            denied = refusal(w, agent)
            assert denied.code == PERMISSION_DENIED and "per_transaction_limit_exceeded" in denied.reasons, denied

            # Space returns: the daemon recovers by itself.
            filler.unlink()
            for attempt in range(50):
                reply = sign(w, agent, 9_000 + attempt)
                if reply.code == OK:
                    handed_out.append(reply.response.signature)
                    break
                time.sleep(0.1)
            assert reply.code == OK, f"no recovery after the disk freed: {reply}"
    finally:
        daemon.stop()
    assert_every_signature_recorded(home, handed_out)
    # And the home still opens and verifies after all that.
    Daemon(home).start().stop()


@pytest.fixture
def fault_shim(tmp_path):
    """An LD_PRELOAD library (faultshim/faultshim.c) that fails writes and
    fsyncs to the ledger's files while a control file exists: a filesystem
    turned read-only under the daemon's open descriptors, which a remount
    cannot do while files are open for writing."""
    library = tmp_path / "faultshim.so"
    source = pathlib.Path(__file__).parent / "faultshim" / "faultshim.c"
    result = subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source), "-ldl"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot build the fault shim: {result.stderr}")
    return library, tmp_path / "fault-now"


def test_the_ledger_turns_read_only_then_writable(daemon_home, fault_shim, proto, monkeypatch):
    library, control = fault_shim
    monkeypatch.setenv("LD_PRELOAD", str(library))
    monkeypatch.setenv("WAIAAS_FAULT_FILE", str(control))
    daemon = Daemon(daemon_home).start()
    monkeypatch.delenv("LD_PRELOAD")
    handed_out: list[bytes] = []
    try:
        with Wallet(proto, daemon.socket_path) as w:
            agent = first_signature(w, handed_out)

            control.write_text(str(30))  # EROFS
            for i in range(3):
                reply = sign(w, agent, 2_000 + i)
                assert reply.code == UNAVAILABLE, reply
            assert w.status().agent_public_key
            denied = refusal(w, agent)
            assert denied.code == PERMISSION_DENIED and "not recorded" in denied.message, denied
            control.unlink()

            reply = sign(w, agent, 3_000)
            assert reply.code == OK, f"no recovery after the filesystem came back: {reply}"
            handed_out.append(reply.response.signature)
    finally:
        daemon.stop()
    assert_every_signature_recorded(daemon_home, handed_out)
    Daemon(daemon_home).start().stop()


def test_another_process_holds_the_write_lock(daemon, proto):
    handed_out: list[bytes] = []
    with Wallet(proto, daemon.socket_path, timeout=30.0) as w:
        agent = first_signature(w, handed_out)

        holder = sqlite3.connect(daemon.home / "ledger.sqlite", timeout=1.0, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            reply = sign(w, agent, 2_000, timeout_s=20.0)
            waited = time.monotonic() - started
            assert reply.code == UNAVAILABLE, reply
            assert waited < 15.0, f"UNAVAILABLE only after {waited:.1f} s"
            assert w.status().agent_public_key
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        reply = sign(w, agent, 3_000)
        assert reply.code == OK, f"no recovery after the lock was released: {reply}"
        handed_out.append(reply.response.signature)
    assert_every_signature_recorded(daemon.home, handed_out)
