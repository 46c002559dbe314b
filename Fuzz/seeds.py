#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ (committed; run again
only to change them): real transactions of every version built with solders
(through Tests/python/solana_corpus.py), off-chain messages, envelopes for
every Wallet method with real payloads, frames of them, CBOR shaped like NSM
messages and Nitro documents, and policies (examples/policies/*.json, a
policy using every rule, and their protobuf encodings). Deterministic.

    python3 Fuzz/seeds.py
"""
import base64
import hashlib
import json
import pathlib
import shutil
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "clients" / "python"))
sys.path.insert(0, str(REPO / "Tests" / "python"))

from solders.pubkey import Pubkey  # noqa: E402
from waiaas.v1 import policy_pb2, rpc_pb2, wallet_pb2  # noqa: E402

import solana_corpus  # noqa: E402

OUT = HERE / "corpus"
written = {}


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(bytes(data))
    written.setdefault(target, []).append(len(data))


def b58(text):
    return bytes(Pubkey.from_string(text))


# --- solana ---------------------------------------------------------------
def transactions():
    kinds = [
        ("legacy", dict(version="legacy")),
        ("v0", dict(version="v0")),
        ("v0-lookups", dict(version="v0", lookups=True)),
        ("v0-lookups-withheld", dict(version="v0", lookups=True, withhold=True)),
        ("v1", dict(version="v1")),
        ("nonce", dict(nonce=True)),
    ]
    out = []
    for name, kwargs in kinds:
        made, seed = 0, 0
        while made < 3 and seed < 500:
            seed += 1
            try:
                case = solana_corpus.build_case(7_000 + seed * 13 + len(out), **kwargs)
            except Exception:
                continue
            limit = 4096 if case["version"] == "v1" else 1232
            if len(case["raw"]) > limit:
                continue
            if kwargs.get("lookups") and not case["lookups"]:
                continue
            made += 1
            out.append((f"{name}-{made}", case["raw"]))
    return out


def squads_transactions():
    """Squads v4 instructions an agent would sign, encoded from the IDL (Tests/python/test_squads_idl.py)."""
    from solders.hash import Hash
    from solders.message import Message
    from solders.transaction import Transaction
    from test_squads_idl import PROGRAM, compact_message, instruction

    agent = Pubkey(bytes([7] * 32))
    multisig, vault, proposal, destination = (Pubkey(bytes([b] * 32)) for b in (11, 12, 13, 14))
    system = Pubkey.from_string("11111111111111111111111111111111")
    message, _ = compact_message(vault, destination, 1_000_000)
    made = [
        ("squads-create", instruction("vaultTransactionCreate", {"multisig": multisig, "transaction": proposal, "creator": agent,
                                      "rentPayer": agent, "systemProgram": system},
                                      {"args": {"vaultIndex": 0, "ephemeralSigners": 0, "transactionMessage": message, "memo": "m"}})),
        ("squads-approve", instruction("proposalApprove", {"multisig": multisig, "member": agent, "proposal": proposal}, {"args": {"memo": None}})),
        ("squads-spend", instruction("spendingLimitUse", {"multisig": multisig, "member": agent, "spendingLimit": proposal, "vault": vault,
                                     "destination": destination, "systemProgram": system, "mint": PROGRAM, "vaultTokenAccount": PROGRAM,
                                     "destinationTokenAccount": PROGRAM, "tokenProgram": PROGRAM},
                                     {"args": {"amount": 5, "decimals": 9, "memo": None}})),
    ]
    return [(name, bytes(Transaction.new_unsigned(Message.new_with_blockhash([ix], agent, Hash(bytes([9] * 32))))))
            for name, ix in made]


# --- offchain -------------------------------------------------------------
def offchain(fmt, signers, text, domain=bytes(32)):
    body = text.encode()
    out = b"\xffsolana offchain" + bytes([0]) + domain + bytes([fmt, len(signers)])
    for s in signers:
        out += s
    return out + struct.pack("<H", len(body)) + body


SIGNER_A = bytes(range(1, 33))
SIGNER_B = bytes([0xA1] * 32)
OFFCHAIN = [
    ("ascii-login", offchain(0, [SIGNER_A], "login: agent 42 at 2026-12-01T00:00:00Z\n")),
    ("ascii-hello", offchain(0, [SIGNER_B], "hello")),
    ("utf8-two-signers", offchain(1, [SIGNER_A, SIGNER_B], "Zahlung bestätigt ✓")),
    ("extended-utf8", offchain(2, [SIGNER_B], "日本語のメッセージ " * 4, domain=bytes(range(32)))),
]


# --- envelopes ------------------------------------------------------------
def envelope(call_id, method, payload=b"", **kw):
    e = rpc_pb2.Envelope(call_id=call_id, method=method, payload=payload, **kw)
    return e.SerializeToString()


def policy_from_json(doc):
    """The protobuf Policy for a JSON policy (the subset the examples use)."""
    def units(text, decimals):
        whole, _, frac = text.partition(".")
        return int(whole or "0") * 10 ** decimals + int((frac + "0" * decimals)[:decimals] or "0")

    def seconds(text):
        n, unit = int(text[:-1]), text[-1]
        return n * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]

    p = policy_pb2.Policy(format=doc.get("format", 1), name=doc.get("name", ""))
    for a in doc.get("assets", []):
        mint = b58(a["mint"]) if "mint" in a else b""
        dec = a.get("decimals", 9)
        r = p.assets.add(mint=mint, symbol=a.get("symbol", "SOL" if not mint else ""), decimals=dec)
        if "per_transaction" in a:
            r.per_transaction.value = units(a["per_transaction"], dec)
        if "approval_threshold" in a:
            r.approval_threshold.value = units(a["approval_threshold"], dec)
        for w in a.get("windows", []):
            r.windows.add(seconds=seconds(w["period"]), amount=units(w["limit"], dec))
    if "programs" in doc:
        pr = doc["programs"]
        p.programs.include_defaults = pr.get("include_defaults", True)
        p.programs.allowed.extend(b58(k) for k in pr.get("allow", []))
        p.programs.unlisted = 1 if pr.get("unlisted") == "approval" else 0
    if "control" in doc:
        for k, v in doc["control"].items():
            if k == "allow_instructions":
                p.control.allow_instructions.extend(v)
            else:
                setattr(p.control, k, v)
    p.allow_durable_nonce = doc.get("allow_durable_nonce", False)
    if "offchain" in doc:
        o = doc["offchain"]
        p.offchain.allowed = o.get("allowed", False)
        p.offchain.allowed_prefixes.extend(o.get("prefixes", []))
        p.offchain.allowed_domains.extend(b58(k) for k in o.get("domains", []))
    if "max_fee" in doc:
        p.max_fee_lamports.value = units(doc["max_fee"], 9)
    for r in doc.get("rate_limits", []):
        p.rate_limits.add(seconds=seconds(r["period"]), max_signatures=r["max_signatures"])
    if "validity" in doc:
        p.validity.not_before = 1_767_225_600
        p.validity.not_after = 1_798_761_600
    for h in doc.get("active_hours", []):
        days = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
        hh, mm = (int(x) for x in h["from"].split(":"))
        eh, em = (int(x) for x in h["to"].split(":"))
        p.active_hours.add(time_zone=h["time_zone"], weekdays=[days[d] for d in h.get("weekdays", [])],
                           start_minute=hh * 60 + mm, end_minute=eh * 60 + em)
    if "destinations" in doc:
        d = doc["destinations"]
        p.destinations.allow.extend(b58(k) for k in d.get("allow", []))
        p.destinations.deny.extend(b58(k) for k in d.get("deny", []))
    return p.SerializeToString()


RICH_POLICY = {
    "format": 1,
    "name": "every rule",
    "assets": [
        {"asset": "SOL", "per_transaction": "0.5", "approval_threshold": "0.25",
         "windows": [{"period": "1h", "limit": "1"}, {"period": "24h", "limit": "2.5"}]},
        {"mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "symbol": "USDC", "decimals": 6,
         "per_transaction": "25", "windows": [{"period": "24h", "limit": "100"}], "approval_threshold": "10"},
    ],
    "programs": {"include_defaults": True, "allow": ["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"], "unlisted": "approval"},
    "control": {"allow_assign": False, "allow_allocate": True, "allow_token_approve": False, "allow_set_authority": False,
                "allow_close_to_foreign": False, "allow_nonce_authority_change": True},
    "allow_durable_nonce": True,
    "offchain": {"allowed": True, "prefixes": ["login:"], "domains": ["11111111111111111111111111111111"]},
    "max_fee": "0.001",
    "rate_limits": [{"period": "1m", "max_signatures": 20}],
    "validity": {"not_before": "2026-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z"},
    "active_hours": [{"time_zone": "Europe/Berlin", "weekdays": ["mon", "tue", "wed", "thu", "fri"], "from": "08:00", "to": "18:30"}],
    "destinations": {"allow": ["9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"], "deny": ["11111111111111111111111111111111"]},
}


def policies():
    docs = []
    for path in sorted((REPO / "examples" / "policies").glob("*.json")):
        docs.append((path.stem, path.read_text()))
    docs.append(("every-rule", json.dumps(RICH_POLICY, indent=1)))
    return docs


# --- cbor -----------------------------------------------------------------
def cbor(item):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError(n)

    if item is None:
        return b"\xf6"
    if item is True:
        return b"\xf5"
    if item is False:
        return b"\xf4"
    if isinstance(item, int):
        return head(0, item) if item >= 0 else head(1, -1 - item)
    if isinstance(item, bytes):
        return head(2, len(item)) + item
    if isinstance(item, str):
        b = item.encode()
        return head(3, len(b)) + b
    if isinstance(item, list):
        return head(4, len(item)) + b"".join(cbor(x) for x in item)
    if isinstance(item, dict):
        return head(5, len(item)) + b"".join(cbor(k) + cbor(v) for k, v in item.items())
    if isinstance(item, tuple) and item[0] == "tag":
        return head(6, item[1]) + cbor(item[2])
    raise TypeError(item)


def nitro_like(user_data=None, nonce=None, public_key=None):
    payload = {
        "module_id": "i-0123456789abcdef0-enc0123456789abcdef",
        "digest": "SHA384",
        "timestamp": 1_665_651_480_000,
        "pcrs": {i: bytes([i]) * 48 for i in range(4)},
        "certificate": bytes(range(200)),
        "cabundle": [bytes(range(100)), bytes(range(120))],
        "public_key": public_key,
        "user_data": user_data,
        "nonce": nonce,
    }
    protected = cbor({1: -35})
    return cbor([protected, {}, cbor(payload), bytes(96)]), cbor(payload)


def main():
    # Inputs the fuzzers once crashed on (regression-*) are kept; the rest is written anew.
    if OUT.exists():
        for path in sorted(OUT.rglob("*"), reverse=True):
            if path.is_file() and not path.name.startswith("regression-"):
                path.unlink()

    txs = transactions()
    for name, raw in txs:
        put("solana", name, raw)
    for name, raw in squads_transactions():
        put("solana", name, raw)

    for name, msg in OFFCHAIN:
        put("offchain", name, msg)

    sign_tx = txs[0][1]
    v0 = next(raw for name, raw in txs if name.startswith("v0-lookups"))
    pol = policies()
    envs = [
        ("sign-transaction", envelope(1, "/waiaas.v1.Wallet/Sign", wallet_pb2.SignRequest(
            transaction=sign_tx, client_reference="order-17").SerializeToString(), timeout_ms=5000, metadata={"request-id": "abc"})),
        ("sign-v0-tables", envelope(2, "/waiaas.v1.Wallet/Sign", wallet_pb2.SignRequest(
            transaction=v0, dry_run=True, lookup_tables=[wallet_pb2.LookupTable(address=bytes(range(32)), addresses=[bytes(32), bytes([1]) * 32])]
        ).SerializeToString())),
        ("sign-offchain", envelope(3, "/waiaas.v1.Wallet/Sign", wallet_pb2.SignRequest(
            offchain_message=OFFCHAIN[0][1]).SerializeToString())),
        ("propose", envelope(4, "/waiaas.v1.Wallet/Propose", wallet_pb2.ProposeRequest(
            transaction=sign_tx, vault_index=0, recent_blockhash=bytes(range(32)), memo="pay rent", ephemeral_signers=1).SerializeToString())),
        ("set-policy", envelope(5, "/waiaas.v1.Wallet/SetPolicy", wallet_pb2.SetPolicyRequest(
            policy=policy_from_json(RICH_POLICY), version=2,
            signatures=[wallet_pb2.OwnerSignature(public_key=SIGNER_A, signature=bytes(64))], agent_public_key=SIGNER_B).SerializeToString())),
        ("attest", envelope(6, "/waiaas.v1.Wallet/Attest", wallet_pb2.AttestRequest(nonce=bytes(range(32))).SerializeToString())),
        ("get-status", envelope(7, "/waiaas.v1.Wallet/GetStatus")),
        ("get-policy", envelope(8, "/waiaas.v1.Wallet/GetPolicy")),
        ("answer-with-status", envelope(9, "/waiaas.v1.Wallet/Sign", status=rpc_pb2.Status(
            code=7, message="denied", reasons=[rpc_pb2.Reason(code="per_transaction", message="over the limit")]))),
    ]
    for name, env in envs:
        put("envelope", name, env)

    def frame(body):
        return struct.pack(">I", len(body)) + body

    # Frame seeds: config byte (see Fuzz/Targets/frame.swift), chunk specs
    # (length; action << 6 | 50 ms steps), stream.
    all_frames = b"".join(frame(e) for _, e in envs)
    put("frame", "one-sign", bytes([0x00]) + frame(envs[0][1]))
    put("frame", "all-methods-closed", bytes([0x04]) + all_frames)
    put("frame", "split-3", bytes([0x30, 2, 0, 7, 0, 50, 3]) + all_frames)
    put("frame", "drip-then-timeout", bytes([0x48, 1, 4, 1, 4, 1, 4, 1, 10]) + frame(envs[6][1]) + frame(envs[7][1])[:5])
    put("frame", "partial-then-close", bytes([0x14, 3, 0]) + frame(envs[5][1])[:-1])
    put("frame", "small-maximum", bytes([0x21, 1, 0, 4, 0]) + frame(b"\x08\x01") + frame(bytes(20)))
    put("frame", "pause-resume-closed", bytes([0x34, 10, 0x40, 200, 0x14, 60, 0x82]) + all_frames)
    put("frame", "paused-close-then-resume", bytes([0x24, 30, 0x40, 255, 0xC0]) + all_frames)
    a, b = frame(envs[0][1]), frame(envs[6][1])
    half_a, half_b = min(len(a) // 2, 255), len(b) // 2
    # Each frame has its own clock: 0.6 s for the first, 0.6 s more with the second begun.
    put("frame", "clock-per-frame", bytes([0x24, half_a, 12, min(len(a) - half_a + half_b, 255), 12]) + a + b)
    put("frame", "zero-length", bytes([0x00]) + frame(envs[6][1]) + b"\x00\x00\x00\x00")

    for name, text in pol:
        put("policy", f"{name}.json", text)
        put("policy", f"{name}.pb", policy_from_json(json.loads(text)))

    doc, payload = nitro_like(user_data=b"hello, world!", public_key=b"my super secret key")
    doc2, payload2 = nitro_like(nonce=bytes(range(64)))
    items = [
        ("cose-sign1-like", doc),
        ("cose-sign1-like-tagged", b"\xd2" + doc2),
        ("nitro-payload-like", payload),
        ("nsm-attestation-request", cbor({"Attestation": {"user_data": b"u", "nonce": bytes(16), "public_key": b"k"}})),
        ("nsm-attestation-response", cbor({"Attestation": {"document": doc}})),
        ("nsm-error-response", cbor({"Error": "InvalidArgument"})),
        ("every-major-type", cbor([0, 23, 24, 255, 65535, 2**32, 2**64 - 1, -1, -25, -(2**64), b"", b"\x00\xff", "", "text ✓",
                                   [], {}, {"k": [1, {"n": None}]}, ("tag", 1, 1_665_651_480), True, False, None])),
    ]
    for name, data in items:
        put("cbor", name, data)

    # JSON as Solana nodes write it (field names and shapes of Solana's RPC
    # documentation), an error envelope, and every kind of value.
    alt = base64.b64encode(b"\x01\x00\x00\x00" + b"\xff" * 8 + bytes(44) + bytes(range(32))).decode()
    put("json", "get-multiple-accounts", json.dumps({"jsonrpc": "2.0", "result": {"context": {"apiVersion": "2.1.0", "slot": 341}, "value": [
        {"data": [alt, "base64"], "executable": False, "lamports": 1_461_600, "owner": "AddressLookupTab1e1111111111111111111111111",
         "rentEpoch": 2**64 - 1, "space": 88}, None]}, "id": 1}))
    put("json", "rpc-error", '{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid param: \\"x\\" \\u00e9 \\ud83d\\ude00"},"id":2}')
    put("json", "simulate", json.dumps({"jsonrpc": "2.0", "result": {"context": {"slot": 9}, "value": {
        "err": {"InstructionError": [0, {"Custom": 1}]}, "logs": ["Program 11111111111111111111111111111111 invoke [1]"],
        "accounts": [None], "unitsConsumed": 150, "returnData": None}}, "id": 3}, indent=2))
    put("json", "scalars", '[1, -2, 3.5e-10, 0, -0, 1E+2, true, false, null, "a\\n\\t\\/", {}, []]')

    for target, sizes in sorted(written.items()):
        print(f"{target}: {len(sizes)} seeds, {sum(sizes)} bytes (largest {max(sizes)})")


if __name__ == "__main__":
    main()
