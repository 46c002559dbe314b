"""Refusals cannot fill the disk: a refused request keeps only what the audit
needs (the bytes judged, the decision, the reasons), the caller's lookup-table
contents are bounded and never stored, and past a rate per connection and per
peer uid a refusal is answered RESOURCE_EXHAUSTED and leaves no row."""
from __future__ import annotations

import os
import time

from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import VersionedTransaction

from wallet_helpers import PERMISSION_DENIED, Wallet, ledger_rows

RESOURCE_EXHAUSTED = 8
INVALID_ARGUMENT = 3
TABLES = 20


def maximum_size_refusal(agent: Pubkey, proto, n: int):
    """A SignRequest as large as a frame allows: a v0 transfer of 5 SOL (past
    the dev policy's 0.1 SOL per transaction) that refers to 20 lookup tables,
    with 256 claimed addresses for each (about 170 KiB of caller's claims)."""
    program = Pubkey(bytes([7] * 32))
    loaded = [Keypair().pubkey() for _ in range(TABLES)]
    tables = [AddressLookupTableAccount(Keypair().pubkey(), [loaded[i]] + [Keypair().pubkey() for _ in range(255)]) for i in range(TABLES)]
    opaque = Instruction(program, bytes([n & 0xFF]), [AccountMeta(k, False, False) for k in loaded])
    message = MessageV0.try_compile(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=Keypair().pubkey(), lamports=5 * 10**9)), opaque],
                                    tables, Hash(os.urandom(32)))
    assert len(message.address_table_lookups) == TABLES
    tx = VersionedTransaction.populate(message, [Signature.default()])
    request = proto.wallet.SignRequest(transaction=bytes(tx))
    for table in tables:
        request.lookup_tables.add(address=bytes(table.key), addresses=[bytes(a) for a in table.addresses])
    return request


def ledger_bytes(home) -> int:
    """The ledger's size on disk: the database and its write-ahead log (which
    SQLite checkpoints into the database and then reuses)."""
    return sum(os.path.getsize(home / name) for name in ("ledger.sqlite", "ledger.sqlite-wal") if (home / name).exists())


def test_a_refused_request_keeps_what_the_audit_needs(daemon, proto):
    home = daemon.home
    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
        before_rows = len(ledger_rows(home))
        daemon.stop()
        before = ledger_bytes(home)
        daemon.start()
    with Wallet(proto, daemon.socket_path) as w:
        recorded = 0
        request_size = 0
        for n in range(60):
            request = maximum_size_refusal(agent, proto, n)
            request_size = len(request.SerializeToString())
            reply = w.call("/waiaas.v1.Wallet/Sign", request)
            assert reply.code == PERMISSION_DENIED, reply
            assert "per_transaction_limit_exceeded" in reply.reasons
            assert "(ledger #" in reply.message, reply.message
            recorded += 1
        rows = ledger_rows(home)[before_rows:]
        assert len(rows) == recorded
        for row in rows:
            assert row["kind"] == "deny"
            # The transaction (under 1,232 bytes) and the reference, never the claimed tables.
            assert len(row["request"]) < 1_400, len(row["request"])
    # A clean stop checkpoints the log into the database: what stays on disk.
    daemon.stop()
    growth = ledger_bytes(home) - before
    per_thousand = growth / recorded * 1000
    print(f"\nrequest {request_size} bytes; ledger growth per 1,000 refused maximum-size requests: {per_thousand / 2**20:.2f} MiB")
    assert request_size > 150_000
    assert per_thousand < 4 * 2**20, f"{per_thousand} bytes per 1,000 refusals"


def test_claimed_tables_are_bounded(daemon, proto):
    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
        request = maximum_size_refusal(agent, proto, 0)
        request.lookup_tables.add(address=bytes(Keypair().pubkey()), addresses=[])
        reply = w.call("/waiaas.v1.Wallet/Sign", request)
        assert reply.code == INVALID_ARGUMENT and "invalid_lookup_table" in reply.reasons, reply
        assert "not one the transaction refers to" in reply.message
        del request.lookup_tables[-1]
        request.lookup_tables[0].addresses.append(bytes(32))
        reply = w.call("/waiaas.v1.Wallet/Sign", request)
        assert reply.code == INVALID_ARGUMENT and "at most 256 addresses" in reply.message, reply


def test_refusals_past_the_rate_are_not_recorded(daemon, proto):
    """One connection sends refusals as fast as it can: past its burst (100)
    and rate (20/s) they are answered RESOURCE_EXHAUSTED with no row; a dry
    run and an allowed request on the same connection still work."""
    home = daemon.home
    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
        before_rows = len(ledger_rows(home))
        start = time.monotonic()
        codes = []
        small = proto.wallet.SignRequest(transaction=bytes(VersionedTransaction.populate(
            MessageV0.try_compile(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=Keypair().pubkey(), lamports=5 * 10**9))], [],
                                  Hash(os.urandom(32))), [Signature.default()])))
        for _ in range(400):
            codes.append(w.call("/waiaas.v1.Wallet/Sign", small).code)
        elapsed = time.monotonic() - start
        denied = codes.count(PERMISSION_DENIED)
        exhausted = codes.count(RESOURCE_EXHAUSTED)
        assert denied + exhausted == 400, codes
        assert exhausted > 0, "no refusal was turned away"
        assert denied <= 100 + 20 * elapsed + 1, (denied, elapsed)
        assert len(ledger_rows(home)) - before_rows == denied, "a turned-away refusal left a row"

        # Dry runs record nothing and are not limited; allowed requests are not limited here.
        small.dry_run = True
        dry = w.call("/waiaas.v1.Wallet/Sign", small)
        assert dry.code == 0 and dry.response.decision == proto.wallet.DECISION_DENY, dry
        ok = proto.wallet.SignRequest(transaction=bytes(VersionedTransaction.populate(
            MessageV0.try_compile(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=Keypair().pubkey(), lamports=1_000))], [],
                                  Hash(os.urandom(32))), [Signature.default()])))
        assert w.call("/waiaas.v1.Wallet/Sign", ok).code == 0

    # A second connection of the same uid still has its own burst, bounded by the uid's.
    with Wallet(proto, daemon.socket_path) as w2:
        small.dry_run = False
        codes = [w2.call("/waiaas.v1.Wallet/Sign", small).code for _ in range(150)]
        assert codes.count(PERMISSION_DENIED) > 0
        assert codes.count(PERMISSION_DENIED) <= 100 + 20 * (time.monotonic() - start) + 1
