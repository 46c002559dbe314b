"""scenarios.json against a live daemon with the generated Python client, in
both flavours (blocking WalletClient and asyncio AsyncWalletClient), each on
one connection to its own fresh daemon."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature

from live import SCENARIOS, Daemon, set_policy_message, transfer
from waiaas import AsyncWalletClient, AttestationReport, WaiaasError, WalletClient

STEPS = SCENARIOS["steps"]


def snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class Context:
    def __init__(self, daemon):
        self.daemon = daemon
        self.policy = b""
        self.tx_message = {}


def build_request(step, ctx):
    r = dict(step["request"])
    d = ctx.daemon
    if "transfer_lamports" in r:
        tx, message = transfer(d.agent, r.pop("transfer_lamports"))
        ctx.tx_message[step["name"]] = message
        r["transaction"] = tx
    if r.get("policy") == "current":
        r["policy"] = ctx.policy
        kp = Keypair.from_bytes(d.owner_keypair_bytes)
        how = r.pop("sign_with")
        sig = bytes(kp.sign_message(set_policy_message(d.agent, r["version"], ctx.policy))) if how == "owner" else bytes(64)
        r["signatures"] = [{"public_key": bytes(kp.pubkey()), "signature": sig}]
        r["agent_public_key"] = d.agent
    if "nonce_hex" in r:
        r["nonce"] = bytes.fromhex(r.pop("nonce_hex"))
    return r


def check(step, ctx, response, error):
    e = step["expect"]
    d = ctx.daemon
    code = error.code if error is not None else 0
    assert code == e["status"], f"{step['name']}: {error}"
    if error is not None:
        codes = [r.code for r in error.reasons]
        if "reasons" in e:
            assert codes == e["reasons"]
        for c in e.get("reasons_include", []):
            assert c in codes
        if "client_side" in e:
            assert error.client_side == e["client_side"]
        return
    if "reasons" in e:
        assert [r.code for r in response.reasons] == e["reasons"]
    if e.get("agent_is_banner_agent"):
        assert response.agent_public_key == d.agent
    if "policy_version" in e:
        assert response.policy_version == e["policy_version"] if hasattr(response, "policy_version") else response.version == e["policy_version"]
    if "platform" in e:
        assert response.platform == e["platform"]
    if "owner_threshold" in e:
        assert response.owner_threshold == e["owner_threshold"]
    if "signature_count" in e:
        assert len(response.signatures) == e["signature_count"]
        ctx.policy = response.policy
        assert response.version == e["policy_version"]
    if "decision" in e:
        assert int(response.decision) == e["decision"]
    if e.get("signature_verifies"):
        sig = Signature.from_bytes(response.signature)
        assert sig.verify(Pubkey.from_bytes(d.agent), ctx.tx_message[step["name"]])
        # the signed transaction carries the signature in the agent's slot
        assert response.signed_transaction[1:65] == response.signature
    if e.get("signer_is_agent"):
        assert response.signer == d.agent
    if e.get("signature_empty"):
        assert response.signature == b""
    if e.get("report_nonce_echoed"):
        report = AttestationReport.FromString(response.report)
        assert report.nonce == bytes.fromhex(step["request"]["nonce_hex"])
        if e.get("report_agent_is_agent"):
            assert report.agent_public_key == d.agent
    if "signature_length" in e:
        assert len(response.signature) == e["signature_length"]


@pytest.fixture(scope="module")
def blocking():
    d = Daemon()
    client = WalletClient(d.socket)
    yield client, Context(d)
    client.close()
    d.stop()


@pytest.fixture(scope="module")
def asynchronous():
    d = Daemon()
    loop = asyncio.new_event_loop()
    client = AsyncWalletClient(d.socket)
    loop.run_until_complete(client.connect())
    yield loop, client, Context(d)
    loop.run_until_complete(client.close())
    loop.close()
    d.stop()


def call_blocking(client, step, request):
    timeout = step["timeout_ms"] / 1000 if "timeout_ms" in step else None
    if "method_path" in step:
        return client.call_raw(step["method_path"], b"", timeout=timeout)
    return getattr(client, snake(step["method"]))(request, timeout=timeout)


async def call_async(client, step, request):
    timeout = step["timeout_ms"] / 1000 if "timeout_ms" in step else None
    if "method_path" in step:
        return await client.call_raw(step["method_path"], b"", timeout=timeout)
    return await getattr(client, snake(step["method"]))(request, timeout=timeout)


@pytest.mark.parametrize("step", STEPS, ids=[s["name"] for s in STEPS])
def test_blocking(blocking, step):
    client, ctx = blocking
    request = build_request(step, ctx)

    def one():
        try:
            return call_blocking(client, step, request), None
        except WaiaasError as e:
            return None, e

    if step.get("pause_daemon"):
        ctx.daemon.pause()
        try:
            outcomes = [one()]
        finally:
            ctx.daemon.resume()
    elif step.get("concurrent"):
        with ThreadPoolExecutor(step["concurrent"]) as pool:
            outcomes = list(pool.map(lambda _: one(), range(step["concurrent"])))
    else:
        outcomes = [one()]
    for response, error in outcomes:
        check(step, ctx, response, error)


@pytest.mark.parametrize("step", STEPS, ids=[s["name"] for s in STEPS])
def test_asyncio(asynchronous, step):
    loop, client, ctx = asynchronous
    request = build_request(step, ctx)

    async def one():
        try:
            return await call_async(client, step, request), None
        except WaiaasError as e:
            return None, e

    if step.get("pause_daemon"):
        ctx.daemon.pause()
        try:
            outcomes = [loop.run_until_complete(one())]
        finally:
            ctx.daemon.resume()
    elif step.get("concurrent"):
        async def many():
            return await asyncio.gather(*[one() for _ in range(step["concurrent"])])
        outcomes = loop.run_until_complete(many())
    else:
        outcomes = [loop.run_until_complete(one())]
    for response, error in outcomes:
        check(step, ctx, response, error)
