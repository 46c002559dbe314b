"""`waiaas sign --tx` reads its input strictly: base58 text whose length is a
multiple of four also decodes as base64 (into garbage), so each reading is
parsed as a transaction and exactly one must be one. Before, about one
base58 transaction in four was sent to the daemon as base64 garbage."""
from __future__ import annotations

import base64
import binascii
import json

from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from wallet_helpers import Wallet, cli, random_blockhash, transfer_tx

MEMO = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = BASE58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def also_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
        return True
    except binascii.Error:
        return False


def test_base58_that_is_also_valid_base64_is_read_as_base58(daemon, proto):
    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
    # Find transfers whose base58 form is also valid base64 (one length in four;
    # a memo of growing length varies the length).
    ambiguous = []
    for lamports in range(1_000, 1_400):
        memo = Instruction(MEMO, b"m" * (lamports % 40), [])
        tx = transfer_tx(agent, Keypair().pubkey(), lamports, blockhash=random_blockhash(), extra=[memo])
        text = b58encode(tx)
        if also_base64(text):
            ambiguous.append((tx, text, lamports))
        if len(ambiguous) == 3:
            break
    assert len(ambiguous) == 3, "no base58 transaction that also reads as base64 was found"
    for tx, text, lamports in ambiguous:
        result = cli("sign", "--socket", daemon.socket_path, "--tx", text, "--dry-run", "--json")
        assert result.returncode == 0, result.stdout + result.stderr
        answer = json.loads(result.stdout)
        assert answer["decision"] == "allow", answer
        # The daemon judged the real transfer: its amount plus the fee, in SOL.
        sol = f"{(lamports + 5_000) / 10**9:.9f}".rstrip("0") + " SOL"
        assert any(r["code"] == "within_policy" and f"sends {sol}" in r["message"] for r in answer["reasons"]), (sol, answer)
        # The same bytes as base64 give the same decision.
        again = cli("sign", "--socket", daemon.socket_path, "--tx", base64.b64encode(tx).decode(), "--dry-run", "--json")
        assert json.loads(again.stdout)["decision"] == "allow"


def test_input_that_is_no_transaction_either_way_is_refused_locally(daemon):
    result = cli("sign", "--socket", daemon.socket_path, "--tx", "abcd", "--dry-run")
    assert result.returncode != 0
    assert "does not decode to a valid transaction" in result.stderr, result.stderr
