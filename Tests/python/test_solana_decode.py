"""Cross-check `waiaas decode --json` against solders on the corpus in
solana_corpus.py: every message field, the exact message bytes and
re-encoding, the resolved accounts, each decoded instruction and the fee
payer's outflows and fees."""
import base64
import json
import os
import pathlib
import subprocess

import pytest
from solders.message import to_bytes_versioned
from solders.pubkey import Pubkey

import solana_corpus

COMPUTE_BUDGET = Pubkey.from_string("ComputeBudget111111111111111111111111111111")

REPO = pathlib.Path(__file__).resolve().parents[2]


def waiaas_bin():
    path = pathlib.Path(os.environ.get("WAIAAS_BIN") or REPO / ".build" / "debug") / "waiaas"
    # Fail, not skip: a missing binary means the suite did not test anything.
    assert path.is_file(), f"waiaas CLI not found at {path}; build it or set WAIAAS_BIN"
    return str(path)


def decode(raw, *args, tables=None, tmp_path=None, encoding="base64"):
    cmd = [waiaas_bin(), "decode", "--json"]
    if tables is not None:
        f = tmp_path / "tables.json"
        f.write_text(json.dumps(tables))
        cmd += ["--lookup-tables", str(f)]
    text = base64.b64encode(raw).decode()
    if encoding == "base58":
        text = b58encode(raw)
    elif encoding == "hex":
        text = raw.hex(); cmd += ["--encoding", "hex"]
    proc = subprocess.run(cmd + list(args) + [text], capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), f"crashed: rc={proc.returncode} stderr={proc.stderr}"
    return proc.returncode, json.loads(proc.stdout)


ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(b):
    n = int.from_bytes(b, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return "1" * (len(b) - len(b.lstrip(b"\0"))) + out


CORPUS = solana_corpus.corpus()


def test_corpus_is_varied():
    assert len(CORPUS) >= 200
    versions = {c["version"] for c in CORPUS}
    assert versions == {"legacy", "v0", "v1"}
    assert sum(1 for c in CORPUS if c["tables"]) >= 30
    assert sum(1 for c in CORPUS if c["withheld"]) >= 10
    assert sum(1 for c in CORPUS if c["msg"].header.num_required_signatures > 1) >= 30


def rename(value, names: dict):
    """value with every string found in names replaced by its name."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [rename(v, names) for v in value]
    if isinstance(value, dict):
        return {k: rename(v, names) for k, v in value.items()}
    return value


def subset(expected, actual, where):
    for k, v in expected.items():
        assert k in actual, f"{where}: missing {k} in {actual}"
        assert actual[k] == v, f"{where}: {k}: {actual[k]!r} != {v!r}"


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: f"{c['version']}-{c['seed']}")
def test_decode_matches_solders(case, tmp_path):
    raw, msg, tx = case["raw"], case["msg"], case["tx"]
    enc = ["base64", "base58", "hex"][case["seed"] % 3]
    rc, out = decode(raw, tables=case["tables"] if case["version"] == "v0" else None, tmp_path=tmp_path, encoding=enc)
    assert rc == 0, out
    # Bytes: exact re-encoding, and the signed bytes are solders' message serialization.
    assert out["encoded"] == raw.hex()
    assert out["messageBytes"] == to_bytes_versioned(msg).hex()
    assert out["version"] == {"legacy": "legacy", "v0": 0, "v1": 1}[case["version"]]
    assert out["signatures"] == [str(s) for s in tx.signatures]
    m = out["message"]
    h = msg.header
    assert m["header"] == {"numRequiredSignatures": h.num_required_signatures,
                           "numReadonlySignedAccounts": h.num_readonly_signed_accounts,
                           "numReadonlyUnsignedAccounts": h.num_readonly_unsigned_accounts}
    assert m["accountKeys"] == [str(k) for k in msg.account_keys]
    assert m["recentBlockhash"] == str(msg.recent_blockhash)
    assert m["instructions"] == [{"programIdIndex": ix.program_id_index, "accounts": list(ix.accounts), "data": bytes(ix.data).hex()}
                                 for ix in msg.instructions]
    if case["version"] == "v0":
        assert m["addressTableLookups"] == [{"accountKey": t, "writableIndexes": w, "readonlyIndexes": r} for t, w, r in case["lookups"]]
    if case["version"] == "v1":
        cfg = case["config"]
        assert m["config"] == {"priorityFee": cfg.priority_fee, "computeUnitLimit": cfg.compute_unit_limit,
                               "loadedAccountsDataSizeLimit": cfg.loaded_accounts_data_size_limit, "heapSize": cfg.heap_size}

    # Resolved accounts: static, then loaded writable, then loaded read-only.
    full = case["full_tables"]
    withheld = case["withheld"]
    static = [str(k) for k in msg.account_keys]
    loaded_w = [None if t == withheld else full[t][i] for t, w, _ in case["lookups"] for i in w]
    loaded_r = [None if t == withheld else full[t][i] for t, _, r in case["lookups"] for i in r]
    keys = static + loaded_w + loaded_r
    assert [a["pubkey"] for a in out["accounts"]] == keys
    n_sig, ro_s, ro_u = h.num_required_signatures, h.num_readonly_signed_accounts, h.num_readonly_unsigned_accounts
    writable = [i < n_sig - ro_s if i < n_sig else i < len(static) - ro_u for i in range(len(static))] + [True] * len(loaded_w) + [False] * len(loaded_r)
    assert [a["writable"] for a in out["accounts"]] == writable
    assert [a["signer"] for a in out["accounts"]] == [i < n_sig for i in range(len(keys))]
    if withheld:
        assert [u["table"] for u in out["unresolvedLookups"]] == [withheld]

    # Instructions, in order.
    assert len(out["instructions"]) == len(case["expect"])
    unresolved_idx = set()
    for i, (ix_json, (prog, kind, info)) in enumerate(zip(out["instructions"], case["expect"])):
        compiled = msg.instructions[i]
        uses_missing = any(keys[a] is None for a in compiled.accounts)
        if uses_missing:
            # What the bytes say is shown, each missing account as "table T, index i".
            assert ix_json.get("resolved") is False, ix_json
            missing = [(p, keys[a]) for p, a in enumerate(compiled.accounts) if keys[a] is None]
            assert [m["position"] for m in ix_json["missingAccounts"]] == [p for p, _ in missing], ix_json
            assert all(m["table"] == withheld for m in ix_json["missingAccounts"]), ix_json
            unresolved_idx.add(i)
            named = {}
            for t, w, r in case["lookups"]:
                if t == withheld:
                    for index in [*w, *r]:
                        named[full[t][index]] = f"table {t}, index {index}"
            info = rename(info, named)
        assert ix_json["type"] == kind, (i, ix_json, kind)
        if kind == "batch":
            inner = ix_json["info"]["instructions"]
            assert [x["type"] for x in inner] == [x["type"] for x in info["instructions"]]
            for a, e in zip(inner, info["instructions"]):
                subset(e["info"], a["info"], f"batch in ix {i}")
        elif prog == "other":
            assert ix_json["info"]["data"] == info["data"]
        else:
            subset(info, ix_json["info"], f"ix {i}")

    # Effects for the fee payer.
    eff = out["effects"]
    assert eff["feePayer"] == case["payer"] == eff["signer"]
    assert eff["numSignatures"] == n_sig
    assert eff["baseFeeLamports"] == 5000 * n_sig
    if case["version"] == "v1":
        cfg = case["config"]
        priority = cfg.priority_fee or 0
        assert eff["computeUnitLimit"] == (cfg.compute_unit_limit or 0)
    elif case["cu_limit"] is not None:
        priority = -(-(case["cu_limit"] * case["cu_price"]) // 10**6)
        assert eff["computeUnitLimit"] == case["cu_limit"]
        assert eff["computeUnitPriceMicroLamports"] == case["cu_price"]
    else:
        priority = 0
        # No limit requested: the runtime default's upper bound, 3,000 units for each ComputeBudget
        # instruction (SIMD-0170) and 200,000 for every other one, at most 1.4M.
        programs = [msg.account_keys[ix.program_id_index] for ix in msg.instructions]
        assert eff["computeUnitLimit"] == min(1_400_000, sum(3_000 if p == COMPUTE_BUDGET else 200_000 for p in programs))
    assert eff["priorityFeeLamports"] == priority
    assert eff["maxFeeLamports"] == 5000 * n_sig + priority
    assert eff["durableNonce"] is not None if case["nonce"] else eff["durableNonce"] is None
    if not unresolved_idx:
        assert eff["unresolvedInstructions"] == []
        totals = {t["asset"]: t for t in eff["totals"]}
        assert set(totals) == set(case["outflows"]), (totals, case["outflows"])
        for asset, amount in case["outflows"].items():
            assert totals[asset]["amount"] == min(amount, 2**64 - 1), asset
            assert totals[asset]["unbounded"] == (asset in case["unbounded"] or amount >= 2**64), asset
    else:
        assert eff["unresolvedInstructions"] == sorted(unresolved_idx)
        assert eff["fullyDecoded"] is False
