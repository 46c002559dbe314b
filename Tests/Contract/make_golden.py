#!/usr/bin/env python3
"""Writes Tests/Contract/golden.json: for each Wallet method, a canonical request
and response message, each with its field values (contract_json.py's
convention) and exact proto3 encoding in hex, plus the envelopes carrying them.

Run once after a proto change (python3 Tests/Contract/make_golden.py); the
Python, JavaScript and Swift contract tests check their codecs against it.
The encodings come from the official protobuf runtime (upb) over the messages
protoc --python_out generated into clients/python.
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))
sys.path.insert(0, HERE)

from contract_json import to_json  # noqa: E402
from waiaas.v1 import attestation_pb2 as at, policy_pb2 as po, rpc_pb2 as rpc, wallet_pb2 as w  # noqa: E402


def key(n: int) -> bytes:
    return bytes([n]) * 32


def sig(n: int) -> bytes:
    return bytes((n + i) % 256 for i in range(64))


TX = bytes(range(1, 0x91))  # 144 bytes: a two-byte length prefix
POLICY = po.Policy(
    format=1,
    name="trading agent, small daily budget ✓",
    assets=[po.AssetRule(symbol="SOL", decimals=9, per_transaction=po.Amount(value=100_000_000),
                         windows=[po.WindowLimit(seconds=86400, amount=1_000_000_000)],
                         approval_threshold=po.Amount(value=0))],
    programs=po.ProgramRule(allowed=[key(0x21)], include_defaults=True,
                            unlisted=po.UNLISTED_PROGRAM_ACTION_APPROVAL),
    control=po.ControlRule(allow_assign=True, allow_nonce_authority_change=True),
    offchain=po.OffchainRule(allowed=True, allowed_prefixes=["login:"], allowed_domains=[key(0x22)]),
    max_fee_lamports=po.Amount(value=50_000),
    rate_limits=[po.RateLimit(seconds=60, max_signatures=10)],
    validity=po.Validity(not_before=1_700_000_000, not_after=18_446_744_073_709_551_615),
    active_hours=[po.ActiveHours(time_zone="Europe/Berlin", weekdays=[1, 2, 3, 4, 5, 300],
                                 start_minute=540, end_minute=1080)],
    destinations=po.DestinationRule(allow=[key(0x23)], deny=[key(0x24)]),
)
REPORT = at.AttestationReport(
    format_version=1, agent_public_key=key(0xA1), owner_public_keys=[key(0xB1), key(0xB2)],
    owner_threshold=2, multisig=key(0xC1), vault=b"", policy_hash=key(0xD1), policy_version=3,
    ledger_head=at.LedgerHead(sequence=9_007_199_254_740_993, hash=key(0xE1)),
    measurement=at.CodeMeasurement(executable_sha384=bytes([0xF1]) * 48, configuration_sha384=bytes([0xF2]) * 48),
    platform=at.PLATFORM_SOFTWARE, nonce=bytes(range(32)), time_unix_ms=1_764_000_000_123,
)
REASON_OK = rpc.Reason(code="within_policy", message="sends 0.000006 SOL within every limit")
REASON_DENY = rpc.Reason(code="per_transaction_limit_exceeded",
                         message="0.500005 SOL in one transaction; the limit is 0.1 SOL")
OWNER_SIGS = [w.OwnerSignature(public_key=key(0xB1), signature=sig(1)),
              w.OwnerSignature(public_key=key(0xB2), signature=sig(2))]

METHODS = [
    ("GetStatus", w.GetStatusRequest(), w.GetStatusResponse(
        version="0.1.0", uptime_ms=123_456, connections=3, agent_public_key=key(0xA1), policy_version=1,
        policy_hash=key(0xD1), ledger_sequence=9_007_199_254_740_993, platform="software", calls_in_flight=1,
        owner_public_keys=[key(0xB1)], owner_threshold=1)),
    ("Sign", w.SignRequest(
        transaction=TX, dry_run=True,
        lookup_tables=[w.LookupTable(address=key(0x31), addresses=[key(0x32), key(0x33)])],
        client_reference="order-42 ✓"), w.SignResponse(
        decision=w.DECISION_ALLOW, signature=sig(7), signed_transaction=TX, ledger_sequence=18_446_744_073_709_551_615,
        reasons=[REASON_OK], signer=key(0xA1),
        outflows=[w.AssetAmount(mint=b"", amount=1_005_000, decimals=9, decimals_known=True)],
        replayed=True, max_fee_lamports=5000)),
    ("Propose", w.ProposeRequest(
        transaction=TX, lookup_tables=[w.LookupTable(address=key(0x31), addresses=[key(0x32)])], vault_index=1,
        submit=True, recent_blockhash=key(0x41), memo="needs the owners", ephemeral_signers=2), w.ProposeResponse(
        multisig=key(0xC1), vault=key(0xC2), transaction_index=42, vault_transaction=key(0xC3), proposal=key(0xC4),
        signed_transaction=TX, signature=sig(9), submitted=True, ledger_sequence=77,
        reasons=[rpc.Reason(code="approval_required", message="0.5 SOL is above the approval threshold")])),
    ("SetPolicy", w.SetPolicyRequest(
        policy=POLICY.SerializeToString(), version=2, signatures=OWNER_SIGS, agent_public_key=key(0xA1)),
     w.SetPolicyResponse(version=2, policy_hash=key(0xD2), ledger_sequence=12)),
    ("Attest", w.AttestRequest(nonce=bytes(range(32))), w.AttestResponse(
        report=REPORT.SerializeToString(), signature=sig(11), nitro_document=b"")),
    ("GetPolicy", w.GetPolicyRequest(), w.GetPolicyResponse(
        policy=POLICY.SerializeToString(), version=2, policy_hash=key(0xD2), signatures=OWNER_SIGS,
        ledger_sequence=12)),
]


def entry(msg) -> dict:
    return {"type": msg.DESCRIPTOR.full_name, "fields": to_json(msg), "hex": msg.SerializeToString().hex()}


def main() -> None:
    methods = {}
    for i, (name, req, resp) in enumerate(METHODS, start=1):
        path = f"/waiaas.v1.Wallet/{name}"
        call_id = i if i < 6 else 9_007_199_254_740_993
        req_env = rpc.Envelope(call_id=call_id, method=path, payload=req.SerializeToString(), timeout_ms=5000)
        req_env.metadata["request-id"] = f"r{i}"
        resp_env = rpc.Envelope(call_id=call_id, method=path, payload=resp.SerializeToString(), status=rpc.Status())
        methods[name] = {
            "path": path,
            "request": entry(req),
            "response": entry(resp),
            "request_envelope": entry(req_env),
            "response_envelope": entry(resp_env),
        }
    errors = {
        "sign_denied": entry(rpc.Envelope(call_id=8, method="/waiaas.v1.Wallet/Sign", status=rpc.Status(
            code=7, message="denied by policy (ledger #3)", reasons=[REASON_DENY]))),
        "connection_error": entry(rpc.Envelope(call_id=0, status=rpc.Status(
            code=3, message="a request with call id 0"))),
        "negative_code": entry(rpc.Status(code=-1, message="int32 below zero: ten varint bytes")),
    }
    extra = {
        "policy": entry(POLICY),
        "attestation_report": entry(REPORT),
        "sign_offchain": entry(w.SignRequest(offchain_message=b"\xffsolana offchain", client_reference="")),
        "sign_empty_transaction": entry(w.SignRequest(transaction=b"")),
    }
    doc = {
        "comment": "Generated by Tests/Contract/make_golden.py from the protos in Protos/waiaas/v1 with the "
                   "official protobuf runtime. Every client's codec must encode `fields` to exactly `hex` and decode "
                   "`hex` back to `fields`. Conventions: keys are proto field names; bytes are hex; 64-bit integers "
                   "are decimal strings; enums are numbers; defaults are left out; a oneof member is present when set.",
        "methods": methods,
        "errors": errors,
        "messages": extra,
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
