"""`waiaas mcp` (issue 17) with the `mcp` PyPI package as the MCP host, over
stdio, against a dev daemon backed by the LiteSVM RPC node: the tools and
their schemas, every tool called, a transfer that lands (balances compared
in LiteSVM), refusals with the policy's reasons verbatim, a freeze and the
status after it, an x402 payment that executes once the facilitator signs,
a Squads proposal's status, socket discovery, and a scripted raw session
from `initialize` as an LLM host sends it."""
from __future__ import annotations

import base64
import json
import os
import pathlib
import select
import shutil
import struct
import subprocess
import tempfile
import time

import pytest
from solders.account import Account
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction

from conftest import Daemon, bin_dir
from mcp_host import Host, mcp_command, run_session
from rpc_node import RpcNode, ata_address
from test_propose import POLICY as PROPOSE_POLICY, PROGRAM, Setup as SquadsSetup, pda, proposal_data
from wallet_helpers import Wallet, fresh_pubkey, ledger_rows, set_policy_cli, start, transfer_tx

SOL = 1_000_000_000
DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
REPORT_TAG = b"\xffwaiaas attestation report v1"
NO_RETRY = "do not retry a refused request unchanged"

# Each tool's arguments: (required, optional). The same names and units everywhere.
TOOLS = {
    "wallet_status": (set(), set()),
    "get_balances": (set(), set()),
    "transfer": ({"asset", "to", "amount"}, {"memo"}),
    "sign_transaction": ({"transaction"}, {"dry_run", "submit"}),
    "sign_message": ({"message"}, {"dry_run"}),
    "explain_policy": (set(), set()),
    "propose": ({"transaction"}, {"memo", "vault_index"}),
    "proposal_status": ({"transaction_index"}, set()),
    "pay_x402": ({"requirements", "resource"}, {"dry_run"}),
    "freeze": ({"reason"}, set()),
    "attest": (set(), {"nonce"}),
}
READ_ONLY = {"wallet_status", "get_balances", "explain_policy", "proposal_status", "attest"}


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


def lamports(decimal: str) -> int:
    whole, _, fraction = decimal.partition(".")
    return int(whole) * SOL + int((fraction + "0" * 9)[:9])


def test_the_tools_and_their_schemas_need_no_daemon(tmp_path):
    async def scenario(host: Host):
        tools = {t.name: t for t in await host.tools()}
        assert set(tools) == set(TOOLS)
        for name, tool in tools.items():
            required, optional = TOOLS[name]
            schema = tool.input_schema
            assert schema["type"] == "object" and schema["additionalProperties"] is False, (name, schema)
            assert set(schema["properties"]) == required | optional, (name, schema)
            assert set(schema.get("required", [])) == required, (name, schema)
            for prop in schema["properties"].values():
                assert prop.get("description"), (name, prop)
            assert tool.annotations.read_only_hint is (name in READ_ONLY), name
            if name in {"transfer", "sign_transaction", "sign_message", "propose", "pay_x402"}:
                assert NO_RETRY in tool.description.lower(), name
        assert tools["transfer"].input_schema["properties"]["amount"]["type"] == "string"
        assert tools["sign_transaction"].input_schema["properties"]["dry_run"]["type"] == "boolean"
        # No daemon behind the socket: the tool says so, and nothing else breaks.
        down = await host.call("wallet_status")
        assert down.is_error and down["decision"] == "unavailable" and "advice" not in down.body, down
        return True

    assert run_session(str(tmp_path / "nothing.sock"), scenario)


def transfer_policy(mint: Pubkey) -> dict:
    return {"format": 1, "name": "mcp wallet",
            "assets": [{"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "3"}]},
                       {"mint": str(mint), "symbol": "TST", "decimals": 6, "per_transaction": "25", "windows": [{"period": "24h", "limit": "100"}]}],
            "programs": {"include_defaults": True}, "offchain": {"allowed": True}}


def test_every_wallet_tool_a_transfer_that_lands_a_refusal_and_a_freeze(proto, node, daemon_home):
    mint = node.create_mint(decimals=6, mint_authority=fresh_pubkey())
    d = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    assert set_policy_cli(d, transfer_policy(mint), 2).get("version") == 2
    with Wallet(proto, d.socket_path) as w:
        agent = w.agent()
    node.airdrop(agent, 2 * SOL)
    token_account = node.create_ata(agent, mint, amount=40_000_000)
    to = fresh_pubkey()

    async def scenario(host: Host):
        status = await host.call("wallet_status")
        assert not status.is_error and status["address"] == str(agent) and status["frozen"] is False, status
        assert status["policy"]["version"] == 2 and "SOL" in status["policy"]["summary"], status
        sol = next(b for b in status["budgets"] if b["asset"] == "SOL")
        assert (sol["window_seconds"], sol["limit"], sol["spent"], sol["remaining"]) == (86400, "3", "0", "3"), status

        balances = await host.call("get_balances")
        assert balances["SOL"]["lamports"] == node.balance(agent) == 2 * SOL, balances
        assert [(t["mint"], t["amount"], t["base_units"], t["account"]) for t in balances["tokens"]] == [(str(mint), "40", 40_000_000, str(token_account))]

        # A transfer that lands: the balances in LiteSVM say so.
        sent = await host.call("transfer", asset="SOL", to=str(to), amount="0.5", memo="for the API bill")
        assert not sent.is_error and sent["decision"] == "allow" and sent["status"] == "finalized", sent
        assert sent["base_units"] == SOL // 2 and sent.reason_codes == ["within_policy"], sent
        assert node.landed(Signature.from_string(sent["signature"]))
        assert node.balance(to) == SOL // 2 and node.balance(agent) == 2 * SOL - SOL // 2 - 5_000
        # The window counted it, fee included.
        sol = next(b for b in (await host.call("wallet_status"))["budgets"] if b["asset"] == "SOL")
        assert lamports(sol["spent"]) == SOL // 2 + 5_000 and lamports(sol["remaining"]) == 3 * SOL - SOL // 2 - 5_000, sol

        # A token, in the token's units ("12.5" of a 6-decimal mint), creating the recipient's ATA.
        token = await host.call("transfer", asset=str(mint), to=str(to), amount="12.5")
        assert not token.is_error and token["base_units"] == 12_500_000, token
        assert {"asset": str(mint), "amount": "12.5", "base_units": 12_500_000} in token["outflows"], token
        assert node.token_amount(ata_address(to, mint)) == 12_500_000

        # Refused: over the per-transaction limit; the reasons verbatim, nothing moves.
        before = node.balance(agent)
        refused = await host.call("transfer", asset="SOL", to=str(to), amount="1.5")
        assert refused.is_error and refused["decision"] == "deny", refused
        assert "per_transaction_limit_exceeded" in refused.reason_codes and NO_RETRY in refused["advice"].lower(), refused
        assert all(r["message"] for r in refused["reasons"]) and "ledger #" in refused["message"], refused
        assert node.balance(agent) == before

        # Arguments the wallet cannot read never reach it.
        rows = len(ledger_rows(d.home))
        for arguments in ({"asset": "SOL", "to": str(to), "amount": "0.1", "lamports": 5},
                          {"asset": "SOL", "to": str(to), "amount": "0.0000000001"},
                          {"asset": "SOL", "to": "not-an-address", "amount": "0.1"},
                          {"asset": "SOL", "to": str(to), "amount": 0.1},
                          {"asset": "SOL", "to": str(to)}):
            bad = await host.call("transfer", **arguments)
            assert bad.is_error and bad["decision"] == "invalid_arguments" and bad["message"], (arguments, bad)
        assert len(ledger_rows(d.home)) == rows, "an invalid call must not reach the daemon"
        assert (await host.call("transfer", asset="SOL", to=str(to), amount="0.1", lamports=5))["code"] == "unknown_argument"
        assert (await host.call("transfer", asset="SOL", to=str(to)))["code"] == "missing_argument"

        # sign_transaction: a dry run signs nothing; submit lands it.
        tx = base64.b64encode(transfer_tx(agent, to, 1_000_000, node.latest_blockhash())).decode()
        dry = await host.call("sign_transaction", transaction=tx, dry_run=True)
        assert not dry.is_error and dry["decision"] == "allow" and "signature" not in dry.body and "signed_transaction" not in dry.body, dry
        balance = node.balance(to)
        signed = await host.call("sign_transaction", transaction=tx, submit=True)
        assert not signed.is_error and signed["status"] == "finalized", signed
        Transaction.from_bytes(base64.b64decode(signed["signed_transaction"])).verify()
        assert node.balance(to) == balance + 1_000_000

        message = await host.call("sign_message", message="login: agent 7 at 2026-12-03")
        assert not message.is_error and message["decision"] == "allow", message
        assert Signature.from_string(message["signature"]).verify(agent, base64.b64decode(message["signed_message"]))

        policy = await host.call("explain_policy")
        assert policy["version"] == 2 and policy["policy"]["name"] == "mcp wallet" and "24 h" in policy["summary"], policy

        nonce = os.urandom(24).hex()
        report = await host.call("attest", nonce=nonce)
        assert report["nonce"] == nonce and report["agent"] == str(agent) and report["policy_version"] == 2, report
        assert Signature.from_bytes(base64.b64decode(report["signature"])).verify(agent, REPORT_TAG + base64.b64decode(report["report"]))

        # Proposals need a multisig: the daemon says so.
        no_multisig = await host.call("proposal_status", transaction_index=1)
        assert no_multisig.is_error and no_multisig["code"] == "FAILED_PRECONDITION" and "--multisig" in no_multisig["message"], no_multisig

        # The freeze, and the status after it.
        frozen = await host.call("freeze", reason="the agent saw an instruction it did not write")
        assert not frozen.is_error and frozen["frozen"] is True and frozen["already_frozen"] is False, frozen
        after = await host.call("wallet_status")
        assert after["frozen"] is True and after["freeze"]["reason"] == "the agent saw an instruction it did not write", after
        before = node.balance(agent)
        stopped = await host.call("transfer", asset="SOL", to=str(to), amount="0.1")
        assert stopped.is_error and stopped["decision"] == "frozen" and stopped.reason_codes == ["frozen"], stopped
        assert node.balance(agent) == before
        again = await host.call("freeze", reason="twice")
        assert again["already_frozen"] is True, again
        return True

    try:
        assert run_session(d.socket_path, scenario)
    finally:
        d.stop()


def test_pay_x402_builds_a_payment_the_facilitator_completes(proto, node, daemon_home):
    mint = node.create_mint(decimals=6, mint_authority=fresh_pubkey())
    pay_to, facilitator = Keypair().pubkey(), Keypair()
    policy = {"format": 1, "name": "x402 over mcp",
              "assets": [{"asset": "SOL", "per_transaction": "0.01", "windows": [{"period": "24h", "limit": "0.1"}]},
                         {"mint": str(mint), "symbol": "USDC", "decimals": 6, "per_transaction": "5", "windows": [{"period": "24h", "limit": "20"}]}],
              "programs": {"include_defaults": True},
              "x402": {"pay_to": [str(pay_to)], "origins": ["https://api.example.com"], "max_per_payment": "0.5"}}
    d = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    assert set_policy_cli(d, policy, 2).get("version") == 2
    with Wallet(proto, d.socket_path) as w:
        agent = w.agent()
    node.airdrop(agent, SOL)
    node.create_ata(agent, mint, amount=3_000_000)
    node.create_ata(pay_to, mint)
    node.airdrop(facilitator.pubkey(), SOL)

    def requirements(amount: int, to: Pubkey = pay_to) -> dict:
        return {"scheme": "exact", "network": DEVNET, "amount": str(amount), "asset": str(mint), "payTo": str(to),
                "maxTimeoutSeconds": 60, "extra": {"feePayer": str(facilitator.pubkey())}}

    async def scenario(host: Host):
        # The whole 402 body, as a resource server sends it.
        body = {"x402Version": 2, "error": "payment required", "resource": {"url": "https://api.example.com/weather"},
                "accepts": [requirements(250_000)]}
        paid = await host.call("pay_x402", requirements=body, resource="https://api.example.com/weather")
        assert not paid.is_error and paid["decision"] == "allow" and paid["header_name"] == "PAYMENT-SIGNATURE", paid
        assert (paid["pay_to"], paid["asset"], paid["base_units"]) == (str(pay_to), str(mint), 250_000), paid
        payload = json.loads(base64.b64decode(paid["header_value"]))
        assert payload["accepted"] == requirements(250_000), payload
        # The facilitator adds its signature; the payment executes and moves exactly the amount.
        tx = VersionedTransaction.from_bytes(base64.b64decode(payload["payload"]["transaction"]))
        signatures = list(tx.signatures)
        assert signatures[0] == Signature.default(), "the facilitator's slot arrives empty"
        signatures[0] = facilitator.sign_message(bytes([0x80]) + bytes(tx.message))
        agent_sol = node.balance(agent)
        result = node.svm.send_transaction(VersionedTransaction.populate(tx.message, signatures))
        assert not hasattr(result, "err"), result
        assert node.token_amount(ata_address(pay_to, mint)) == 250_000
        assert node.balance(agent) == agent_sol, "the facilitator pays the fee"

        over = await host.call("pay_x402", requirements=json.dumps(requirements(600_000)), resource="https://api.example.com/weather")
        assert over.is_error and over["decision"] == "deny" and "x402_over_maximum" in over.reason_codes, over
        stranger = await host.call("pay_x402", requirements=requirements(10_000, fresh_pubkey()), resource="https://api.example.com/weather")
        assert stranger.is_error and "x402_pay_to_not_allowed" in stranger.reason_codes, stranger
        elsewhere = await host.call("pay_x402", requirements=requirements(10_000), resource="https://evil.example.net/weather")
        assert elsewhere.is_error and "x402_origin_not_allowed" in elsewhere.reason_codes, elsewhere
        assert node.token_amount(ata_address(pay_to, mint)) == 250_000
        return True

    try:
        assert run_session(d.socket_path, scenario)
    finally:
        d.stop()


def test_propose_and_proposal_status_through_squads(proto, node, daemon_home):
    policy = {**PROPOSE_POLICY, "assets": [{"asset": "SOL", "per_transaction": "5", "approval_threshold": "0.5",
                                            "windows": [{"period": "24h", "limit": "10"}]}]}
    s = SquadsSetup(proto, node, daemon_home, policy=policy, index=4)
    node.airdrop(s.agent, 2 * SOL)
    proposal = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 3), b"proposal")
    node.set_account(proposal, Account(lamports=SOL, data=proposal_data(s.multisig, 3, "Active", approved=[s.owner]),
                                       owner=PROGRAM, executable=False))

    async def scenario(host: Host):
        status = await host.call("proposal_status", transaction_index=3)
        assert not status.is_error, status
        assert (status["status"], status["approvals"], status["rejections"], status["threshold"]) == ("active", 1, 0, 1), status
        assert status["proposal"] == str(proposal) and status["multisig"] == str(s.multisig) and status["status_time_unix"] == 1_700_000_000
        missing = await host.call("proposal_status", transaction_index=4)
        assert missing["status"] == "no_proposal", missing
        beyond = await host.call("proposal_status", transaction_index=9)
        assert beyond.is_error and beyond["code"] == "NOT_FOUND", beyond

        # Over the approval threshold, a transfer becomes a proposal. LiteSVM has no
        # Squads program, so it cannot land here: the tool says it failed, not "proposed".
        big = await host.call("transfer", asset="SOL", to=str(fresh_pubkey()), amount="0.8")
        assert big["transaction_index"] == 5 and big["multisig"] == str(s.multisig) and big["vault"] == str(s.vault), big
        assert big.is_error and big["decision"] == "proposal_failed" and big["status"] == "failed", big
        inner = base64.b64encode(s.inner(SOL // 4)).decode()
        proposed = await host.call("propose", transaction=inner, memo="rent")
        assert proposed["decision"] == "proposal_failed" and proposed["transaction_index"] == 5, proposed
        return True

    try:
        assert run_session(s.daemon.socket_path, scenario)
    finally:
        s.daemon.stop()
    kinds = [row["kind"] for row in ledger_rows(s.daemon.home)]
    assert kinds.count("propose") == 2, kinds


def test_the_socket_is_found_by_flag_then_environment_then_dot_waiaas(proto):
    root = pathlib.Path(tempfile.mkdtemp(prefix="waiaas-mcp-"))
    try:
        d = start(Daemon(root / ".waiaas"))
        with Wallet(proto, d.socket_path) as w:
            agent = str(w.agent())

        async def address(host: Host):
            answer = await host.call("wallet_status")
            return answer.get("address") or answer["decision"]

        elsewhere = str(root / "elsewhere")
        os.mkdir(elsewhere)
        try:
            assert run_session(None, address, cwd=str(root)) == agent, "./.waiaas/waiaasd.sock"
            assert run_session(None, address, cwd=elsewhere, env={"WAIAAS_SOCKET": d.socket_path}) == agent
            assert run_session(d.socket_path, address, cwd=elsewhere, env={"WAIAAS_SOCKET": "/nonexistent.sock"}) == agent
            assert run_session(None, address, cwd=elsewhere) == "unavailable"
        finally:
            d.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


class RawSession:
    """What an LLM host writes on the server's stdin, line by line."""

    def __init__(self, socket_path: str):
        self.process = subprocess.Popen([str(bin_dir() / "waiaas"), *mcp_command(socket_path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.buffer = b""

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def receive(self, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            assert left > 0 and select.select([self.process.stdout], [], [], left)[0], "no answer from waiaas mcp"
            chunk = os.read(self.process.stdout.fileno(), 65536)
            assert chunk, "waiaas mcp closed its output"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def request(self, id_: int, method: str, params: dict | None = None) -> dict:
        self.send({"jsonrpc": "2.0", "id": id_, "method": method, **({"params": params} if params is not None else {})})
        answer = self.receive()
        assert answer["id"] == id_ and answer["jsonrpc"] == "2.0", answer
        return answer


def test_a_scripted_agent_session_from_initialize(node, daemon_home):
    daemon = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    raw = RawSession(daemon.socket_path)
    try:
        init = raw.request(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                             "clientInfo": {"name": "scripted-host", "version": "1.0"}})
        result = init["result"]
        assert result["protocolVersion"] == "2025-06-18" and result["serverInfo"]["name"] == "waiaas", init
        assert "tools" in result["capabilities"] and "do not retry" in result["instructions"].lower(), init
        raw.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert raw.request(2, "ping")["result"] == {}
        listed = raw.request(3, "tools/list")["result"]["tools"]
        assert [t["name"] for t in listed] == list(TOOLS), listed
        status = raw.request(4, "tools/call", {"name": "wallet_status", "arguments": {}})["result"]
        assert status.get("isError") in (None, False) and status["structuredContent"]["frozen"] is False, status
        # What a model asks for first: a transfer over the starter policy's 0.1 SOL.
        refused = raw.request(5, "tools/call", {"name": "transfer", "arguments": {"asset": "SOL", "to": str(fresh_pubkey()), "amount": "0.2"}})["result"]
        assert refused["isError"] is True, refused
        body = json.loads(refused["content"][0]["text"])
        assert body["decision"] == "deny" and "per_transaction_limit_exceeded" in [r["code"] for r in body["reasons"]], body
        unknown = raw.request(6, "tools/call", {"name": "drain_wallet", "arguments": {}})
        assert "error" in unknown or unknown["result"].get("isError") is True, unknown
        # Requests in flight are answered in any order, each by its id.
        for i in range(7, 12):
            raw.send({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "explain_policy", "arguments": {}}})
        answers = {raw.receive()["id"] for _ in range(7, 12)}
        assert answers == set(range(7, 12))
        raw.process.stdin.close()
        assert raw.process.wait(timeout=15) == 0, "the server exits cleanly when the host closes stdin"
    finally:
        if raw.process.poll() is None:
            raw.process.kill()
            raw.process.wait()
        daemon.stop()
    assert [r["decision"] for r in ledger_rows(daemon.home)].count("deny") == 1, "the refusal is in the ledger, once"


def read_until_closed(process: subprocess.Popen, timeout: float = 60.0) -> list[dict]:
    """Every line the server writes until it closes stdout."""
    out, deadline = b"", time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0 and select.select([process.stdout], [], [], left)[0], "waiaas mcp neither answered nor closed"
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            return [json.loads(line) for line in out.splitlines() if line.strip()]
        out += chunk


def test_requests_in_flight_are_answered_when_the_host_closes_stdin(proto, node, daemon_home):
    """A host writes its last requests and closes stdin at once: each is
    still answered, the transfer that landed is reported, and the server then
    exits cleanly."""
    daemon = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    raw = RawSession(daemon.socket_path)
    try:
        with Wallet(proto, daemon.socket_path) as w:
            agent = w.agent()
        node.airdrop(agent, 2 * SOL)
        to = fresh_pubkey()
        raw.request(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "closing-host", "version": "1"}})
        raw.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        raw.send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "transfer", "arguments": {"asset": "SOL", "to": str(to), "amount": "0.05"}}})
        for i in range(3, 8):
            raw.send({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "wallet_status", "arguments": {}}})
        raw.process.stdin.close()
        answers = {a["id"]: a for a in read_until_closed(raw.process)}
        assert set(answers) == set(range(2, 8)), answers
        sent = json.loads(answers[2]["result"]["content"][0]["text"])
        assert sent["decision"] == "allow" and node.landed(Signature.from_string(sent["signature"])), sent
        assert node.balance(to) == SOL // 20
        assert raw.process.wait(timeout=15) == 0
    finally:
        if raw.process.poll() is None:
            raw.process.kill()
            raw.process.wait()
        daemon.stop()


def test_an_overlong_line_is_refused_and_skipped_without_growing_the_server(tmp_path):
    """64 MiB without a newline: answered with a parse error (id null) and
    skipped to its newline; the server's memory stays far below the line's
    size, and the next request is answered."""
    raw = RawSession(str(tmp_path / "no-daemon.sock"))
    try:
        raw.request(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "flooding-host", "version": "1"}})
        chunk = b'{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"' + b"x" * (1 << 20)
        for _ in range(64):
            raw.process.stdin.write(chunk)
        raw.process.stdin.write(b'"}}\n')
        raw.process.stdin.flush()
        refused = raw.receive()
        assert refused["id"] is None and refused["error"]["code"] == -32700 and "longer than 1048576 bytes" in refused["error"]["message"], refused
        assert raw.request(2, "ping")["result"] == {}
        status = pathlib.Path(f"/proc/{raw.process.pid}/status").read_text()
        peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])
        assert peak_kb < 48 * 1024, f"peak resident memory {peak_kb} kB after a 64 MiB line"
        raw.process.stdin.close()
        assert raw.process.wait(timeout=15) == 0
    finally:
        if raw.process.poll() is None:
            raw.process.kill()
            raw.process.wait()


def test_the_line_bound_is_exact(tmp_path):
    """A message of exactly 1 MiB is read and answered; one byte more is
    refused, even when both arrive in one read."""
    raw = RawSession(str(tmp_path / "no-daemon.sock"))
    try:
        def line(id_: int, size: int) -> bytes:
            head, tail = b'{"jsonrpc":"2.0","id":%d,"method":"ping","params":{"pad":"' % id_, b'"}}'
            return head + b"x" * (size - len(head) - len(tail)) + tail + b"\n"
        raw.process.stdin.write(line(1, 1 << 20) + line(2, (1 << 20) + 1) + line(3, 100))
        raw.process.stdin.close()
        answers = read_until_closed(raw.process)
        assert [a.get("id") for a in answers] == [1, None, 3], answers
        assert answers[0]["result"] == {} and answers[1]["error"]["code"] == -32700, answers
        assert raw.process.wait(timeout=15) == 0
    finally:
        if raw.process.poll() is None:
            raw.process.kill()
            raw.process.wait()
