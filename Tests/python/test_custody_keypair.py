"""`waiaas owner keygen` writes solana-keygen's JSON keypair format: solders
must load it (from_json and from_bytes) to the same key the CLI printed, and
the CLI must read back a file that solders wrote."""
import json
import os
import pathlib
import stat
import subprocess

from solders.keypair import Keypair

REPO = pathlib.Path(__file__).resolve().parents[2]


def waiaas_bin():
    path = pathlib.Path(os.environ.get("WAIAAS_BIN") or REPO / ".build" / "debug") / "waiaas"
    # Fail, not skip: a missing binary means the suite did not test anything.
    assert path.is_file(), f"waiaas CLI not found at {path}; build it or set WAIAAS_BIN"
    return str(path)


def run(*args):
    return subprocess.run([waiaas_bin(), *args], capture_output=True, text=True, timeout=60)


def test_keygen_output_loads_in_solders(tmp_path):
    out = tmp_path / "owner.json"
    proc = run("owner", "keygen", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    printed = proc.stdout.strip()

    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text()
    from_json = Keypair.from_json(text)
    numbers = json.loads(text)
    assert len(numbers) == 64 and all(isinstance(n, int) and 0 <= n <= 255 for n in numbers)
    from_bytes = Keypair.from_bytes(bytes(numbers))
    assert str(from_json.pubkey()) == printed
    assert str(from_bytes.pubkey()) == printed
    # The file's second half is the public key of its first half.
    assert bytes(numbers[32:]) == bytes(from_json.pubkey())
    assert Keypair.from_seed(bytes(numbers[:32])).pubkey() == from_json.pubkey()

    message = b"owner policy v1"
    assert from_json.sign_message(message).verify(from_json.pubkey(), message)

    # Never overwrites: the second keygen fails and leaves the file alone.
    again = run("owner", "keygen", "--out", str(out))
    assert again.returncode != 0
    assert "already" in again.stderr
    assert out.read_text() == text


def test_cli_reads_a_solders_keypair(tmp_path):
    keypair = Keypair()
    path = tmp_path / "solders.json"
    path.write_text(keypair.to_json())
    path.chmod(0o600)
    proc = run("owner", "pubkey", "--key", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(keypair.pubkey())

    # A public half that does not match the seed is refused.
    numbers = json.loads(keypair.to_json())
    numbers[40] ^= 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(numbers))
    bad.chmod(0o600)
    proc = run("owner", "pubkey", "--key", str(bad))
    assert proc.returncode != 0
    assert "invalid_import" in proc.stderr
