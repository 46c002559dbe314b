#!/usr/bin/env python3
"""A minimal agent: asks the daemon to sign a transfer within its limit (signed),
then one over it (refused), and prints the daemon's reasons the way an agent
runtime would hand them back to its model as a tool result.

    waiaasd serve --dev --home /tmp/w/home        # prints "agent: <base58>"
    pip install clients/python                    # or PYTHONPATH=clients/python
    python3 examples/python/agent.py /tmp/w/home/waiaasd.sock

Transactions are built by hand here (a legacy System transfer) so the example
needs nothing but the client; a real agent would use solders or solana-py and
a recent blockhash from its RPC node.
"""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))

from waiaas import WaiaasError, WalletClient  # noqa: E402

LAMPORTS_PER_SOL = 1_000_000_000


def sol_transfer(agent: bytes, to: bytes, lamports: int, blockhash: bytes) -> bytes:
    """A legacy transaction moving `lamports` from the agent, with one empty signature slot."""
    message = (bytes([1, 0, 1, 3]) + agent + to + bytes(32) + blockhash
               + bytes([1, 2, 2, 0, 1, 12]) + struct.pack("<IQ", 2, lamports))
    return bytes([1]) + bytes(64) + message


def tool_result(ok: bool, **fields: object) -> str:
    """What the model sees: short, structured, with the daemon's reasons verbatim."""
    return json.dumps({"ok": ok, **fields}, indent=2)


def transfer_tool(wallet: WalletClient, agent: bytes, sol: float) -> str:
    tx = sol_transfer(agent, bytes([0x33]) * 32, int(sol * LAMPORTS_PER_SOL), bytes([0x42]) * 32)
    try:
        r = wallet.sign({"transaction": tx, "client_reference": f"agent transfer of {sol} SOL"}, timeout=10)
    except WaiaasError as e:
        # Denied, or needs the owner's approval: the reasons say why and what would pass.
        return tool_result(False, error=e.code_name,
                           reasons=[{"code": r.code, "message": r.message} for r in e.reasons],
                           hint="do not retry the same request; change it to fit the policy or ask the owner")
    return tool_result(True, signature=r.signature.hex(), ledger_sequence=r.ledger_sequence,
                       reasons=[{"code": x.code, "message": x.message} for x in r.reasons])


def main() -> None:
    socket_path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("WAIAAS_SOCKET", ".waiaas/waiaasd.sock")
    with WalletClient(socket_path) as wallet:
        agent = wallet.get_status().agent_public_key
        print("tool call: transfer 0.01 SOL ->")
        print(transfer_tool(wallet, agent, 0.01))
        print("tool call: transfer 0.5 SOL ->")
        print(transfer_tool(wallet, agent, 0.5))


if __name__ == "__main__":
    main()
