"""PayX402 (issue 17) against the x402 package's own facilitator verification
for the exact SVM scheme (x402 2.25, `x402.mechanisms.svm.exact.facilitator`),
with LiteSVM as the chain: the daemon builds and signs the payment inside the
policy; the facilitator (a test keypair) verifies it, adds its fee-payer
signature, and the transaction executes in LiteSVM, moving exactly the amount
to the payTo ATA while the agent pays no fee."""
from __future__ import annotations

import base64
import json
import os
import pathlib
import subprocess
import sys

import pytest
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction
from x402.mechanisms.svm.exact.facilitator import ExactSvmScheme as FacilitatorScheme
from x402.schemas import PaymentPayload, PaymentRequirements

from conftest import Daemon, bin_dir
from rpc_node import RpcNode, ata_address
from wallet_helpers import OK, PERMISSION_DENIED, Wallet, set_policy_cli, start

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
PAY_X402 = "/waiaas.v1.Wallet/PayX402"
SOL = 1_000_000_000


class Calls(Wallet):
    _RESPONSES = {**Wallet._RESPONSES, PAY_X402: "PayX402Response"}

    def pay(self, requirements, resource: str = "https://api.example.com/weather", dry_run: bool = False):
        text = requirements if isinstance(requirements, str) else json.dumps(requirements)
        return self.call(PAY_X402, self.proto.wallet.PayX402Request(requirements=text, resource=resource, dry_run=dry_run))


class LiteSvmFacilitator:
    """x402's FacilitatorSvmSigner over LiteSVM: signs as the fee payer,
    simulates and sends in the test node's LiteSVM."""

    def __init__(self, node: RpcNode, keypair: Keypair):
        self.node = node
        self.keypair = keypair

    def get_addresses(self) -> list[str]:
        return [str(self.keypair.pubkey())]

    def sign_transaction(self, tx_base64: str, fee_payer: str, network: str) -> str:
        assert fee_payer == str(self.keypair.pubkey())
        tx = VersionedTransaction.from_bytes(base64.b64decode(tx_base64))
        message_bytes = bytes([0x80]) + bytes(tx.message)
        signatures = list(tx.signatures)
        assert signatures[0] == Signature.default(), "the facilitator's slot must arrive empty"
        signatures[0] = self.keypair.sign_message(message_bytes)
        return base64.b64encode(bytes(VersionedTransaction.populate(tx.message, signatures))).decode()

    def simulate_transaction(self, tx_base64: str, network: str) -> None:
        result = self.node.svm.simulate_transaction(VersionedTransaction.from_bytes(base64.b64decode(tx_base64)))
        if hasattr(result, "err"):
            raise RuntimeError(f"simulation failed: {result}")

    def send_transaction(self, tx_base64: str, network: str) -> str:
        result = self.node.svm.send_transaction(VersionedTransaction.from_bytes(base64.b64decode(tx_base64)))
        if hasattr(result, "err"):
            raise RuntimeError(f"send failed: {result}")
        return str(VersionedTransaction.from_bytes(base64.b64decode(tx_base64)).signatures[0])

    def confirm_transaction(self, signature: str, network: str) -> None:
        return None


def policy(mint: Pubkey, x402: dict | None = None) -> dict:
    document = {"format": 1, "name": "x402 payments",
                "assets": [{"asset": "SOL", "per_transaction": "0.01", "windows": [{"period": "24h", "limit": "0.1"}]},
                           {"mint": str(mint), "symbol": "USDC", "decimals": 6, "per_transaction": "5",
                            "windows": [{"period": "24h", "limit": "20"}]}],
                "programs": {"include_defaults": True}}
    if x402 is not None:
        document["x402"] = x402
    return document


class Setup:
    def __init__(self, node: RpcNode, daemon: Daemon, wallet: Calls, agent: Pubkey, mint: Pubkey, pay_to: Pubkey, facilitator: Keypair):
        self.node, self.daemon, self.wallet, self.agent = node, daemon, wallet, agent
        self.mint, self.pay_to, self.facilitator = mint, pay_to, facilitator

    def requirements(self, amount: int = 10_000, **extra) -> dict:
        return {"scheme": "exact", "network": DEVNET, "amount": str(amount), "asset": str(self.mint), "payTo": str(self.pay_to),
                "maxTimeoutSeconds": 60, "extra": {"feePayer": str(self.facilitator.pubkey()), **extra}}

    def verify(self, payload_json: str, requirements: dict):
        scheme = FacilitatorScheme(LiteSvmFacilitator(self.node, self.facilitator))
        return scheme, scheme.verify(PaymentPayload.model_validate(json.loads(payload_json)), PaymentRequirements.model_validate(requirements))


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


def serve(proto, node: RpcNode, daemon_home, x402: dict | None = None, pay_to: Pubkey | None = None):
    d = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    mint = node.create_mint(decimals=6, mint_authority=Keypair().pubkey())
    assert set_policy_cli(d, policy(mint, x402(pay_to) if callable(x402) else x402), 2).get("version") == 2
    wallet = Calls(proto, d.socket_path, timeout=60)
    agent = Pubkey.from_bytes(wallet.status().agent_public_key)
    node.airdrop(agent, SOL)
    node.create_ata(agent, mint, amount=3_000_000)
    pay_to = pay_to or Keypair().pubkey()
    node.create_ata(pay_to, mint)
    facilitator = Keypair()
    node.airdrop(facilitator.pubkey(), SOL)
    return Setup(node, d, wallet, agent, mint, pay_to, facilitator)


@pytest.fixture
def paid(proto, node, daemon_home):
    s = serve(proto, node, daemon_home)
    yield s
    s.wallet.close()
    s.daemon.stop()


def test_the_facilitator_verifies_and_the_payment_moves_exactly_the_amount(paid):
    s = paid
    requirements = s.requirements(amount=250_000, memo="order-42")
    reply = s.wallet.pay(requirements)
    assert reply.code == OK, reply
    answer = reply.response
    assert answer.x402_version == 2 and answer.header_name == "PAYMENT-SIGNATURE"
    assert base64.b64decode(answer.header_value).decode() == answer.payload_json
    payload = json.loads(answer.payload_json)
    assert payload["x402Version"] == 2 and payload["accepted"] == requirements
    assert payload["resource"]["url"] == "https://api.example.com/weather"
    # What the daemon counted: the token amount, and no SOL (the facilitator pays the fee).
    assert {bytes(o.mint): o.amount for o in answer.sign.outflows} == {bytes(s.mint): 250_000}
    assert answer.sign.max_fee_lamports == 0

    tx = VersionedTransaction.from_bytes(base64.b64decode(payload["payload"]["transaction"]))
    assert tx.message.account_keys[0] == s.facilitator.pubkey()
    assert tx.signatures[0] == Signature.default(), "the facilitator's slot stays empty"
    assert tx.signatures[1].verify(s.agent, bytes([0x80]) + bytes(tx.message))

    scheme, verdict = s.verify(answer.payload_json, requirements)
    assert verdict.is_valid, verdict
    assert verdict.payer == str(s.agent)

    before_sol = s.node.balance(s.agent)
    source = ata_address(s.agent, s.mint)
    settled = scheme.settle(PaymentPayload.model_validate(payload), PaymentRequirements.model_validate(requirements))
    assert settled.success, settled
    assert s.node.token_amount(ata_address(s.pay_to, s.mint)) == 250_000
    assert s.node.token_amount(source) == 3_000_000 - 250_000
    assert s.node.balance(s.agent) == before_sol, "the agent paid a fee"


def test_a_whole_402_body_and_v1_requirements(paid):
    s = paid
    evm = {"scheme": "exact", "network": "eip155:8453", "amount": "1", "asset": "0xabc", "payTo": "0xdef", "maxTimeoutSeconds": 60}
    body = {"x402Version": 2, "error": "payment required", "accepts": [evm, s.requirements(amount=1_000)]}
    reply = s.wallet.pay(body)
    assert reply.code == OK, reply
    assert json.loads(reply.response.payload_json)["accepted"] == s.requirements(amount=1_000)
    assert s.verify(reply.response.payload_json, s.requirements(amount=1_000))[1].is_valid

    v1 = {"scheme": "exact", "network": "solana-devnet", "maxAmountRequired": "2000", "resource": "https://api.example.com/v1",
          "payTo": str(s.pay_to), "asset": str(s.mint), "maxTimeoutSeconds": 60, "extra": {"feePayer": str(s.facilitator.pubkey())}}
    reply = s.wallet.pay(v1, resource="https://api.example.com/v1")
    assert reply.code == OK, reply
    assert reply.response.x402_version == 1 and reply.response.header_name == "X-PAYMENT"
    payload = json.loads(reply.response.payload_json)
    assert payload["scheme"] == "exact" and payload["network"] == "solana-devnet" and payload["x402Version"] == 1
    assert reply.response.amount == 2000


def test_the_fee_payer_as_authority_is_refused_and_nothing_is_signed(paid):
    s = paid
    requirements = s.requirements()
    requirements["extra"]["feePayer"] = str(s.agent)
    reply = s.wallet.pay(requirements)
    assert reply.code == PERMISSION_DENIED, reply
    assert "x402_fee_payer_is_agent" in reply.reasons


def test_over_the_asset_limit_is_refused_like_any_transfer(paid):
    reply = paid.wallet.pay(paid.requirements(amount=5_000_001))
    assert reply.code == PERMISSION_DENIED, reply
    assert "per_transaction_limit_exceeded" in reply.reasons


@pytest.mark.parametrize("bad, expected", [
    ({"scheme": "upto"}, "scheme"),
    ({"network": "eip155:8453"}, "network"),
    ({"amount": "1.5"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"payTo": "not-an-address"}, "payTo"),
    ({"extra": {}}, "feePayer"),
    ({"extra": {"feePayer": "11111111111111111111111111111111", "memo": "x" * 257}}, "memo"),
])
def test_malformed_requirements_are_invalid_arguments(paid, bad, expected):
    requirements = {**paid.requirements(), **bad}
    reply = paid.wallet.pay(requirements)
    assert reply.code == 3, reply  # INVALID_ARGUMENT
    assert expected in reply.message, reply.message


def test_not_json_and_a_bad_resource_are_refused(paid):
    assert paid.wallet.pay("{not json").code == 3
    assert paid.wallet.pay(paid.requirements(), resource="ftp://example.com/x").code == 3
    assert paid.wallet.pay("x" * (64 * 1024 + 1)).code == 3


def test_the_x402_rule_narrows_payto_origin_and_amount(proto, node, daemon_home):
    allowed = Keypair().pubkey()
    s = serve(proto, node, daemon_home, x402={"pay_to": [str(allowed)], "origins": ["https://api.example.com"], "max_per_payment": "0.05"},
              pay_to=allowed)
    try:
        assert s.wallet.pay(s.requirements(amount=50_000)).code == OK
        over = s.wallet.pay(s.requirements(amount=50_001))
        assert over.code == PERMISSION_DENIED and "x402_over_maximum" in over.reasons, over
        elsewhere = s.wallet.pay(s.requirements(amount=1_000), resource="https://evil.example.net/pay")
        assert elsewhere.code == PERMISSION_DENIED and "x402_origin_not_allowed" in elsewhere.reasons, elsewhere
        stranger = Keypair().pubkey()
        node.create_ata(stranger, s.mint)
        unlisted = s.wallet.pay({**s.requirements(amount=1_000), "payTo": str(stranger)})
        assert unlisted.code == PERMISSION_DENIED and "x402_pay_to_not_allowed" in unlisted.reasons, unlisted
    finally:
        s.wallet.close()
        s.daemon.stop()


def test_the_cli_prints_the_header(paid):
    s = paid
    result = subprocess.run([str(bin_dir() / "waiaas"), "x402", "pay", "--socket", s.daemon.socket_path, "--requirements", "-",
                             "--resource", "https://api.example.com/weather", "--json"],
                            input=json.dumps(s.requirements(amount=7_000)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["decision"] == "allow" and answer["header"] == "PAYMENT-SIGNATURE" and answer["amount"] == 7000
    assert s.verify(base64.b64decode(answer["value"]).decode(), s.requirements(amount=7_000))[1].is_valid


ADAPTER_SCRIPT = """
import json, sys
from waiaas import WaiaasError, WalletClient
from waiaas_x402 import DaemonSvmSigner
from x402.mechanisms.svm.exact.client import ExactSvmScheme
from x402.schemas import PaymentRequirements
socket_path, rpc_url = sys.argv[1], sys.argv[2]
with WalletClient(socket_path) as client:
    signer = DaemonSvmSigner(client)
    for line in sys.stdin:
        requirements = PaymentRequirements.model_validate(json.loads(line))
        try:
            inner = ExactSvmScheme(signer, rpc_url=rpc_url).create_payment_payload(requirements)
            print(json.dumps({"address": signer.address, "payload": inner}), flush=True)
        except WaiaasError as error:
            print(json.dumps({"address": signer.address, "code": error.code, "reasons": [r.code for r in error.reasons]}), flush=True)
"""


def test_the_sdk_adapter_signs_through_the_daemon(paid):
    """x402's own client (`ExactSvmScheme` of x402.mechanisms.svm.exact.client),
    run as an agent would (its own process, the generated client and the
    adapter on its path), builds the payment against the LiteSVM node; the
    adapter's keypair asks the daemon to sign; the facilitator verifies and
    settles it. Over the limit, the daemon refuses and no payload exists."""
    repo = pathlib.Path(__file__).resolve().parents[2]
    s = paid
    good, over = s.requirements(amount=123_456), s.requirements(amount=6_000_000)
    env = {**os.environ, "PYTHONPATH": f"{repo / 'clients' / 'python'}{os.pathsep}{repo / 'clients' / 'python-x402'}"}
    result = subprocess.run([sys.executable, "-c", ADAPTER_SCRIPT, s.daemon.socket_path, s.node.url],
                            input=json.dumps(good) + "\n" + json.dumps(over) + "\n", capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["address"] == str(s.agent)
    payload = PaymentPayload(x402_version=2, payload=first["payload"], accepted=PaymentRequirements.model_validate(good))
    scheme, verdict = s.verify(payload.model_dump_json(by_alias=True), good)
    assert verdict.is_valid, verdict
    assert scheme.settle(payload, PaymentRequirements.model_validate(good)).success
    assert s.node.token_amount(ata_address(s.pay_to, s.mint)) == 123_456
    assert second.get("code") == PERMISSION_DENIED, second
    assert "per_transaction_limit_exceeded" in second["reasons"]
