"""Lookup tables read from the chain (issue 14, docs/RPC.md): the daemon
resolves every table a v0 transaction refers to through its --rpc-url
endpoints (the LiteSVM-backed test node, rpc_node.py), judges the loaded
accounts like static ones, and refuses whenever the chain cannot vouch for
them: a caller who lies about a table, endpoints that disagree, a table
that is deactivated, missing or too short, and an endpoint that fails in
any way. What the daemon signs is executed in the node's LiteSVM and the
balances compared; nothing is ever signed on the strength of guessed data."""
from __future__ import annotations

import time

import pytest
from solders.account import Account
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import VersionedTransaction

from bypass_helpers import lookup_tables
from conftest import Daemon
from rpc_node import ALT_PROGRAM_ID, RpcNode, lookup_table_data
from wallet_helpers import (FEE_PER_SIGNATURE, OK, PERMISSION_DENIED, RESOURCE_EXHAUSTED, SIGN, Wallet, cli_json, fresh_pubkey,
                            set_policy_cli, sol_outflow, start)

SOL = 1_000_000_000


def policy(**extra) -> dict:
    return {"format": 1, "name": "tables from the chain",
            "assets": [{"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "5"}]}],
            "programs": {"include_defaults": True}, **extra}


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


def serve(daemon_home, *urls: str, extra: tuple[str, ...] = (), policy_json: dict | None = None) -> Daemon:
    args = [a for url in urls for a in ("--rpc-url", url)]
    d = start(Daemon(daemon_home, [*args, *extra]))
    out = set_policy_cli(d, policy_json or policy(), 2)
    assert out.get("version") == 2, out
    return d


@pytest.fixture
def chain_daemon(daemon_home, node):
    d = serve(daemon_home, node.url)
    yield d
    d.stop()


def unsigned_v0(payer: Pubkey, lamports: int, to: Pubkey, tables: dict[Pubkey, list[Pubkey]], blockhash: Hash) -> bytes:
    message = MessageV0.try_compile(payer, [transfer(TransferParams(from_pubkey=payer, to_pubkey=to, lamports=lamports))],
                                    [AddressLookupTableAccount(k, v) for k, v in tables.items()], blockhash)
    assert message.address_table_lookups, "the destination must be loaded from the table"
    return bytes(VersionedTransaction.populate(message, [Signature.default()] * message.header.num_required_signatures))


def sign(w: Wallet, tx: bytes, claimed: dict[Pubkey, list[Pubkey]] | None = None, dry_run: bool = False):
    return w.call(SIGN, w.proto.wallet.SignRequest(transaction=tx, dry_run=dry_run, lookup_tables=lookup_tables(w.proto, claimed)))


def assert_refused(reply, code: str) -> None:
    assert reply.code == PERMISSION_DENIED, reply
    assert code in reply.reasons, reply
    assert "within_policy" not in reply.reasons, reply


# ------------------------------------------------------------ resolved and signed


def test_transfer_through_a_chain_table_is_signed_and_lands(proto, node, chain_daemon):
    merchant = fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, 3 * SOL)
        table = node.create_lookup_table([merchant])
        tx = unsigned_v0(agent, SOL // 10, merchant, {table: [merchant]}, node.latest_blockhash())
        reply = sign(w, tx)
        assert reply.code == OK, reply
        assert "within_policy" in [r.code for r in reply.response.reasons], reply
        # The loaded destination is counted like a static one: amount and fee.
        assert sol_outflow(reply.response) == SOL // 10 + FEE_PER_SIGNATURE
        result = node.svm.send_transaction(VersionedTransaction.from_bytes(bytes(reply.response.signed_transaction)))
        assert type(result).__name__ == "TransactionMetadata", result
    assert node.balance(merchant) == SOL // 10
    assert node.balance(agent) == 3 * SOL - SOL // 10 - FEE_PER_SIGNATURE
    assert node.commitment_of("getMultipleAccounts") == "confirmed"


def test_a_loaded_destination_meets_the_allow_list(proto, node, daemon_home):
    """The table's contents are now evidence, so the destination rules judge
    them: a loaded attacker is refused as destination_not_allowed."""
    merchant, attacker = fresh_pubkey(), fresh_pubkey()
    d = serve(daemon_home, node.url, policy_json=policy(destinations={"allow": [str(merchant)]}))
    try:
        with Wallet(proto, d.socket_path) as w:
            agent = w.agent()
            table = node.create_lookup_table([attacker, merchant])
            blockhash = node.latest_blockhash()
            assert_refused(sign(w, unsigned_v0(agent, 1000, attacker, {table: [attacker, merchant]}, blockhash)),
                           "destination_not_allowed")
            reply = sign(w, unsigned_v0(agent, 1000, merchant, {table: [attacker, merchant]}, blockhash), dry_run=True)
            assert reply.code == OK and reply.response.decision == proto.wallet.Decision.Value("DECISION_ALLOW"), reply
    finally:
        d.stop()


def test_a_lying_caller_is_refused(proto, node, chain_daemon):
    """The review's attack, with the chain to compare: the caller claims the
    table holds the allowed merchant while it holds the attacker."""
    merchant, attacker = fresh_pubkey(), fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        agent = w.agent()
        table = node.create_lookup_table([attacker])
        tx = unsigned_v0(agent, 1000, attacker, {table: [attacker]}, node.latest_blockhash())
        reply = sign(w, tx, claimed={table: [merchant]})
        assert_refused(reply, "lookup_table_mismatch")
        assert str(merchant) in reply.message and str(attacker) in reply.message, reply.message
        # The same request without the lie is judged on the chain's contents.
        assert sign(w, tx, dry_run=True).code == OK


def test_a_table_extended_after_caching_still_resolves(proto, node, chain_daemon):
    first, second = fresh_pubkey(), fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        agent = w.agent()
        table = node.create_lookup_table([first])
        blockhash = node.latest_blockhash()
        assert sign(w, unsigned_v0(agent, 1000, first, {table: [first]}, blockhash), dry_run=True).code == OK
        reads = node.calls["getMultipleAccounts"]
        # Cached: the same index again makes no call.
        assert sign(w, unsigned_v0(agent, 2000, first, {table: [first]}, blockhash), dry_run=True).code == OK
        assert node.calls["getMultipleAccounts"] == reads
        node.extend_lookup_table(table, [second])
        reply = sign(w, unsigned_v0(agent, 3000, second, {table: [first, second]}, blockhash), dry_run=True)
        assert reply.code == OK, reply
        assert node.calls["getMultipleAccounts"] == reads + 1


def test_a_deactivated_table_is_refused(proto, node, chain_daemon):
    to = fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        table = node.create_lookup_table([to])
        node.deactivate_lookup_table(table)
        assert_refused(sign(w, unsigned_v0(w.agent(), 1000, to, {table: [to]}, node.latest_blockhash())), "lookup_table_deactivated")


def test_an_index_past_the_table_is_refused(proto, node, chain_daemon):
    to = fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        table = node.create_lookup_table([fresh_pubkey()])
        # Compiled against a longer table than the chain's: index 1 does not exist.
        tx = unsigned_v0(w.agent(), 1000, to, {table: [fresh_pubkey(), to]}, node.latest_blockhash())
        assert_refused(sign(w, tx), "lookup_table_index_out_of_range")


@pytest.mark.parametrize("kind", ["missing", "foreign-owner", "not-a-table"])
def test_what_is_not_a_table_is_refused(proto, node, chain_daemon, kind):
    to = fresh_pubkey()
    table = fresh_pubkey()
    if kind == "foreign-owner":
        data = lookup_table_data([to], None, 2**64 - 1, 0, 0)
        node.set_account(table, Account(10 * SOL, data, Pubkey.from_string("11111111111111111111111111111111"), False, 0))
    elif kind == "not-a-table":
        node.set_account(table, Account(10 * SOL, b"\x00" * 56, ALT_PROGRAM_ID, False, 0))
    with Wallet(proto, chain_daemon.socket_path) as w:
        assert_refused(sign(w, unsigned_v0(w.agent(), 1000, to, {table: [to]}, node.latest_blockhash())), "lookup_table_not_found")


# ------------------------------------------------------------ quorum


def test_two_endpoints_that_agree_sign_and_one_that_lies_refuses(proto, daemon_home):
    to, attacker = fresh_pubkey(), fresh_pubkey()
    with RpcNode() as a, RpcNode() as b:
        table = Keypair().pubkey()
        for n in (a, b):
            n.create_lookup_table([to], address=table)
        d = serve(daemon_home, a.url, b.url)
        try:
            with Wallet(proto, d.socket_path) as w:
                agent = w.agent()
                tx = unsigned_v0(agent, 1000, to, {table: [to]}, a.latest_blockhash())
                assert sign(w, tx, dry_run=True).code == OK
                assert a.calls["getMultipleAccounts"] == 1 and b.calls["getMultipleAccounts"] == 1
                # Node b lies about a second table: the daemon believes neither.
                other = Keypair().pubkey()
                a.create_lookup_table([to], address=other)
                b.lie(other, Account(SOL, lookup_table_data([attacker], None, 2**64 - 1, 0, 0), ALT_PROGRAM_ID, False, 0))
                reply = sign(w, unsigned_v0(agent, 1000, to, {other: [to]}, a.latest_blockhash()))
                assert_refused(reply, "rpc_disagreement")
                assert a.url.split("//")[1].split("/")[0] in reply.message, reply.message
        finally:
            d.stop()


# ------------------------------------------------------------ faults


FAULTS = {
    "http-500": lambda n: n.http_error(500, b"upstream exploded", method="getMultipleAccounts"),
    "json-rpc-error": lambda n: n.rpc_error(-32005, "Node is behind by 42 slots", data={"numSlotsBehind": 42}, method="getMultipleAccounts"),
    "malformed-json": lambda n: n.truncate(method="getMultipleAccounts"),
    "wrong-type": lambda n: n.replace_field("result.value.0.lamports", "5", method="getMultipleAccounts"),
    "missing-value": lambda n: n.drop_field("result.value", method="getMultipleAccounts"),
    "reset": lambda n: n.reset(method="getMultipleAccounts"),
    "timeout": lambda n: n.hang(method="getMultipleAccounts", seconds=5),
    # Past the 8 MiB bound on any answer: cut off as it arrives, never buffered whole.
    "oversize": lambda n: n.raw_body(b'{"jsonrpc":"2.0","id":1,"result":"' + b"A" * (9 << 20) + b'"}', method="getMultipleAccounts"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_refuses_with_a_clear_reason(proto, node, daemon_home, fault):
    to = fresh_pubkey()
    d = serve(daemon_home, node.url, extra=("--rpc-timeout-ms", "700"))
    try:
        with Wallet(proto, d.socket_path) as w:
            table = node.create_lookup_table([to])
            tx = unsigned_v0(w.agent(), 1000, to, {table: [to]}, node.latest_blockhash())
            armed = FAULTS[fault](node)
            reply = sign(w, tx)
            assert armed.hits >= 1, f"the {fault} fault never fired"
            assert_refused(reply, "rpc_unavailable")
            assert "127.0.0.1" in reply.message, reply.message
            if fault == "oversize":
                assert "larger than 8388608 bytes" in reply.message, reply.message
            node.clear_faults()
            # The node is healthy again: the same request is signed (nothing was cached from the failure).
            assert sign(w, tx).code == OK
    finally:
        d.stop()


def test_an_endpoint_that_is_down_refuses_and_the_url_path_stays_secret(proto, daemon_home):
    to, table = fresh_pubkey(), fresh_pubkey()
    url = RpcNode.unused_url() + "/v1/SECRET-API-KEY?api-key=SECRET"
    d = serve(daemon_home, url)
    try:
        with Wallet(proto, d.socket_path) as w:
            reply = sign(w, unsigned_v0(w.agent(), 1000, to, {table: [to]}, Hash.new_unique()))
            assert_refused(reply, "rpc_unavailable")
            assert "SECRET" not in reply.message, reply.message
    finally:
        d.stop()
    assert "SECRET" not in d.output


# ------------------------------------------------------------ the CLI


def test_decode_reads_tables_from_the_chain(node):
    to = fresh_pubkey()
    table = node.create_lookup_table([to])
    payer = fresh_pubkey()
    tx = unsigned_v0(payer, 1234, to, {table: [to]}, node.latest_blockhash())
    import base64
    out = cli_json("decode", "--json", "--rpc-url", node.url, base64.b64encode(tx).decode())
    assert out["effects"]["fullyDecoded"] is True, out["effects"]
    assert out["effects"]["destinations"] == [str(to)]
    node.deactivate_lookup_table(table)
    other = cli_json("decode", "--json", "--rpc-url", node.url, base64.b64encode(unsigned_v0(payer, 1, to, {table: [to]}, node.latest_blockhash())).decode())
    # The deactivated table was cached by the first run? No: each CLI run starts with an empty cache.
    assert [p["kind"] for p in other["effects"]["lookupTableProblems"]] == ["deactivated"], other["effects"]
    assert other["effects"]["fullyDecoded"] is False


def test_a_connection_reset_is_retried_and_connections_are_kept_alive(proto, node, chain_daemon):
    """A transport failure before any answer is tried again (and only that:
    the faults above, which are answers, are not); calls share connections."""
    with Wallet(proto, chain_daemon.socket_path) as w:
        agent = w.agent()
        blockhash = node.latest_blockhash()
        for _ in range(5):
            to = fresh_pubkey()
            table = node.create_lookup_table([to])
            assert sign(w, unsigned_v0(agent, 1000, to, {table: [to]}, blockhash), dry_run=True).code == OK
        assert node.connections == 1, f"{node.connections} connections for 5 calls"
        to = fresh_pubkey()
        table = node.create_lookup_table([to])
        armed = node.reset(method="getMultipleAccounts", times=1)
        reply = sign(w, unsigned_v0(agent, 1000, to, {table: [to]}, blockhash), dry_run=True)
        assert armed.hits == 1 and reply.code == OK, reply
        assert node.calls["getMultipleAccounts"] == 7


def test_chain_reads_are_bounded_per_peer_and_cached_tables_still_sign(proto, node, chain_daemon):
    """Dry runs through tables nobody created: each would cost the operator's
    endpoint a read, and dry runs are neither recorded nor refusal-limited.
    Past the connection's chain-read burst (200) and rate (50/s) they are
    answered RESOURCE_EXHAUSTED before anything is read; a transaction
    through a table already cached still signs on the same connection."""
    merchant = fresh_pubkey()
    with Wallet(proto, chain_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, 3 * SOL)
        table = node.create_lookup_table([merchant])
        blockhash = node.latest_blockhash()
        cached = unsigned_v0(agent, SOL // 10, merchant, {table: [merchant]}, blockhash)
        assert sign(w, cached, dry_run=True).code == OK  # reads the table once: cached from here on
        reads_before = sum(node.calls.values())
        start_time = time.monotonic()
        codes = []
        for _ in range(400):
            stranger = fresh_pubkey()
            codes.append(sign(w, unsigned_v0(agent, 1_000, stranger, {Keypair().pubkey(): [stranger]}, blockhash), dry_run=True).code)
        elapsed = time.monotonic() - start_time
        reads = sum(node.calls.values()) - reads_before
        exhausted = codes.count(RESOURCE_EXHAUSTED)
        assert exhausted > 0, "no request was turned away"
        judged = len(codes) - exhausted
        assert judged <= 200 + 50 * elapsed + 2, (judged, elapsed)
        assert reads <= judged * 2, (reads, judged)  # at most a read and a retry for each judged one
        refused = sign(w, unsigned_v0(agent, 1_000, merchant, {Keypair().pubkey(): [merchant]}, blockhash), dry_run=True)
        assert refused.code == RESOURCE_EXHAUSTED and "read the chain" in refused.message, refused
        reply = sign(w, cached)
        assert reply.code == OK and "within_policy" in [r.code for r in reply.response.reasons], reply
