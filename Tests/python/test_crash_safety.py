"""Crash safety: waiaasd is killed with SIGKILL while 8 clients sign in
parallel (several calls in flight on each connection), then restarted on
the same home. Afterwards:

(a) `waiaas ledger verify` passes and the rows are contiguous and chained;
(b) every signature a client received is in the ledger, in the row whose
    sequence number the client was given, and every signature in the
    ledger verifies over the message its row records;
(c) the 24 h window the daemon enforces equals the sum of the SOL
    outflows the ledger records: a dry-run transfer that uses exactly the
    rest of the window is allowed and one lamport more is denied.

Twice over: the second crash happens on a ledger that already went
through one."""
from __future__ import annotations

import json
import random
import signal
import threading
import time

from solders.signature import Signature
from solders.transaction import Transaction

from conftest import Daemon, FrameSocket
from wallet_helpers import (
    FEE_PER_SIGNATURE, LAMPORTS_PER_SOL, OK, SIGN, Wallet, cli, decode_outflows, fresh_pubkey, generous_sol_policy,
    ledger_rows, set_policy_cli, start, transfer_tx,
)

CLIENTS = 8
IN_FLIGHT = 4          # calls in flight per connection
WINDOW_SOL = 1000
WINDOW = WINDOW_SOL * LAMPORTS_PER_SOL


class Client(threading.Thread):
    """Signs distinct small transfers with IN_FLIGHT calls outstanding until the connection dies."""

    def __init__(self, index: int, proto, socket_path: str, agent):
        super().__init__(daemon=True)
        self.index, self.proto, self.socket_path, self.agent = index, proto, socket_path, agent
        self.received: list[dict] = []   # what the daemon answered with a signature
        self.failures: list[str] = []    # answers that were neither a signature nor a dead connection
        self.end = ""

    def run(self) -> None:
        try:
            conn = FrameSocket(self.socket_path, timeout=20)
        except OSError as error:
            self.failures.append(f"connect: {error}")
            return
        pending: dict[int, dict] = {}
        call_id = 0
        try:
            while True:
                while len(pending) < IN_FLIGHT:
                    call_id += 1
                    # Distinct per client and per call, so every message differs.
                    amount = 1_000 + self.index * 1_000_000 + call_id
                    tx = transfer_tx(self.agent, fresh_pubkey(), amount)
                    request = self.proto.wallet.SignRequest(transaction=tx, client_reference=f"c{self.index}-{call_id}")
                    conn.send(self.proto.rpc.Envelope(call_id=call_id, method=SIGN, payload=request.SerializeToString()))
                    pending[call_id] = {"tx": tx, "amount": amount}
                answer = conn.receive(self.proto)
                if answer is None:
                    self.end = "connection closed"
                    return
                sent = pending.pop(answer.call_id, None)
                if sent is None:
                    self.failures.append(f"answer for unknown call {answer.call_id}: {answer.status}")
                    return
                if answer.status.code != OK:
                    # UNAVAILABLE (shutting down) is not expected under SIGKILL, but is no signature either.
                    self.failures.append(f"call {answer.call_id}: status {answer.status.code} {answer.status.message}")
                    return
                response = self.proto.wallet.SignResponse()
                response.ParseFromString(answer.payload)
                self.received.append({**sent, "signature": bytes(response.signature), "sequence": response.ledger_sequence,
                                      "outflow": sum(o.amount for o in response.outflows if not o.mint)})
        except (OSError, AssertionError) as error:   # reset, broken pipe, a frame cut by the kill
            self.end = f"{type(error).__name__}: {error}"
        finally:
            conn.close()


def check_ledger(proto, home, agent, received: list[dict]) -> int:
    """(a) and (b); returns the SOL the ledger's sign rows count in the 24 h window."""
    result = cli("ledger", "verify", "--home", str(home), "--json")
    assert result.returncode == 0, f"waiaas ledger verify failed after the crash:\n{result.stdout}{result.stderr}"
    verdict = json.loads(result.stdout)
    assert verdict["ok"] is True, verdict

    rows = ledger_rows(home)
    assert verdict["rows"] == len(rows) and verdict["head_sequence"] == rows[-1]["sequence"], verdict
    assert [row["sequence"] for row in rows] == list(range(1, len(rows) + 1)), "ledger sequences are contiguous from 1"
    assert bytes(rows[0]["previous_hash"]) == bytes(32)
    for before, row in zip(rows, rows[1:]):
        assert bytes(row["previous_hash"]) == bytes(before["hash"]), f"row {row['sequence']} does not chain to row {before['sequence']}"
    assert verdict["head_hash"] == bytes(rows[-1]["hash"]).hex()

    by_sequence = {row["sequence"]: row for row in rows}
    signs = [row for row in rows if row["kind"] == "sign"]
    assert len({bytes(row["message_digest"]) for row in signs}) == len(signs), "one sign row per distinct message"
    assert len({bytes(row["signature"]) for row in signs}) == len(signs)

    # (b) every received signature is in the row the client was told.
    for item in received:
        row = by_sequence.get(item["sequence"])
        assert row is not None, f"signature received for ledger #{item['sequence']}, which is not in the ledger"
        assert row["kind"] == "sign" and bytes(row["signature"]) == item["signature"], \
            f"ledger #{item['sequence']} does not hold the signature its client received"
        assert decode_outflows(bytes(row["outflows"])) == [(b"", item["amount"] + FEE_PER_SIGNATURE)]
    assert {item["signature"] for item in received} <= {bytes(row["signature"]) for row in signs}

    # Every signature in the ledger is a real signature over what its row recorded.
    total = 0
    now_ms = time.time() * 1000
    for row in signs:
        request = proto.wallet.SignRequest()
        request.ParseFromString(bytes(row["request"]))
        message = bytes(Transaction.from_bytes(request.transaction).message)
        assert Signature.from_bytes(bytes(row["signature"])).verify(agent, message), f"ledger #{row['sequence']}: bad signature"
        assert row["time_ms"] <= now_ms + 60_000
        for asset, amount in decode_outflows(bytes(row["outflows"])):
            if asset == b"":
                total += amount
    return total


def probe_window(proto, w: Wallet, agent, spent: int) -> None:
    """(c) the daemon's remaining 24 h budget is exactly WINDOW - spent."""
    remaining = WINDOW - spent
    assert remaining > FEE_PER_SIGNATURE
    fits = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE), dry_run=True)
    assert fits.code == OK and proto.wallet.Decision.Name(fits.response.decision) == "DECISION_ALLOW", \
        f"a transfer using exactly the rest of the window ({remaining} lamports with the fee) should fit: {fits.response}"
    over = w.sign(transfer_tx(agent, fresh_pubkey(), remaining - FEE_PER_SIGNATURE + 1), dry_run=True)
    assert over.code == OK and proto.wallet.Decision.Name(over.response.decision) == "DECISION_DENY", over.response
    assert [r.code for r in over.response.reasons] == ["window_24h_exceeded"], over.response


def test_sigkill_while_eight_clients_sign(proto, daemon_home):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    daemon = start(Daemon(daemon_home, ["--log-level", "warning"]))
    try:
        out = set_policy_cli(daemon, generous_sol_policy(str(WINDOW_SOL), str(WINDOW_SOL)), 2)
        assert out["version"] == 2, out
        with Wallet(proto, daemon.socket_path) as w:
            agent = w.agent()

        received: list[dict] = []
        for round_ in (1, 2):
            clients = [Client(i, proto, daemon.socket_path, agent) for i in range(CLIENTS)]
            for client in clients:
                client.start()
            deadline = time.monotonic() + 10
            while sum(len(c.received) for c in clients) < CLIENTS * IN_FLIGHT and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.5, 1.5))
            assert daemon.process.poll() is None, f"the daemon died on its own:\n{daemon.output[-3000:]}"
            in_flight_before_kill = sum(len(c.received) for c in clients)
            daemon.stop(signal.SIGKILL)
            for client in clients:
                client.join(timeout=30)
                assert not client.is_alive(), f"client {client.index} still running after the kill"
            failures = [f for c in clients for f in c.failures]
            assert not failures, f"round {round_} (seed {seed}): unexpected answers: {failures[:5]}"
            got = [item for c in clients for item in c.received]
            assert len(got) >= in_flight_before_kill > 0, "clients received signatures before the kill"
            assert all(c.received for c in clients), f"round {round_}: every client got signatures: {[len(c.received) for c in clients]}"
            received += got

            start(daemon)
            spent = check_ledger(proto, daemon.home, agent, received)
            signed_rows = sum(1 for row in ledger_rows(daemon.home) if row["kind"] == "sign")
            print(f"round {round_} (seed {seed}): {len(got)} signatures received before SIGKILL; "
                  f"{signed_rows - len(received)} committed rows never answered so far")
            assert spent >= sum(item["amount"] + FEE_PER_SIGNATURE for item in received)
            with Wallet(proto, daemon.socket_path) as w:
                status = w.status()
                assert status.policy_version == 2, "the policy set before the crash is still in force"
                assert status.ledger_sequence == len(ledger_rows(daemon.home)), "the daemon's ledger head is the file's last row"
                probe_window(proto, w, agent, spent)
                # A received signature is remembered: re-signing its bytes replays it, counted once.
                sample = rng.choice(received)
                again = w.sign(sample["tx"])
                assert again.code == OK and again.response.replayed and bytes(again.response.signature) == sample["signature"], again
                probe_window(proto, w, agent, spent)
    finally:
        if daemon.process is not None and daemon.process.poll() is None:
            daemon.stop()
