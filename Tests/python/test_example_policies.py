"""The example policies in examples/policies/: each is signed with the test
owner key, set through the daemon, and must allow one request and refuse
another, for the reason the policy is about."""
from __future__ import annotations

import json
import pathlib
import re
import struct
import subprocess

import pytest
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from conftest import REPO, Daemon, FrameSocket, bin_dir

USDC = Pubkey.from_string("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
MERCHANT = Pubkey.from_string("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM")
TOKEN = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
ATA_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
SIGN = "/waiaas.v1.Wallet/Sign"


def ata(owner: Pubkey, mint: Pubkey) -> Pubkey:
    return Pubkey.find_program_address([bytes(owner), bytes(TOKEN), bytes(mint)], ATA_PROGRAM)[0]


def transfer_checked(agent: Pubkey, destination: Pubkey, amount: int) -> Instruction:
    data = bytes([12]) + struct.pack("<Q", amount) + bytes([6])
    accounts = [AccountMeta(ata(agent, USDC), False, True), AccountMeta(USDC, False, False),
                AccountMeta(destination, False, True), AccountMeta(agent, True, False)]
    return Instruction(TOKEN, data, accounts)


def tx(agent: Pubkey, *instructions: Instruction) -> bytes:
    message = Message.new_with_blockhash(list(instructions), agent, Hash.new_unique())
    return bytes(Transaction.new_unsigned(message))


def offchain(agent: Pubkey, text: str) -> bytes:
    body = text.encode()
    return b"\xffsolana offchain" + bytes([0]) + bytes(32) + bytes([0, 1]) + bytes(agent) + struct.pack("<H", len(body)) + body


class Wallet:
    def __init__(self, daemon: Daemon, proto):
        self.daemon = daemon
        self.proto = proto
        self.agent = Pubkey.from_string(re.search(r"agent: (\w+)", daemon.output).group(1))
        self.socket = FrameSocket(daemon.socket_path)
        self.next_id = 0
        self.version = 1

    def set_policy(self, name: str) -> None:
        self.version += 1
        signed = pathlib.Path(self.daemon.home) / f"{name}.signed.json"
        waiaas = str(bin_dir() / "waiaas")
        subprocess.run([waiaas, "policy", "sign", "--owner-key", str(pathlib.Path(self.daemon.home) / "owner-dev.json"),
                        "--version", str(self.version), "--home", str(self.daemon.home), "--out", str(signed),
                        str(REPO / "examples" / "policies" / f"{name}.json")], check=True, capture_output=True, timeout=60)
        out = subprocess.run([waiaas, "policy", "set", "--socket", self.daemon.socket_path, "--json", str(signed)],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["version"] == self.version

    def sign(self, **payload):
        self.next_id += 1
        request = self.proto.wallet.SignRequest(**payload)
        self.socket.send(self.proto.rpc.Envelope(call_id=self.next_id, method=SIGN, payload=request.SerializeToString()))
        answer = self.socket.receive(self.proto)
        response = self.proto.wallet.SignResponse()
        if answer.status.code == 0:
            response.ParseFromString(answer.payload)
        return answer.status, response


@pytest.fixture
def wallet(daemon, proto):
    return Wallet(daemon, proto)


def test_trading_policy(wallet):
    wallet.set_policy("trading")
    to = Pubkey.new_unique()
    status, response = wallet.sign(transaction=tx(wallet.agent, transfer(TransferParams(from_pubkey=wallet.agent, to_pubkey=to, lamports=10_000_000))))
    assert status.code == 0, status.message
    assert Signature.from_bytes(response.signature) != Signature.default()
    # Over the 0.05 SOL per-transaction limit.
    status, _ = wallet.sign(transaction=tx(wallet.agent, transfer(TransferParams(from_pubkey=wallet.agent, to_pubkey=to, lamports=60_000_000))))
    assert status.code == 7 and "per_transaction_limit_exceeded" in [r.code for r in status.reasons]
    # A program outside the allow-list.
    other = Instruction(Pubkey.new_unique(), b"\x01", [AccountMeta(wallet.agent, True, True)])
    status, _ = wallet.sign(transaction=tx(wallet.agent, other))
    assert status.code == 7 and [r.code for r in status.reasons] == ["program_not_allowed"]


def test_payments_policy(wallet):
    wallet.set_policy("payments")
    status, response = wallet.sign(transaction=tx(wallet.agent, transfer_checked(wallet.agent, ata(MERCHANT, USDC), 5_000_000)))
    assert status.code == 0, status.message
    assert len(response.signature) == 64
    # USDC to someone who is not the merchant.
    status, _ = wallet.sign(transaction=tx(wallet.agent, transfer_checked(wallet.agent, ata(Pubkey.new_unique(), USDC), 5_000_000)))
    assert status.code == 7 and "destination_not_allowed" in [r.code for r in status.reasons]
    # Above the 20 USDC approval threshold: the owner must approve.
    status, _ = wallet.sign(transaction=tx(wallet.agent, transfer_checked(wallet.agent, ata(MERCHANT, USDC), 30_000_000)))
    assert status.code == 9 and [r.code for r in status.reasons] == ["approval_required"]


def test_research_policy(wallet):
    wallet.set_policy("research")
    status, response = wallet.sign(offchain_message=offchain(wallet.agent, "Sign in to arxiv-mirror.example"))
    assert status.code == 0, status.message
    assert Signature.from_bytes(response.signature).verify(wallet.agent, offchain(wallet.agent, "Sign in to arxiv-mirror.example"))
    status, _ = wallet.sign(offchain_message=offchain(wallet.agent, "Transfer all funds"))
    assert status.code == 7 and [r.code for r in status.reasons] == ["offchain_prefix_not_allowed"]
    # No asset may leave: even the fee of a transaction is refused.
    status, _ = wallet.sign(transaction=tx(wallet.agent, transfer(TransferParams(from_pubkey=wallet.agent, to_pubkey=Pubkey.new_unique(), lamports=1))))
    assert status.code == 7
    assert "asset_not_allowed" in [r.code for r in status.reasons] and "program_not_allowed" in [r.code for r in status.reasons]
