"""x402's `ClientSvmSigner` for a WAIaaS daemon (docs/X402.md).

The x402 SDK's exact-SVM client builds the payment transaction itself and
signs it with `signer.keypair.sign_message(...)`. `DaemonSvmSigner` hands
it a keypair stand-in whose `sign_message` asks the daemon's Sign instead:
the agent's process never holds the key, and every payment goes through the
owner's policy and the ledger like any transaction. A refusal raises the
client's `WaiaasError` (with the daemon's reasons), so no payment is made.

    from waiaas import WalletClient
    from waiaas_x402 import DaemonSvmSigner
    from x402.mechanisms.svm.exact.client import ExactSvmScheme
    scheme = ExactSvmScheme(DaemonSvmSigner(WalletClient("./.waiaas/waiaasd.sock")))

Without the SDK, the daemon's own `PayX402` method builds the payment from the
requirements (and checks the policy's `x402` rule, which this path cannot
apply: here the daemon sees only a token transfer).
"""
from __future__ import annotations

from typing import Any

from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

__all__ = ["DaemonSvmSigner", "DaemonKeypair"]


def _compact_u16(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _unsigned_transaction(message: bytes) -> bytes:
    """The wire transaction of `message` (as signed: 0x80-prefixed for v0) with every slot zeroed."""
    if not message:
        raise ValueError("empty message")
    header = message[1:] if message[0] & 0x80 else message
    signatures = header[0]
    return _compact_u16(signatures) + bytes(64 * signatures) + message


class DaemonKeypair:
    """What x402 calls `keypair`: `pubkey()` and `sign_message()`, the latter
    through the daemon's Sign (policy, ledger, then the signature)."""

    def __init__(self, client: Any, agent: Pubkey):
        self._client = client
        self._agent = agent

    def pubkey(self) -> Pubkey:
        return self._agent

    def sign_message(self, message: bytes) -> Signature:
        """The agent's signature over the message bytes x402 signs; the
        daemon judges the transaction they make."""
        response = self._client.sign({"transaction": _unsigned_transaction(bytes(message))})
        return Signature.from_bytes(bytes(response.signature))


class DaemonSvmSigner:
    """x402's `ClientSvmSigner` backed by a WAIaaS `WalletClient`."""

    def __init__(self, client: Any):
        self._client = client
        self._agent = Pubkey.from_bytes(bytes(client.get_status().agent_public_key))
        self._keypair = DaemonKeypair(client, self._agent)

    @property
    def address(self) -> str:
        return str(self._agent)

    @property
    def keypair(self) -> DaemonKeypair:
        return self._keypair

    def sign_transaction(self, tx: VersionedTransaction) -> VersionedTransaction:
        """Fills the agent's slot of `tx` through the daemon; every other slot stays as given."""
        response = self._client.sign({"transaction": bytes(tx)})
        return VersionedTransaction.from_bytes(bytes(response.signed_transaction))
