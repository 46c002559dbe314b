"""Helpers shared by the end-to-end wallet tests: RPC calls over the
daemon's socket, transactions built with solders, Solana off-chain
messages, SetPolicy requests signed with the owner key, the CLI, and
read-only looks into the ledger file."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import pathlib
import sqlite3
import struct
import subprocess
import threading
from dataclasses import dataclass, field

import pytest
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from conftest import Daemon, FrameSocket, bin_dir

# gRPC status codes (docs/PROTOCOL.md).
OK = 0
INVALID_ARGUMENT = 3
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
UNAUTHENTICATED = 16

LAMPORTS_PER_SOL = 1_000_000_000
FEE_PER_SIGNATURE = 5_000

SIGN = "/waiaas.v1.Wallet/Sign"
SET_POLICY = "/waiaas.v1.Wallet/SetPolicy"
GET_POLICY = "/waiaas.v1.Wallet/GetPolicy"
GET_STATUS = "/waiaas.v1.Wallet/GetStatus"

# The owner's SetPolicy signing message: tag || agent || version u64 BE || sha256(policy).
POLICY_TAG = b"\xffwaiaas set-policy v1\x00"
OFFCHAIN_DOMAIN = b"\xffsolana offchain"


# ---------------------------------------------------------------- RPC


@dataclass
class Reply:
    """One answer: the status and, when OK, the parsed response."""

    code: int
    message: str
    reasons: list = field(default_factory=list)  # reason codes
    response: object = None
    payload: bytes = b""

    def __repr__(self) -> str:  # shown by pytest when an assertion fails
        return f"Reply(code={self.code}, reasons={self.reasons}, message={self.message!r})"


class Wallet:
    """A synchronous client for one connection: one call at a time."""

    _RESPONSES = {SIGN: "SignResponse", SET_POLICY: "SetPolicyResponse", GET_POLICY: "GetPolicyResponse",
                  GET_STATUS: "GetStatusResponse"}

    def __init__(self, proto, socket_path: str, timeout: float = 15.0):
        self.proto = proto
        self.conn = FrameSocket(socket_path, timeout=timeout)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Wallet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def call(self, method: str, request) -> Reply:
        call_id = next(self._ids)
        self.conn.send(self.proto.rpc.Envelope(call_id=call_id, method=method, payload=request.SerializeToString()))
        answer = self.conn.receive(self.proto)
        if answer is None:
            raise ConnectionError(f"{method}: the daemon closed the connection without answering")
        assert answer.call_id == call_id, f"answer for call {answer.call_id}, expected {call_id}"
        reply = Reply(answer.status.code, answer.status.message, [r.code for r in answer.status.reasons], payload=answer.payload)
        if answer.status.code == OK:
            response = getattr(self.proto.wallet, self._RESPONSES[method])()
            response.ParseFromString(answer.payload)
            reply.response = response
        return reply

    def sign(self, transaction: bytes, dry_run: bool = False, reference: str = "") -> Reply:
        return self.call(SIGN, self.proto.wallet.SignRequest(transaction=transaction, dry_run=dry_run, client_reference=reference))

    def sign_message(self, message: bytes, dry_run: bool = False) -> Reply:
        return self.call(SIGN, self.proto.wallet.SignRequest(offchain_message=message, dry_run=dry_run))

    def status(self):
        reply = self.call(GET_STATUS, self.proto.wallet.GetStatusRequest())
        assert reply.code == OK, reply
        return reply.response

    def policy(self):
        reply = self.call(GET_POLICY, self.proto.wallet.GetPolicyRequest())
        assert reply.code == OK, reply
        return reply.response

    def set_policy(self, request) -> Reply:
        return self.call(SET_POLICY, request)

    def agent(self) -> Pubkey:
        key = bytes(self.status().agent_public_key)
        assert len(key) == 32, f"GetStatus names no agent key: {key!r}"
        return Pubkey.from_bytes(key)


def sol_outflow(response) -> int:
    """The SOL (empty mint) amount a SignResponse counts against the policy."""
    return sum(o.amount for o in response.outflows if len(o.mint) == 0)


# ---------------------------------------------------------------- transactions


def transfer_tx(agent: Pubkey, to: Pubkey, lamports: int, blockhash: Hash | None = None,
                fee_payer: Pubkey | None = None, extra: list[Instruction] | None = None) -> bytes:
    """A serialized, unsigned (zeroed slots) transaction moving lamports from the agent."""
    instructions = [transfer(TransferParams(from_pubkey=agent, to_pubkey=to, lamports=lamports)), *(extra or [])]
    message = Message.new_with_blockhash(instructions, fee_payer or agent, blockhash or Hash.new_unique())
    return bytes(Transaction.new_unsigned(message))


def tx_message_bytes(transaction: bytes) -> bytes:
    return bytes(Transaction.from_bytes(transaction).message)


def verify_agent_signature(signature: bytes, agent: Pubkey, message: bytes) -> None:
    assert len(signature) == 64, f"signature is {len(signature)} bytes"
    assert Signature.from_bytes(signature).verify(agent, message), "the agent's signature does not verify over the message bytes"


# ---------------------------------------------------------------- off-chain messages


def offchain_message(signers: list[Pubkey], text: bytes, domain: bytes = bytes(32), fmt: int = 0) -> bytes:
    """A Solana off-chain message, header version 0."""
    assert len(domain) == 32
    return (OFFCHAIN_DOMAIN + bytes([0]) + domain + bytes([fmt, len(signers)])
            + b"".join(bytes(s) for s in signers) + struct.pack("<H", len(text)) + text)


# ---------------------------------------------------------------- SetPolicy


def owner_key(daemon: Daemon) -> Keypair:
    path = daemon.home / "owner-dev.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: `waiaasd serve --dev` should create the dev owner key")
    return Keypair.from_json(path.read_text())


def policy_signing_message(agent: bytes, version: int, policy: bytes) -> bytes:
    return POLICY_TAG + agent + struct.pack(">Q", version) + hashlib.sha256(policy).digest()


def set_policy_request(proto, signer: Keypair, agent: bytes, version: int, policy: bytes,
                       stated_agent: bytes | None = None, signed_policy: bytes | None = None,
                       signed_version: int | None = None, signed_agent: bytes | None = None):
    """A SetPolicyRequest; the signed_* arguments make the signature cover something else."""
    message = policy_signing_message(signed_agent if signed_agent is not None else agent,
                                     signed_version if signed_version is not None else version,
                                     signed_policy if signed_policy is not None else policy)
    signature = bytes(signer.sign_message(message))
    return proto.wallet.SetPolicyRequest(
        policy=policy, version=version, agent_public_key=agent if stated_agent is None else stated_agent,
        signatures=[proto.wallet.OwnerSignature(public_key=bytes(signer.pubkey()), signature=signature)])


def sol_policy(proto, per_transaction: int, window_24h: int, offchain: bool = False, name: str = "test"):
    """A waiaas.v1.Policy for SOL only, the default programs."""
    p = proto.policy
    policy = p.Policy(format=1, name=name)
    policy.assets.append(p.AssetRule(symbol="SOL", decimals=9, per_transaction=p.Amount(value=per_transaction),
                                     windows=[p.WindowLimit(seconds=86_400, amount=window_24h)]))
    policy.programs.CopyFrom(p.ProgramRule(include_defaults=True))
    if offchain:
        policy.offchain.CopyFrom(p.OffchainRule(allowed=True))
    return policy


# ---------------------------------------------------------------- CLI


def cli(*args: str, check: bool = False, timeout: float = 30.0) -> subprocess.CompletedProcess:
    result = subprocess.run([str(bin_dir() / "waiaas"), *args], capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"waiaas {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def cli_json(*args: str, expect_rc: int | None = 0) -> dict:
    result = cli(*args)
    if expect_rc is not None:
        assert result.returncode == expect_rc, f"waiaas {' '.join(args)} exited {result.returncode} (want {expect_rc}):\n{result.stdout}{result.stderr}"
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"waiaas {' '.join(args)} printed no JSON:\n{result.stdout}{result.stderr}")


def sign_policy_file(daemon: Daemon, policy_json: dict, version: int, name: str = "policy") -> pathlib.Path:
    """`waiaas policy sign` with the dev owner key; returns the signed file."""
    source = daemon.home.parent / f"{name}-v{version}.json"
    signed = daemon.home.parent / f"{name}-v{version}.signed.json"
    source.write_text(json.dumps(policy_json))
    if signed.exists():
        signed.unlink()
    cli("policy", "sign", "--owner-key", str(daemon.home / "owner-dev.json"), "--version", str(version),
        "--home", str(daemon.home), "--out", str(signed), str(source), check=True)
    return signed


def set_policy_cli(daemon: Daemon, policy_json: dict, version: int) -> dict:
    """Sign and set a policy through the CLI; returns `policy set --json`."""
    signed = sign_policy_file(daemon, policy_json, version)
    return cli_json("policy", "set", "--socket", daemon.socket_path, str(signed), "--json")


def generous_sol_policy(per_transaction: str, window: str, **extra) -> dict:
    return {"format": 1, "name": "generous test policy",
            "assets": [{"asset": "SOL", "per_transaction": per_transaction, "windows": [{"period": "24h", "limit": window}]}],
            "programs": {"include_defaults": True}, **extra}


# ---------------------------------------------------------------- daemon


def drain_output(daemon: Daemon) -> threading.Thread:
    """Keep reading the daemon's stdout so its log lines never fill the pipe and block it."""
    process = daemon.process

    def run():
        for line in process.stdout:
            daemon.output += line

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def start(daemon: Daemon) -> Daemon:
    daemon.start()
    drain_output(daemon)
    return daemon


def ledger_rows(home: pathlib.Path) -> list[sqlite3.Row]:
    """Every ledger row, read-only, in sequence order."""
    path = home / "ledger.sqlite"
    if not path.exists():
        pytest.fail(f"{path} does not exist")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return db.execute("SELECT * FROM ledger ORDER BY sequence").fetchall()
    finally:
        db.close()


def decode_outflows(blob: bytes) -> list[tuple[bytes, int]]:
    """The ledger's canonical outflow list: u32 count, then (u32 len, asset, u64 amount), big-endian."""
    (count,) = struct.unpack_from(">I", blob, 0)
    offset, out = 4, []
    for _ in range(count):
        (length,) = struct.unpack_from(">I", blob, offset)
        asset = blob[offset + 4:offset + 4 + length]
        (amount,) = struct.unpack_from(">Q", blob, offset + 4 + length)
        offset += 12 + length
        out.append((asset, amount))
    assert offset == len(blob), "trailing bytes after the outflow list"
    return out


def ledger_verify_available() -> bool:
    result = cli("ledger", "verify", "--help")
    return result.returncode == 0


def fresh_pubkey() -> Pubkey:
    return Keypair().pubkey()


def random_blockhash() -> Hash:
    return Hash(os.urandom(32))


def program_call(program: Pubkey, signer: Pubkey, data: bytes = b"\x00") -> Instruction:
    return Instruction(program, data, [AccountMeta(signer, True, True)])
