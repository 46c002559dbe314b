"""Sign, end to end through the daemon's socket: transactions built with
solders, signatures checked with solders, signed transactions executed by
LiteSVM, denials and approvals with their reasons, dry runs, the rolling
window across a restart, idempotent re-signing and off-chain messages.

Every test runs its own `waiaasd serve --dev` on a fresh home, so the
starter policy is in force at first: 0.1 SOL per transaction (fee
included when the agent pays it), 1 SOL per 24 h, the default programs,
no off-chain messages."""
from __future__ import annotations

import base64
import json
import struct

import pytest
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import AssignParams, TransferParams, assign, transfer
from solders.transaction import Transaction

from conftest import Daemon, FrameSocket
from wallet_helpers import (
    FAILED_PRECONDITION, FEE_PER_SIGNATURE, INVALID_ARGUMENT, LAMPORTS_PER_SOL, OK, PERMISSION_DENIED, SIGN, Reply, Wallet, cli,
    cli_json, fresh_pubkey, generous_sol_policy, ledger_rows, offchain_message, program_call, set_policy_cli,
    sol_outflow, start, transfer_tx, tx_message_bytes, verify_agent_signature,
)

STARTER_PER_TX = LAMPORTS_PER_SOL // 10
STARTER_WINDOW = LAMPORTS_PER_SOL
ABORTED = 10
TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")


@pytest.fixture
def wallet_daemon(daemon_home):
    d = start(Daemon(daemon_home))
    yield d
    d.stop()


def decision_name(proto, response) -> str:
    return proto.wallet.Decision.Name(response.decision)


def executed(svm: LiteSVM, tx: Transaction) -> None:
    result = svm.send_transaction(tx)
    assert type(result).__name__ == "TransactionMetadata", f"LiteSVM refused the signed transaction: {result}"


def assert_refused(reply, code: int, reason: str) -> None:
    assert reply.code == code, f"expected status {code} with {reason}, got {reply}"
    assert reason in reply.reasons, f"expected reason {reason}, got {reply}"
    assert reply.payload == b"", "a refusal must carry no response (so no signature)"


# ------------------------------------------------------------------ allowed


def test_allowed_transfer_signed_verified_and_executed(proto, wallet_daemon):
    svm = LiteSVM()
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        assert f"agent: {agent}" in wallet_daemon.output, "the start banner names the agent address"
        svm.airdrop(agent, 2 * LAMPORTS_PER_SOL)
        recipient = fresh_pubkey()
        amount = 50_000_000
        unsigned = transfer_tx(agent, recipient, amount, svm.latest_blockhash())
        head = w.status().ledger_sequence

        reply = w.sign(unsigned, reference="e2e-1")
        assert reply.code == OK, reply
        r = reply.response
        assert decision_name(proto, r) == "DECISION_ALLOW"
        assert bytes(r.signer) == bytes(agent)
        assert not r.replayed
        assert r.ledger_sequence == head + 1, "the decision is the next ledger row"
        assert w.status().ledger_sequence == head + 1
        assert r.max_fee_lamports == FEE_PER_SIGNATURE
        assert sol_outflow(r) == amount + FEE_PER_SIGNATURE, "the fee the agent pays counts as SOL outflow"
        assert "within_policy" in [x.code for x in r.reasons]

        message = tx_message_bytes(unsigned)
        verify_agent_signature(bytes(r.signature), agent, message)
        # Nothing but the agent's slot changed.
        signed = Transaction.from_bytes(bytes(r.signed_transaction))
        assert bytes(signed.message) == message, "the signed transaction carries the message exactly as sent"
        assert signed.signatures == [Signature.from_bytes(bytes(r.signature))]
        signed.verify()
        # A signature over other bytes must not verify (the check above means something).
        tampered = bytearray(message)
        tampered[-5] ^= 1
        assert not Signature.from_bytes(bytes(r.signature)).verify(agent, bytes(tampered))

        executed(svm, signed)
        assert svm.get_balance(recipient) == amount
        assert svm.get_balance(agent) == 2 * LAMPORTS_PER_SOL - amount - FEE_PER_SIGNATURE

    # The same path through the CLI: base64 in, base58 signature and base64 transaction out.
    recipient2 = fresh_pubkey()
    unsigned2 = transfer_tx(agent, recipient2, 20_000_000, svm.latest_blockhash())
    out = cli_json("sign", "--socket", wallet_daemon.socket_path, "--tx", base64.b64encode(unsigned2).decode(), "--json")
    assert out["decision"] == "allow", out
    assert out["sequence"] == head + 2, out
    verify_agent_signature(bytes(Signature.from_string(out["signature"])), agent, tx_message_bytes(unsigned2))
    signed2 = Transaction.from_bytes(base64.b64decode(out["transaction"]))
    signed2.verify()
    executed(svm, signed2)
    assert svm.get_balance(recipient2) == 20_000_000


def test_agent_as_non_fee_payer_signs_its_own_slot(proto, wallet_daemon):
    """x402 style: a facilitator pays the fee; the agent only authorises its transfer."""
    svm = LiteSVM()
    facilitator = Keypair()
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        svm.airdrop(agent, LAMPORTS_PER_SOL)
        svm.airdrop(facilitator.pubkey(), LAMPORTS_PER_SOL)
        recipient = fresh_pubkey()
        # Exactly the per-transaction limit: allowed only if the fee is not counted against the agent.
        amount = STARTER_PER_TX
        blockhash = svm.latest_blockhash()
        unsigned = transfer_tx(agent, recipient, amount, blockhash, fee_payer=facilitator.pubkey())
        keys = Transaction.from_bytes(unsigned).message.account_keys
        assert keys[0] == facilitator.pubkey() and keys[1] == agent

        reply = w.sign(unsigned)
        assert reply.code == OK, reply
        r = reply.response
        assert decision_name(proto, r) == "DECISION_ALLOW"
        assert sol_outflow(r) == amount, f"the facilitator's fee must not count against the agent: {list(r.outflows)}"

        signed = Transaction.from_bytes(bytes(r.signed_transaction))
        assert signed.signatures[0] == Signature.default(), "the facilitator's slot stays as given (zeros)"
        assert signed.signatures[1] == Signature.from_bytes(bytes(r.signature)), "the agent's signature goes into its own slot"
        verify_agent_signature(bytes(r.signature), agent, tx_message_bytes(unsigned))
        assert bytes(signed.message) == tx_message_bytes(unsigned)

        # The facilitator adds its signature; the whole thing executes.
        signed.partial_sign([facilitator], blockhash)
        assert signed.signatures[1] == Signature.from_bytes(bytes(r.signature))
        signed.verify()
        executed(svm, signed)
        assert svm.get_balance(recipient) == amount
        assert svm.get_balance(agent) == LAMPORTS_PER_SOL - amount, "the agent paid no fee"
        assert svm.get_balance(facilitator.pubkey()) == LAMPORTS_PER_SOL - 2 * FEE_PER_SIGNATURE

        # The same amount with the agent paying the fee is over the limit.
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), amount))
        assert_refused(reply, PERMISSION_DENIED, "per_transaction_limit_exceeded")


# ------------------------------------------------------------------ refused


def token_approve(source: Pubkey, delegate: Pubkey, owner: Pubkey, amount: int) -> Instruction:
    return Instruction(TOKEN_PROGRAM, bytes([4]) + struct.pack("<Q", amount),
                       [AccountMeta(source, False, True), AccountMeta(delegate, False, False), AccountMeta(owner, True, False)])


def test_denials_carry_reasons_and_no_signature(proto, wallet_daemon):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        cases = [
            ("per_transaction_limit_exceeded", transfer_tx(agent, fresh_pubkey(), 2 * STARTER_PER_TX)),
            # The fee alone pushes an exactly-at-limit transfer over.
            ("per_transaction_limit_exceeded", transfer_tx(agent, fresh_pubkey(), STARTER_PER_TX)),
            # Two transfers each under the limit, together over it: every instruction counts.
            ("per_transaction_limit_exceeded", transfer_tx(agent, fresh_pubkey(), 60_000_000,
                                                           extra=[transfer(TransferParams(
                                                               from_pubkey=agent, to_pubkey=fresh_pubkey(), lamports=60_000_000))])),
            ("program_not_allowed", transfer_tx(agent, fresh_pubkey(), 1_000, extra=[program_call(fresh_pubkey(), agent)])),
            ("control_assign", transfer_tx(agent, fresh_pubkey(), 1_000, extra=[assign(AssignParams(pubkey=agent, owner=fresh_pubkey()))])),
            ("control_token_approve", transfer_tx(agent, fresh_pubkey(), 1_000,
                                                  extra=[token_approve(fresh_pubkey(), fresh_pubkey(), agent, 10**9)])),
        ]
        for expected, tx in cases:
            head = w.status().ledger_sequence
            reply = w.sign(tx)
            assert_refused(reply, PERMISSION_DENIED, expected)
            assert "denied by policy" in reply.message
            assert w.status().ledger_sequence == head + 1, f"the denial ({expected}) is recorded in the ledger"

        # A transaction the agent does not sign at all.
        other = Keypair().pubkey()
        reply = w.sign(transfer_tx(other, fresh_pubkey(), 1_000))
        assert_refused(reply, PERMISSION_DENIED, "agent_not_signer")

    rows = ledger_rows(wallet_daemon.home)
    denials = [row for row in rows if row["kind"] == "deny"]
    assert len(denials) == len(cases) + 1, [row["kind"] for row in rows]
    assert all(row["signature"] == b"" for row in denials), "a denial row holds no signature"
    assert not [row for row in rows if row["kind"] == "sign"], "nothing was signed"


def test_approval_required_carries_reasons_and_no_signature(proto, wallet_daemon):
    policy = generous_sol_policy("0.5", "2")
    policy["assets"][0]["approval_threshold"] = "0.05"
    policy["programs"]["unlisted"] = "approval"
    set_policy_cli(wallet_daemon, policy, 2)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 60_000_000))
        assert_refused(reply, FAILED_PRECONDITION, "approval_required")
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 1_000, extra=[program_call(fresh_pubkey(), agent)]))
        assert reply.code == FAILED_PRECONDITION, reply
        assert "program_needs_approval" in reply.reasons, reply
        assert reply.payload == b""
        # Below the threshold: signed.
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 40_000_000))
        assert reply.code == OK and len(reply.response.signature) == 64, reply
        # Above the threshold and above the per-transaction limit: denial wins, both reasons given.
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 600_000_000))
        assert reply.code == PERMISSION_DENIED, reply
        assert {"per_transaction_limit_exceeded", "approval_required"} <= set(reply.reasons), reply
    kinds = [row["kind"] for row in ledger_rows(wallet_daemon.home)]
    assert kinds.count("approval_required") == 2, kinds


def test_cli_sign_refusal_json(wallet_daemon, proto):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
    tx = base64.b64encode(transfer_tx(agent, fresh_pubkey(), 2 * STARTER_PER_TX)).decode()
    result = cli("sign", "--socket", wallet_daemon.socket_path, "--tx", tx, "--json")
    assert result.returncode == 1, result
    out = json.loads(result.stdout)
    assert out["decision"] == "deny" and out["code"] == "PERMISSION_DENIED", out
    assert "signature" not in out and "transaction" not in out, out
    codes = [reason.get("code") if isinstance(reason, dict) else reason for reason in out["reasons"]]
    assert codes == ["per_transaction_limit_exceeded"], f"reasons should be [{{code, message}}], got {out['reasons']}"
    assert all(isinstance(reason, dict) and reason.get("message") for reason in out["reasons"]), out["reasons"]


# ------------------------------------------------------------------ dry runs


def test_dry_run_decides_without_signing_or_counting(proto, wallet_daemon):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        head = w.status().ledger_sequence
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 2 * STARTER_PER_TX), dry_run=True)
        assert reply.code == OK, reply
        r = reply.response
        assert decision_name(proto, r) == "DECISION_DENY"
        assert "per_transaction_limit_exceeded" in [x.code for x in r.reasons]
        assert r.signature == b"" and r.signed_transaction == b""
        # Allowed dry runs worth more than the whole window: none signs, none counts.
        amount = 99_000_000
        for i in range(12):
            reply = w.sign(transfer_tx(agent, fresh_pubkey(), amount), dry_run=True)
            assert reply.code == OK, reply
            assert decision_name(proto, reply.response) == "DECISION_ALLOW", reply.response
            assert reply.response.signature == b"" and reply.response.signed_transaction == b""
            assert sol_outflow(reply.response) == amount + FEE_PER_SIGNATURE
        assert w.status().ledger_sequence == head, "dry runs write nothing to the ledger"
        # The whole window is still free: ten real transfers of 0.099 SOL fit.
        for i in range(10):
            reply = w.sign(transfer_tx(agent, fresh_pubkey(), amount))
            assert reply.code == OK, f"real transfer {i + 1} after the dry runs: {reply}"
    # The CLI's dry run: the decision, no signature, exit status 1 when not allowed.
    # 10 x 0.099005 SOL are counted; 0.00995 SOL of the window is left.
    remaining = STARTER_WINDOW - 10 * (amount + FEE_PER_SIGNATURE)
    fits = base64.b64encode(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE)).decode()
    result = cli("sign", "--socket", wallet_daemon.socket_path, "--tx", fits, "--dry-run", "--json")
    assert result.returncode == 0, result
    out = json.loads(result.stdout)
    assert out["decision"] == "allow" and "signature" not in out, out
    over = base64.b64encode(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE + 1)).decode()
    result = cli("sign", "--socket", wallet_daemon.socket_path, "--tx", over, "--dry-run", "--json")
    assert result.returncode == 1, result
    out = json.loads(result.stdout)
    assert out["decision"] == "deny" and "signature" not in out, out


# ------------------------------------------------------------------ windows


def test_rolling_window_fills_and_survives_restart(proto, wallet_daemon):
    amount = 99_000_000
    per_tx = amount + FEE_PER_SIGNATURE            # 0.099005 SOL counted per transfer
    fits = STARTER_WINDOW // per_tx                 # 10
    assert fits == 10
    spent = fits * per_tx                           # 0.99005 SOL
    remaining = STARTER_WINDOW - spent              # 0.00995 SOL
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        first = transfer_tx(agent, fresh_pubkey(), amount)
        signatures = []
        for i in range(fits):
            tx = first if i == 0 else transfer_tx(agent, fresh_pubkey(), amount)
            reply = w.sign(tx)
            assert reply.code == OK, f"transfer {i + 1} of {fits}: {reply}"
            assert sol_outflow(reply.response) == per_tx
            signatures.append(bytes(reply.response.signature))
        assert len(set(signatures)) == fits
        next_tx = transfer_tx(agent, fresh_pubkey(), amount)
        reply = w.sign(next_tx)
        assert_refused(reply, PERMISSION_DENIED, "window_24h_exceeded")
        assert reply.reasons == ["window_24h_exceeded"], reply

        def probe_edge():
            # Exactly the rest of the window (transfer + fee) fits; one lamport more does not.
            at_edge = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE), dry_run=True)
            assert decision_name(proto, at_edge.response) == "DECISION_ALLOW", at_edge.response
            over = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE + 1), dry_run=True)
            assert decision_name(proto, over.response) == "DECISION_DENY", over.response
            assert [x.code for x in over.response.reasons] == ["window_24h_exceeded"], over.response

        probe_edge()

    assert wallet_daemon.stop() == 0, "SIGTERM ends the daemon cleanly"
    start(wallet_daemon)
    with Wallet(proto, wallet_daemon.socket_path) as w:
        reply = w.sign(next_tx)
        assert_refused(reply, PERMISSION_DENIED, "window_24h_exceeded")
        probe_edge()
        # And signed bytes are still recognised after the restart: same signature, counted once.
        again = w.sign(first)
        assert again.code == OK and again.response.replayed, again
        assert bytes(again.response.signature) == signatures[0]
        probe_edge()


def test_same_bytes_signed_twice_same_signature_counted_once(proto, wallet_daemon):
    set_policy_cli(wallet_daemon, generous_sol_policy("1", "1"), 2)
    amount = LAMPORTS_PER_SOL // 2
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        tx = transfer_tx(agent, fresh_pubkey(), amount)
        first = w.sign(tx)
        assert first.code == OK and not first.response.replayed, first
        head = w.status().ledger_sequence
        for _ in range(3):
            again = w.sign(tx)
            assert again.code == OK, again
            assert again.response.replayed, "the second signing of the same bytes is a replay"
            assert again.response.signature == first.response.signature
            assert again.response.signed_transaction == first.response.signed_transaction
            assert again.response.ledger_sequence == first.response.ledger_sequence
        assert w.status().ledger_sequence == head, "a replay writes no new ledger row"
        # Counted once: the rest of the 1 SOL window is exactly 1 SOL - (0.5 SOL + fee).
        remaining = LAMPORTS_PER_SOL - amount - FEE_PER_SIGNATURE
        fit = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE), dry_run=True)
        assert decision_name(proto, fit.response) == "DECISION_ALLOW", fit.response
        over = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE + 1), dry_run=True)
        assert decision_name(proto, over.response) == "DECISION_DENY", over.response
        # The same message with a different (garbage) signature in its slot is the same message.
        wire = bytearray(tx)
        wire[1:65] = bytes(range(64))
        third = w.sign(bytes(wire))
        assert third.code == OK and third.response.replayed, third
        assert third.response.signature == first.response.signature
    signs = [row for row in ledger_rows(wallet_daemon.home) if row["kind"] == "sign"]
    assert len(signs) == 1, f"one sign row for one message, got {len(signs)}"


# ------------------------------------------------------------------ off-chain


def test_offchain_messages(proto, wallet_daemon):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        message = offchain_message([agent], b"login to example.com, nonce 42")
        assert_refused(w.sign_message(message), PERMISSION_DENIED, "offchain_not_allowed")
        assert_refused(w.sign_message(b"login to example.com"), INVALID_ARGUMENT, "offchain_header_missing")
        # A transaction message is never an off-chain message.
        tx_message = tx_message_bytes(transfer_tx(agent, fresh_pubkey(), 1_000))
        assert w.sign_message(tx_message).code == INVALID_ARGUMENT

    policy = generous_sol_policy("0.1", "1", offchain={"allowed": True})
    assert set_policy_cli(wallet_daemon, policy, 2)["version"] == 2

    with Wallet(proto, wallet_daemon.socket_path) as w:
        reply = w.sign_message(message)
        assert reply.code == OK, reply
        r = reply.response
        assert decision_name(proto, r) == "DECISION_ALLOW"
        assert r.signed_transaction == b""
        # The signature covers the whole message, header included.
        verify_agent_signature(bytes(r.signature), agent, message)
        assert not Signature.from_bytes(bytes(r.signature)).verify(agent, b"login to example.com, nonce 42")
        assert sol_outflow(r) == 0

        again = w.sign_message(message)
        assert again.code == OK and again.response.replayed and again.response.signature == r.signature, again

        # Allowed only when the message names the agent among its signers.
        stranger = offchain_message([fresh_pubkey()], b"not for this agent")
        assert_refused(w.sign_message(stranger), PERMISSION_DENIED, "offchain_agent_not_signer")
        # Still malformed input after the policy change.
        assert_refused(w.sign_message(b"no header at all"), INVALID_ARGUMENT, "offchain_header_missing")
        truncated = message[:-3]
        reply = w.sign_message(truncated)
        assert reply.code == INVALID_ARGUMENT and reply.payload == b"", reply

    # The CLI path: sign-message with base64 in.
    out = cli_json("sign-message", "--socket", wallet_daemon.socket_path,
                   "--message", base64.b64encode(offchain_message([agent], b"cli message")).decode(), "--json")
    assert out["decision"] == "allow", out
    verify_agent_signature(bytes(Signature.from_string(out["signature"])), agent, offchain_message([agent], b"cli message"))


# ------------------------------------------------------------------ concurrency


def send_all(proto, socket_path: str, transactions: list[bytes], connections: int = 6) -> list:
    """Every transaction at once: spread over connections, all calls in flight before any answer is read."""
    socks = [FrameSocket(socket_path, timeout=30) for _ in range(connections)]
    try:
        sent: dict[tuple[int, int], int] = {}
        for index, tx in enumerate(transactions):
            conn = index % connections
            call_id = index + 1
            request = proto.wallet.SignRequest(transaction=tx)
            socks[conn].send(proto.rpc.Envelope(call_id=call_id, method=SIGN, payload=request.SerializeToString()))
            sent[(conn, call_id)] = index
        replies: list = [None] * len(transactions)
        for conn, sock in enumerate(socks):
            for _ in range(sum(1 for key in sent if key[0] == conn)):
                answer = sock.receive(proto)
                assert answer is not None, "the daemon closed a connection"
                reply = Reply(answer.status.code, answer.status.message, [r.code for r in answer.status.reasons], payload=answer.payload)
                if answer.status.code == OK:
                    reply.response = proto.wallet.SignResponse()
                    reply.response.ParseFromString(answer.payload)
                replies[sent[(conn, answer.call_id)]] = reply
        return replies
    finally:
        for sock in socks:
            sock.close()


def test_concurrent_requests_never_overshoot_the_window(proto, wallet_daemon):
    """30 transfers of 0.099 SOL at once: exactly 10 fit in 1 SOL per 24 h, whatever the interleaving."""
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
    amount = 99_000_000
    replies = send_all(proto, wallet_daemon.socket_path, [transfer_tx(agent, fresh_pubkey(), amount) for _ in range(30)])
    allowed = [r for r in replies if r.code == OK]
    denied = [r for r in replies if r.code != OK]
    assert len(allowed) == 10, f"{len(allowed)} concurrent transfers were signed; 10 fit the window"
    assert all(r.code == PERMISSION_DENIED and r.reasons == ["window_24h_exceeded"] for r in denied), denied[:3]
    assert len({bytes(r.response.signature) for r in allowed}) == 10
    total = sum(sol_outflow(r.response) for r in allowed)
    assert total == 10 * (amount + FEE_PER_SIGNATURE) <= STARTER_WINDOW
    signs = [row for row in ledger_rows(wallet_daemon.home) if row["kind"] == "sign"]
    assert sorted(row["sequence"] for row in signs) == sorted(r.response.ledger_sequence for r in allowed)


def test_same_bytes_sent_concurrently_counted_once(proto, wallet_daemon):
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
    tx = transfer_tx(agent, fresh_pubkey(), 90_000_000)
    replies = send_all(proto, wallet_daemon.socket_path, [tx] * 16, connections=8)
    signed = [r for r in replies if r.code == OK]
    others = [r for r in replies if r.code != OK]
    assert signed, replies
    # A duplicate racing the first signing may be told to retry (ABORTED), never signed twice or denied.
    assert all(r.code == ABORTED for r in others), others
    assert len({bytes(r.response.signature) for r in signed}) == 1, "one message, one signature"
    assert len({r.response.ledger_sequence for r in signed}) == 1
    signs = [row for row in ledger_rows(wallet_daemon.home) if row["kind"] == "sign"]
    assert len(signs) == 1, f"{len(signs)} sign rows for one message"
    with Wallet(proto, wallet_daemon.socket_path) as w:
        again = w.sign(tx)
        assert again.code == OK and again.response.replayed
        assert bytes(again.response.signature) == bytes(signed[0].response.signature)
        # Counted once: 0.090005 SOL spent; nine 0.099005 SOL transfers fit, then exactly 0.01895 SOL is left.
        for i in range(9):
            reply = w.sign(transfer_tx(agent, fresh_pubkey(), 99_000_000))
            assert reply.code == OK, f"transfer {i + 1}: {reply}"
        remaining = STARTER_WINDOW - (90_000_000 + FEE_PER_SIGNATURE) - 9 * (99_000_000 + FEE_PER_SIGNATURE)
        fit = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE), dry_run=True)
        assert decision_name(proto, fit.response) == "DECISION_ALLOW", fit.response
        over = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE + 1), dry_run=True)
        assert decision_name(proto, over.response) == "DECISION_DENY", over.response


def test_clean_stop_logs_the_ledgers_group_commit(proto, wallet_daemon):
    """A clean stop says how the ledger committed since start: rows, fsyncs, rows per fsync."""
    with Wallet(proto, wallet_daemon.socket_path) as w:
        agent = w.agent()
        start_sequence = w.status().ledger_sequence
        for _ in range(4):
            reply = w.sign(transfer_tx(agent, fresh_pubkey(), 1_000_000))
            assert reply.code == OK, reply
        end_sequence = w.status().ledger_sequence
    assert wallet_daemon.stop() == 0
    output = wallet_daemon.output
    stopped = [line for line in output.splitlines() if line.rstrip().endswith("[waiaasd] stopped; the ledger's group commit since start")]
    assert len(stopped) == 1, output
    fields = dict(part.split("=", 1) for part in stopped[0].split() if "=" in part)
    rows, commits = int(fields["ledger_rows"]), int(fields["ledger_commits"])
    assert rows == end_sequence - start_sequence == 4, stopped[0]
    assert 1 <= commits <= rows, stopped[0]
    assert float(fields["rows_per_commit"]) == round(rows / commits, 1), stopped[0]
    assert int(fields["failed_commits"]) == 0, stopped[0]
    assert 1 <= int(fields["largest_commit"]) <= rows, stopped[0]
    # Every commit fsyncs: no COMMIT takes under a microsecond.
    assert int(fields["commit_us_per_commit"]) > 0, stopped[0]
    assert int(fields["insert_us_per_commit"]) >= 0, stopped[0]
