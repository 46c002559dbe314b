"""Simulation (issue 14, docs/POLICY.md "Simulation"): with "simulate": true
the daemon simulates each transaction through its RPC endpoints (the
LiteSVM-backed test node) and counts whichever is worse, the static
outflows or the simulated balance decreases of the agent's accounts. A
failed, unavailable or disputed simulation denies with its own reason, and
nothing is signed."""
from __future__ import annotations

import base64

import pytest
from solders.hash import Hash
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from bypass_helpers import TOKEN_PROGRAM, transfer_checked
from conftest import Daemon
from rpc_node import RpcNode, token_account_data
from wallet_helpers import FEE_PER_SIGNATURE, OK, PERMISSION_DENIED, Wallet, fresh_pubkey, set_policy_cli, sol_outflow, start

SOL = 1_000_000_000
SYSTEM = "11111111111111111111111111111111"


def policy(simulate: bool = True, **extra) -> dict:
    return {"format": 1, "name": "simulated",
            "assets": [{"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "5"}]}],
            "programs": {"include_defaults": True}, "simulate": simulate, **extra}


def serve(daemon_home, *urls: str, policy_json: dict | None = None) -> Daemon:
    d = start(Daemon(daemon_home, [a for url in urls for a in ("--rpc-url", url)]))
    out = set_policy_cli(d, policy_json or policy(), 2)
    assert out.get("version") == 2, out
    return d


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


@pytest.fixture
def sim_daemon(daemon_home, node):
    d = serve(daemon_home, node.url)
    yield d
    d.stop()


def unsigned_transfer(agent: Pubkey, to: Pubkey, lamports: int, blockhash: Hash) -> bytes:
    message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=to, lamports=lamports))], agent, blockhash)
    return bytes(Transaction.new_unsigned(message))


def sol_account(lamports: int) -> dict:
    return {"lamports": lamports, "owner": SYSTEM, "data": ["", "base64"], "executable": False, "rentEpoch": 0, "space": 0}


def test_an_honest_transfer_is_simulated_signed_and_lands(proto, node, sim_daemon):
    to = fresh_pubkey()
    with Wallet(proto, sim_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, 2 * SOL)
        reply = w.sign(unsigned_transfer(agent, to, SOL // 4, node.latest_blockhash()))
        assert reply.code == OK, reply
        assert node.calls["simulateTransaction"] == 1
        # The simulation asked for the agent's account, with signatures unchecked and the blockhash kept.
        config = node.params_of("simulateTransaction")[1]
        assert config["sigVerify"] is False and config["replaceRecentBlockhash"] is False, config
        assert str(agent) in config["accounts"]["addresses"], config
        # Counted once: the static outflow (amount + fee) is the larger here, and equals the simulated loss.
        assert sol_outflow(reply.response) == SOL // 4 + FEE_PER_SIGNATURE
        result = node.svm.send_transaction(Transaction.from_bytes(bytes(reply.response.signed_transaction)))
        assert type(result).__name__ == "TransactionMetadata", result
    assert node.balance(to) == SOL // 4


def test_a_small_static_transfer_with_a_large_simulated_loss_is_refused(proto, node, sim_daemon):
    """The bytes send 0.01 SOL; the staged simulation shows the agent losing
    1.5 SOL (what an undecoded program might do): the worse one counts."""
    to = fresh_pubkey()
    with Wallet(proto, sim_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, 2 * SOL)
        node.stage_simulation({"accounts": [sol_account(2 * SOL - 3 * SOL // 2)]}, merge=True)
        reply = w.sign(unsigned_transfer(agent, to, SOL // 100, node.latest_blockhash()))
        assert reply.code == PERMISSION_DENIED, reply
        assert "per_transaction_limit_exceeded" in reply.reasons, reply
        assert "1.5 SOL" in reply.message, reply.message
    assert node.balance(to) == 0


def test_a_simulated_token_loss_beyond_the_limit_is_refused(proto, node, daemon_home):
    mint_authority = fresh_pubkey()
    mint = node.create_mint(decimals=6, mint_authority=mint_authority)
    token_policy = policy(assets=[
        {"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "5"}]},
        {"mint": str(mint), "symbol": "TST", "decimals": 6, "per_transaction": "10", "windows": [{"period": "24h", "limit": "100"}]},
    ])
    d = serve(daemon_home, node.url, policy_json=token_policy)
    try:
        with Wallet(proto, d.socket_path) as w:
            agent = w.agent()
            node.airdrop(agent, SOL)
            source = node.create_ata(agent, mint, amount=50_000_000)
            destination = node.create_ata(fresh_pubkey(), mint)
            tx = bytes(Transaction.new_unsigned(Message.new_with_blockhash(
                [transfer_checked(source, mint, destination, agent, 1_000_000, 6)], agent, node.latest_blockhash())))
            assert w.sign(tx, dry_run=True).code == OK
            # Staged: the source account ends with 20 TST of its 50, a 30 TST loss over the 10 limit.
            staged = token_account_data(mint, agent, 20_000_000)
            post = {source: {"lamports": node.account(source).lamports, "owner": str(TOKEN_PROGRAM),
                             "data": [base64.b64encode(staged).decode(), "base64"], "executable": False, "rentEpoch": 0,
                             "space": len(staged)},
                    agent: sol_account(node.balance(agent) - FEE_PER_SIGNATURE)}
            # The daemon watches the agent's writable accounts in byte order of their addresses.
            order = sorted(post, key=bytes)
            node.stage_simulation({"accounts": [post[k] for k in order]}, merge=True)
            reply = w.sign(tx)
            assert node.params_of("simulateTransaction")[1]["accounts"]["addresses"] == [str(k) for k in order]
            assert reply.code == PERMISSION_DENIED, reply
            assert "per_transaction_limit_exceeded" in reply.reasons and "30 TST" in reply.message, reply
    finally:
        d.stop()


def test_a_transaction_that_fails_in_simulation_is_refused(proto, node, sim_daemon):
    with Wallet(proto, sim_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, SOL // 10)
        reply = w.sign(unsigned_transfer(agent, fresh_pubkey(), SOL // 2, node.latest_blockhash()))
        assert reply.code == PERMISSION_DENIED, reply
        assert "simulation_failed" in reply.reasons, reply


def test_simulation_without_an_endpoint_is_refused(proto, daemon_home):
    d = serve(daemon_home)
    try:
        with Wallet(proto, d.socket_path) as w:
            reply = w.sign(unsigned_transfer(w.agent(), fresh_pubkey(), 1000, Hash.new_unique()))
            assert reply.code == PERMISSION_DENIED, reply
            assert "simulation_unavailable" in reply.reasons and "no RPC endpoint" in reply.message, reply
    finally:
        d.stop()


def test_an_endpoint_error_during_simulation_is_refused(proto, node, sim_daemon):
    with Wallet(proto, sim_daemon.socket_path) as w:
        agent = w.agent()
        node.airdrop(agent, SOL)
        fault = node.rpc_error(-32016, "Minimum context slot has not been reached", method="simulateTransaction")
        reply = w.sign(unsigned_transfer(agent, fresh_pubkey(), SOL // 100, node.latest_blockhash()))
        assert fault.hits == 1
        assert reply.code == PERMISSION_DENIED and "simulation_unavailable" in reply.reasons, reply


def test_endpoints_that_simulate_differently_are_refused(proto, daemon_home):
    with RpcNode() as a, RpcNode() as b:
        d = serve(daemon_home, a.url, b.url)
        try:
            with Wallet(proto, d.socket_path) as w:
                agent = w.agent()
                for n in (a, b):
                    n.airdrop(agent, 2 * SOL)
                tx = unsigned_transfer(agent, fresh_pubkey(), SOL // 100, a.latest_blockhash())
                # Honest endpoints agree (both simulate the same transfer the same way).
                assert w.sign(tx, dry_run=True).code == OK
                b.stage_simulation({"accounts": [sol_account(SOL)]}, merge=True)
                reply = w.sign(tx)
                assert reply.code == PERMISSION_DENIED and "rpc_disagreement" in reply.reasons, reply
        finally:
            d.stop()


def test_without_simulate_no_simulation_is_run(proto, node, daemon_home):
    d = serve(daemon_home, node.url, policy_json=policy(simulate=False))
    try:
        with Wallet(proto, d.socket_path) as w:
            agent = w.agent()
            assert w.sign(unsigned_transfer(agent, fresh_pubkey(), 1000, Hash.new_unique()), dry_run=True).code == OK
            assert node.calls["simulateTransaction"] == 0
    finally:
        d.stop()
