"""Balances and transfers through the daemon (issue 14): GetBalances reads
the agent's SOL and tokens through the RPC endpoints; Transfer builds the
transaction (creating the destination's associated token account when it
is missing), signs it through exactly the Sign path, submits it to the
LiteSVM-backed node and waits for confirmation; SignRequest.submit does the
same for a transaction the agent built. Balances are compared in LiteSVM;
the spend is counted once; a refused transfer sends nothing."""
from __future__ import annotations

import base64

import pytest
from solders.hash import Hash
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from conftest import Daemon
from rpc_node import RpcNode, ata_address
from wallet_helpers import (FAILED_PRECONDITION, OK, PERMISSION_DENIED, SIGN, Wallet, cli_json, fresh_pubkey, ledger_rows,
                            set_policy_cli, sol_outflow, start)

SOL = 1_000_000_000
TRANSFER = "/waiaas.v1.Wallet/Transfer"
GET_BALANCES = "/waiaas.v1.Wallet/GetBalances"


def policy(mint: Pubkey | None = None) -> dict:
    assets = [{"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "3"}]}]
    if mint is not None:
        assets.append({"mint": str(mint), "symbol": "TST", "decimals": 6, "per_transaction": "25", "windows": [{"period": "24h", "limit": "100"}]})
    return {"format": 1, "name": "transfers", "assets": assets, "programs": {"include_defaults": True}}


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


def serve(daemon_home, node: RpcNode | None, policy_json: dict) -> Daemon:
    d = start(Daemon(daemon_home, ["--rpc-url", node.url] if node else []))
    assert set_policy_cli(d, policy_json, 2).get("version") == 2
    return d


class Calls(Wallet):
    _RESPONSES = {**Wallet._RESPONSES, TRANSFER: "TransferResponse", GET_BALANCES: "GetBalancesResponse"}

    def transfer(self, to: Pubkey, amount: int, mint: Pubkey | None = None, memo: str = ""):
        return self.call(TRANSFER, self.proto.wallet.TransferRequest(
            mint=bytes(mint) if mint else b"", destination=bytes(to), amount=amount, memo=memo))

    def balances(self):
        return self.call(GET_BALANCES, self.proto.wallet.GetBalancesRequest())


def test_sol_transfer_lands_and_is_counted_once(proto, node, daemon_home):
    d = serve(daemon_home, node, policy())
    try:
        to = fresh_pubkey()
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, 2 * SOL)
            reply = w.transfer(to, SOL // 2, memo="rent for December")
            assert reply.code == OK, reply
            sign = reply.response.sign
            assert proto.wallet.SubmissionStatus.Name(sign.submission.status) == "SUBMISSION_STATUS_FINALIZED", sign.submission
            assert node.landed(Signature.from_bytes(bytes(sign.signature)))
            fee = 2 * SOL - SOL // 2 - node.balance(agent)
            assert node.balance(to) == SOL // 2
            # The base fee only: the daemon set a unit limit and no price.
            assert fee == 5_000, fee
            assert sol_outflow(sign) >= SOL // 2 + fee
        rows = [r for r in ledger_rows(d.home) if r["kind"] == "sign"]
        assert len(rows) == 1 and rows[0]["signature"], "exactly one sign row, with the signature"
        # The same agent can spend the rest of its window, and not more: the transfer was counted.
        with Calls(proto, d.socket_path, timeout=60) as w:
            node.airdrop(w.agent(), 5 * SOL)
            assert w.transfer(to, 9 * SOL // 10).code == OK
            # The same transfer under the same blockhash is the same transaction: the
            # earlier signature, counted once (it can land only once anyway).
            again = w.transfer(to, 9 * SOL // 10)
            assert again.code == OK and again.response.sign.replayed, again
            node.expire_blockhashes()
            assert w.transfer(to, 9 * SOL // 10).code == OK
            node.expire_blockhashes()
            # Fees count too: 0.5 + 0.9 + 0.9 SOL and three fees leave less than 0.9 SOL of the 3 SOL window.
            over = w.transfer(to, 9 * SOL // 10)
            assert over.code == PERMISSION_DENIED and "window_24h_exceeded" in over.reasons, over
    finally:
        d.stop()


def test_token_transfer_to_a_wallet_without_an_ata_creates_it(proto, node, daemon_home):
    mint = node.create_mint(decimals=6, mint_authority=fresh_pubkey())
    d = serve(daemon_home, node, policy(mint))
    try:
        to = fresh_pubkey()
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, SOL)
            source = node.create_ata(agent, mint, amount=40_000_000)
            assert node.account(ata_address(to, mint)) is None
            balances = w.balances()
            assert balances.code == OK, balances
            tokens = balances.response.tokens
            assert [(bytes(t.mint), t.amount, t.decimals, bytes(t.account)) for t in tokens] == [(bytes(mint), 40_000_000, 6, bytes(source))]
            assert balances.response.lamports == node.balance(agent)
            reply = w.transfer(to, 12_500_000, mint=mint)
            assert reply.code == OK, reply
            outflows = {bytes(o.mint): o.amount for o in reply.response.sign.outflows}
            assert outflows[bytes(mint)] == 12_500_000
        assert node.token_amount(ata_address(to, mint)) == 12_500_000
        assert node.token_amount(source) == 27_500_000
    finally:
        d.stop()


def test_a_transfer_over_the_limit_is_refused_and_nothing_is_sent(proto, node, daemon_home):
    d = serve(daemon_home, node, policy())
    try:
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, 5 * SOL)
            reply = w.transfer(fresh_pubkey(), SOL + 1)
            assert reply.code == PERMISSION_DENIED and "per_transaction_limit_exceeded" in reply.reasons, reply
        assert node.calls["sendTransaction"] == 0
        assert node.balance(agent) == 5 * SOL
    finally:
        d.stop()


def test_sign_with_submit_sends_what_the_agent_built(proto, node, daemon_home):
    d = serve(daemon_home, node, policy())
    try:
        to = fresh_pubkey()
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, SOL)
            message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=to, lamports=SOL // 10))], agent, node.latest_blockhash())
            reply = w.call(SIGN, proto.wallet.SignRequest(transaction=bytes(Transaction.new_unsigned(message)), submit=True))
            assert reply.code == OK, reply
            assert proto.wallet.SubmissionStatus.Name(reply.response.submission.status) == "SUBMISSION_STATUS_FINALIZED"
        assert node.balance(to) == SOL // 10
    finally:
        d.stop()


def test_an_expired_blockhash_is_reported_expired(proto, node, daemon_home):
    """A node that takes the transaction and drops it (as a real one may
    under load): once the blockhash is invalid and no endpoint has the
    signature even in its history, it can never land, and the answer says so."""
    d = serve(daemon_home, node, policy())
    try:
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, SOL)
            stale = node.latest_blockhash()
            node.expire_blockhashes()

            def accept_and_drop(envelope: dict) -> dict:
                sent = node.params_of("sendTransaction")[0]
                signature = Transaction.from_bytes(base64.b64decode(sent)).signatures[0]
                return {"jsonrpc": "2.0", "result": str(signature), "id": envelope["id"]}

            node.mutate(accept_and_drop, method="sendTransaction")
            to = fresh_pubkey()
            message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=to, lamports=SOL // 10))], agent, stale)
            reply = w.call(SIGN, proto.wallet.SignRequest(transaction=bytes(Transaction.new_unsigned(message)), submit=True))
            assert reply.code == OK, reply
            assert proto.wallet.SubmissionStatus.Name(reply.response.submission.status) == "SUBMISSION_STATUS_EXPIRED", reply.response.submission
            assert str(stale) in reply.response.submission.error
            assert node.calls["isBlockhashValid"] >= 1
        assert node.balance(to) == 0
    finally:
        d.stop()


def test_a_transaction_every_node_refuses_is_failed(proto, node, daemon_home):
    d = serve(daemon_home, node, policy())
    try:
        with Calls(proto, d.socket_path, timeout=60) as w:
            agent = w.agent()
            node.airdrop(agent, SOL)
            stale = node.latest_blockhash()
            node.expire_blockhashes()
            message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=fresh_pubkey(), lamports=SOL // 10))], agent, stale)
            reply = w.call(SIGN, proto.wallet.SignRequest(transaction=bytes(Transaction.new_unsigned(message)), submit=True))
            assert reply.code == OK, reply
            assert proto.wallet.SubmissionStatus.Name(reply.response.submission.status) == "SUBMISSION_STATUS_FAILED", reply.response.submission
            assert "lockhash" in reply.response.submission.error, reply.response.submission
    finally:
        d.stop()


def test_without_rpc_transfers_and_balances_say_why(proto, daemon_home):
    d = serve(daemon_home, None, policy())
    try:
        with Calls(proto, d.socket_path) as w:
            for reply in (w.transfer(fresh_pubkey(), 1), w.balances(),
                          w.call(SIGN, proto.wallet.SignRequest(transaction=b"\x01" + bytes(64), submit=True))):
                assert reply.code == FAILED_PRECONDITION and "--rpc-url" in reply.message, reply
        assert not [r for r in ledger_rows(d.home) if r["kind"] == "sign"], "nothing may be signed"
    finally:
        d.stop()


def test_cli_balance_and_transfer(proto, node, daemon_home):
    d = serve(daemon_home, node, policy())
    try:
        with Calls(proto, d.socket_path) as w:
            agent = w.agent()
        node.airdrop(agent, 2 * SOL)
        shown = cli_json("balance", "--socket", d.socket_path, "--json")
        assert shown["lamports"] == 2 * SOL and shown["decimals"] == 9 and shown["tokens"] == [], shown
        to = fresh_pubkey()
        sent = cli_json("transfer", "--socket", d.socket_path, "--to", str(to), "--amount", "0.25", "--json")
        assert sent["status"] == "finalized" and sent["lamports"] == SOL // 4 and sent["decimals"] == 9 and sent["sequence"] >= 1, sent
        assert node.balance(to) == SOL // 4
        refused = cli_json("transfer", "--socket", d.socket_path, "--to", str(to), "--amount", "1.5", "--json", expect_rc=1)
        assert refused["decision"] == "deny" and "per_transaction_limit_exceeded" in [r["code"] for r in refused["reasons"]], refused
    finally:
        d.stop()
