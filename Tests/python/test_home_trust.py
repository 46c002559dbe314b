"""Trust of the files in the home, tried as someone who can write the home
but has no KEK: a home or file others can write, a file another uid owns, a
symbolic link, an owner swapped in config.json, a socket directory that is a
link, and a ledger cut short (rows deleted from the end, or the WAL deleted
after a kill). Each is refused at start, with the reason; --reseal-home is
the operator's explicit override."""
from __future__ import annotations

import json
import os
import pwd
import signal
import sqlite3
import subprocess
import time

import pytest
from solders.keypair import Keypair

from conftest import Daemon, bin_dir
from wallet_helpers import Wallet, cli, random_blockhash, transfer_tx


def serve(home, *extra: str, timeout: float = 20.0) -> subprocess.CompletedProcess:
    """Runs `waiaasd serve` on `home` and expects it to refuse to start."""
    args = [str(bin_dir() / "waiaasd"), "serve", "--dev", "--home", str(home), *extra]
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"waiaasd served a home it should refuse: {' '.join(args)}") from error


def refused(home, needle: str, *extra: str) -> str:
    result = serve(home, *extra)
    output = result.stdout + result.stderr
    assert result.returncode == 2, f"exit {result.returncode}:\n{output}"
    assert needle in output, output
    return output


@pytest.fixture
def made_home(daemon_home):
    """A dev home the daemon made and then stopped cleanly."""
    Daemon(daemon_home).start().stop()
    return daemon_home


def sign_some(proto, daemon: Daemon, count: int) -> None:
    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
        for i in range(count):
            reply = w.sign(transfer_tx(agent, Keypair().pubkey(), 1_000 + i, blockhash=random_blockhash()))
            assert reply.code == 0, reply


def test_a_home_others_can_write_is_refused(made_home):
    os.chmod(made_home, 0o777)
    refused(made_home, "writable by group or others")
    os.chmod(made_home, 0o700)
    config = made_home / "config.json"
    os.chmod(config, 0o664)
    refused(made_home, "config.json is writable by group or others")
    os.chmod(config, 0o600)


def test_a_file_another_uid_owns_is_refused(made_home):
    if os.geteuid() != 0:
        pytest.fail("this test needs root to give a file to another uid (CI runs as root)")
    nobody = pwd.getpwnam("nobody")
    os.chown(made_home / "keystore.json", nobody.pw_uid, nobody.pw_gid)
    refused(made_home, f"keystore.json is owned by uid {nobody.pw_uid}")


def test_a_symbolic_link_in_the_home_is_refused(made_home):
    config = made_home / "config.json"
    real = made_home.parent / "config-elsewhere.json"
    config.rename(real)
    config.symlink_to(real)
    refused(made_home, "config.json is a symbolic link")


def test_an_owner_swapped_in_config_is_refused(made_home, proto):
    """The review's attack: replace the owner while the daemon is stopped,
    then set a 'SOL: no limit' policy signed by the stranger. The daemon now
    refuses the home before any policy can be set."""
    config_path = made_home / "config.json"
    config = json.loads(config_path.read_text())
    stranger = Keypair()
    config["owners"] = [str(stranger.pubkey())]
    config_path.write_text(json.dumps(config))
    os.chmod(config_path, 0o600)
    refused(made_home, "is not the configuration sealed at init")

    # The operator who made the change on purpose vouches for it once.
    daemon = Daemon(made_home, ["--reseal-home"]).start()
    status = Wallet(proto, daemon.socket_path).status()
    assert len(status.agent_public_key) == 32
    daemon.stop()
    daemon = Daemon(made_home).start()  # and from then on it starts as usual
    daemon.stop()


def test_a_socket_directory_that_is_a_link_is_refused(made_home):
    real = made_home.parent / "sockets"
    real.mkdir(mode=0o700)
    link = made_home.parent / "sock-link"
    link.symlink_to(real)
    refused(made_home, "is a symbolic link", "--socket", str(link / "w.sock"))


def delete_last_rows(home, count: int) -> None:
    db = sqlite3.connect(home / "ledger.sqlite")
    db.execute("DELETE FROM ledger WHERE sequence > (SELECT max(sequence) FROM ledger) - ?", (count,))
    db.commit()
    db.close()


def test_rows_deleted_from_the_end_are_found(daemon_home, proto):
    daemon = Daemon(daemon_home).start()
    sign_some(proto, daemon, 5)
    daemon.stop()
    before = cli("ledger", "verify", "--home", str(daemon_home), "--json")
    assert before.returncode == 0, before.stdout + before.stderr

    delete_last_rows(daemon_home, 2)
    # The shorter chain still verifies on its own; against the anchor it does not.
    result = cli("ledger", "verify", "--home", str(daemon_home), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and not report["ok"], report
    assert "rows were removed" in report["problem"]
    refused(daemon_home, "rows were removed")

    # The operator restores from a known state on purpose: once, explicitly.
    daemon = Daemon(daemon_home, ["--reseal-home"]).start()
    daemon.stop()
    assert cli("ledger", "verify", "--home", str(daemon_home)).returncode == 0


def test_a_wal_deleted_after_a_kill_is_found(daemon_home, proto):
    daemon = Daemon(daemon_home).start()
    sign_some(proto, daemon, 8)
    time.sleep(0.5)  # the anchor trails the ledger by at most its interval (50 ms) and one write
    daemon.process.send_signal(signal.SIGKILL)
    daemon.process.wait()
    wal = daemon_home / "ledger.sqlite-wal"
    assert wal.exists() and wal.stat().st_size > 0, "the signatures should still be in the WAL after a kill"
    wal.unlink()
    (daemon_home / "ledger.sqlite-shm").unlink(missing_ok=True)
    refused(daemon_home, "rows were removed")


def test_an_anchor_forged_without_the_key_is_refused(daemon_home, proto):
    daemon = Daemon(daemon_home).start()
    sign_some(proto, daemon, 3)
    daemon.stop()
    anchor = daemon_home / "ledger.head"
    fields = anchor.read_text().split(" ")
    # Roll the anchor back to row 1 along with the ledger: the tag gives it away.
    delete_last_rows(daemon_home, 3)
    db = sqlite3.connect(daemon_home / "ledger.sqlite")
    (sequence, digest) = db.execute("SELECT sequence, hash FROM ledger ORDER BY sequence DESC LIMIT 1").fetchone()
    db.close()
    anchor.write_text(f"{fields[0]} {sequence} {bytes(digest).hex()} {fields[3]}")
    refused(daemon_home, "its tag does not verify")
