"""The RPC test node (rpc_node.py) checked before the daemon's Solana
client is tested against it.

Why: a fake node that answers with the wrong shapes, or that does not
really execute, would let the client pass tests and fail on a real node;
and a fault that does not fire would let the client's error paths go
untested while looking covered. So every method is read here with an
independent client (solana-py's AsyncClient, driven synchronously)
and compared with LiteSVM's own state, the exact JSON is read over raw
HTTP where the shape matters, and every fault is shown to produce the
failure a client would see.

solana-py 0.41 has no synchronous Client any more (solana.rpc.api is
gone), so SyncClient below runs AsyncClient on a private event loop."""
from __future__ import annotations

import asyncio
import base64
import http.client
import json
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
from typing import Any

import pytest
from solana.exceptions import SolanaRpcException
from solana.rpc.async_api import AsyncClient
from solana.rpc.commitment import Confirmed, Processed
from solana.rpc.core import RPCException
from solana.rpc.jsonrpc import JsonRpcRequest, SolanaJsonRpcError
from solana.rpc.models import DataSliceOpts, TokenAccountOpts, TxOpts
from solders.account import Account
from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.token.state import Mint, TokenAccount
from solders.transaction import Transaction, VersionedTransaction
from spl.token.instructions import create_idempotent_associated_token_account, transfer_checked
from spl.token.models import TransferCheckedParams

import rpc_node
from rpc_node import (ALT_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, RpcNode, ata_address, b58decode,
                      b58encode)

SOL = 1_000_000_000
FEE = 5_000


class SyncClient:
    """solana-py's AsyncClient, one call at a time on its own event loop (so
    its keep-alive connection pool lives across calls)."""

    def __init__(self, url: str, timeout: float = 5.0):
        self.loop = asyncio.new_event_loop()
        self.inner = AsyncClient(url, timeout=timeout, max_transport_retries=0, http2=False)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self.loop.run_until_complete(method(*args, **kwargs))
        return call

    def raw(self, method: str, params: list | None = None) -> Any:
        """A method solana-py has no wrapper for, its result as plain JSON."""
        return self.loop.run_until_complete(
            self.inner.send_rpc_request(JsonRpcRequest(method=method, params=params), Any))

    def close(self) -> None:
        self.loop.run_until_complete(self.inner.close())
        self.loop.close()


def post(url: str, body: bytes, headers: dict | None = None, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    """One HTTP POST on a fresh connection: status, headers, body."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def rpc(url: str, method: str, params: list | None = None, request_id: Any = 1) -> dict:
    """The whole JSON-RPC response envelope of one call."""
    call: dict = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        call["params"] = params
    status, _, body = post(url, json.dumps(call).encode())
    assert status == 200, body
    return json.loads(body)


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


@pytest.fixture
def client(node):
    c = SyncClient(node.url)
    yield c
    c.close()


def transfer_tx(payer: Keypair, to: Pubkey, lamports: int, blockhash: Hash) -> Transaction:
    ix = transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=to, lamports=lamports))
    return Transaction([payer], Message([ix], payer.pubkey()), blockhash)


def funded(node: RpcNode, lamports: int = 10 * SOL) -> Keypair:
    keypair = Keypair()
    node.airdrop(keypair.pubkey(), lamports)
    return keypair


# ---------------------------------------------------------------- reads


def test_balance_after_airdrop_matches_litesvm(node, client):
    who = Keypair().pubkey()
    assert client.get_balance(who).value == 0
    node.airdrop(who, 2 * SOL)
    node.airdrop(who, 2 * SOL)  # twice the same amount: LiteSVM's airdrop would refuse it
    assert client.get_balance(who, commitment=Confirmed).value == 4 * SOL == node.svm.get_balance(who)
    assert node.commitment_of("getBalance") == "confirmed"
    envelope = rpc(node.url, "getBalance", [str(who)])
    assert envelope == {"jsonrpc": "2.0", "result": {"context": {"slot": node.slot, "apiVersion": "2.1.0"},
                                                     "value": 4 * SOL}, "id": 1}


def test_account_info_of_a_token_account_decodes(node, client):
    owner = Keypair().pubkey()
    mint = node.create_mint(decimals=6, mint_authority=owner)
    ata = node.create_ata(owner, mint, 1_234_567)
    assert ata == ata_address(owner, mint)

    account = client.get_account_info(ata).value
    truth = node.svm.get_account(ata)
    assert account.owner == TOKEN_PROGRAM_ID and account.lamports == truth.lamports == node.rent_exempt(165)
    assert bytes(account.data) == bytes(truth.data)
    decoded = TokenAccount.from_bytes(bytes(account.data))  # solders' own layout, not the node's
    assert (decoded.mint, decoded.owner, decoded.amount) == (mint, owner, 1_234_567)
    assert Mint.from_bytes(bytes(client.get_account_info(mint).value.data)).supply == 1_234_567

    value = rpc(node.url, "getAccountInfo", [str(ata), {"encoding": "base64"}])["result"]["value"]
    assert set(value) == {"lamports", "owner", "data", "executable", "rentEpoch", "space"}
    assert value["data"][1] == "base64" and base64.b64decode(value["data"][0]) == bytes(truth.data)
    assert value["space"] == 165 and value["executable"] is False and value["owner"] == str(TOKEN_PROGRAM_ID)


def test_account_encodings_slices_and_the_base58_limit(node, client):
    owner = Keypair().pubkey()
    mint = node.create_mint(decimals=2)
    account = node.create_token_account(owner, mint, 77)
    mint_bytes = bytes(node.svm.get_account(mint).data)

    small = rpc(node.url, "getAccountInfo", [str(mint), {"encoding": "base58"}])["result"]["value"]
    assert small["data"][1] == "base58" and b58decode(small["data"][0]) == mint_bytes
    legacy = rpc(node.url, "getAccountInfo", [str(mint)])["result"]["value"]  # no encoding: legacy binary
    assert isinstance(legacy["data"], str) and b58decode(legacy["data"]) == mint_bytes

    too_big = rpc(node.url, "getAccountInfo", [str(account), {"encoding": "base58"}])
    assert too_big["error"] == {"code": -32600, "message": "Encoded binary (base 58) data should be less than "
                                                           "128 bytes, please use Base64 encoding."}
    assert "error" in rpc(node.url, "getAccountInfo", [str(account)])  # the default is base58 too

    sliced = client.get_account_info(account, data_slice=DataSliceOpts(offset=64, length=8)).value
    assert struct.unpack("<Q", bytes(sliced.data)) == (77,)
    sliced58 = rpc(node.url, "getAccountInfo", [str(account), {"encoding": "base58",
                                                               "dataSlice": {"offset": 64, "length": 8}}])
    assert b58decode(sliced58["result"]["value"]["data"][0]) == struct.pack("<Q", 77)

    parsed = rpc(node.url, "getAccountInfo", [str(account), {"encoding": "jsonParsed"}])["result"]["value"]["data"]
    assert parsed["program"] == "spl-token" and parsed["parsed"]["type"] == "account"
    assert parsed["parsed"]["info"]["tokenAmount"] == {"amount": "77", "decimals": 2, "uiAmount": 0.77,
                                                       "uiAmountString": "0.77"}
    missing = client.get_account_info(Keypair().pubkey())
    assert missing.value is None


def test_multiple_accounts_with_a_missing_one(node, client):
    payer = funded(node, 3 * SOL)
    mint = node.create_mint(decimals=9, program_id=TOKEN_2022_PROGRAM_ID)
    missing = Keypair().pubkey()
    values = client.get_multiple_accounts([payer.pubkey(), mint, missing], commitment=Processed).value
    assert values[0].lamports == 3 * SOL and values[0].owner == Pubkey.default()
    assert values[1].owner == TOKEN_2022_PROGRAM_ID and bytes(values[1].data) == bytes(node.svm.get_account(mint).data)
    assert values[2] is None
    assert node.commitment_of("getMultipleAccounts") == "processed"

    result = rpc(node.url, "getMultipleAccounts", [[str(missing), str(payer.pubkey())], {"encoding": "base64"}])
    assert result["result"]["context"] == {"slot": node.slot, "apiVersion": "2.1.0"}
    assert result["result"]["value"][0] is None and result["result"]["value"][1]["lamports"] == 3 * SOL
    too_many = rpc(node.url, "getMultipleAccounts", [[str(missing)] * 101])
    assert too_many["error"]["code"] == -32602


def test_latest_blockhash_is_valid_until_expired(node, client):
    latest = client.get_latest_blockhash().value
    assert latest.blockhash == node.svm.latest_blockhash()
    assert latest.last_valid_block_height == node.block_height + 150
    assert client.raw("isBlockhashValid", [str(latest.blockhash)])["value"] is True

    fresh = node.expire_blockhashes()
    assert fresh != latest.blockhash
    assert client.raw("isBlockhashValid", [str(latest.blockhash), {"commitment": "processed"}])["value"] is False
    assert client.get_latest_blockhash().value.blockhash == fresh
    assert client.raw("isBlockhashValid", [str(fresh)])["value"] is True
    assert client.raw("isBlockhashValid", [str(Hash.new_unique())])["value"] is False

    # A transaction signed with the expired hash cannot land.
    payer = funded(node)
    with pytest.raises(RPCException) as caught:
        client.send_raw_transaction(bytes(transfer_tx(payer, Keypair().pubkey(), SOL, latest.blockhash)))
    assert "Blockhash not found" in str(caught.value)
    assert node.balance(payer.pubkey()) == 10 * SOL


def test_rent_exemption_minimum_is_litesvm_s(node, client):
    for size in (0, 82, 165, 10_000):
        assert client.get_minimum_balance_for_rent_exemption(size).value == \
            node.svm.minimum_balance_for_rent_exemption(size)
    assert rpc(node.url, "getMinimumBalanceForRentExemption", [165])["result"] == 2_039_280


def test_get_slot_is_a_bare_integer_and_min_context_slot_is_enforced(node, client):
    assert client.get_slot().value == node.svm.get_clock().slot
    assert rpc(node.url, "getSlot", [{"commitment": "finalized"}])["result"] == node.slot
    ahead = rpc(node.url, "getBalance", [str(Pubkey.default()), {"minContextSlot": node.slot + 5}])
    assert ahead["error"] == {"code": -32016, "message": "Minimum context slot has not been reached",
                              "data": {"contextSlot": node.slot}}
    node.advance_slot(7)
    assert client.get_slot().value == node.svm.get_clock().slot
    assert "result" in rpc(node.url, "getBalance", [str(Pubkey.default()), {"minContextSlot": node.slot}])


# ---------------------------------------------------------------- transactions


def test_a_sol_transfer_lands(node, client):
    payer, to = funded(node), Keypair().pubkey()
    blockhash = client.get_latest_blockhash().value.blockhash
    tx = transfer_tx(payer, to, SOL, blockhash)
    slot = node.slot
    signature = client.send_raw_transaction(bytes(tx), opts=TxOpts(preflight_commitment=Confirmed)).value
    assert signature == tx.signatures[0]
    assert node.balance(payer.pubkey()) == 9 * SOL - FEE and node.balance(to) == SOL
    assert client.get_balance(to).value == SOL and client.get_balance(payer.pubkey()).value == 9 * SOL - FEE
    assert node.slot == slot + 1  # a landed transaction moves the slot
    assert node.commitment_of("sendTransaction") == "confirmed"
    params = node.params_of("sendTransaction")
    assert params[1]["encoding"] == "base64" and params[1]["skipPreflight"] is False

    unknown = Keypair().sign_message(b"never sent")
    statuses = client.get_signature_statuses([signature, unknown], search_transaction_history=True).value
    assert statuses[0].slot == slot and statuses[0].err is None and statuses[0].confirmations is None
    assert str(statuses[0].confirmation_status) == "TransactionConfirmationStatus.Finalized"
    assert statuses[1] is None
    raw = rpc(node.url, "getSignatureStatuses", [[str(signature)]])["result"]["value"][0]
    assert raw == {"slot": slot, "confirmations": None, "err": None, "status": {"Ok": None},
                   "confirmationStatus": "finalized"}

    node.set_status(signature, "confirmed")
    node.advance_slot(2)
    raw = rpc(node.url, "getSignatureStatuses", [[str(signature)]])["result"]["value"][0]
    assert raw["confirmationStatus"] == "confirmed" and raw["confirmations"] == 3


def test_a_failing_transfer_is_refused_by_preflight_or_lands_failed_without_it(node, client):
    payer, to = funded(node, SOL), Keypair().pubkey()
    tx = transfer_tx(payer, to, 5 * SOL, node.latest_blockhash())
    envelope = rpc(node.url, "sendTransaction", [base64.b64encode(bytes(tx)).decode(), {"encoding": "base64"}])
    error = envelope["error"]
    assert error["code"] == -32002
    assert error["message"] == "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1"
    assert error["data"]["err"] == {"InstructionError": [0, {"Custom": 1}]}
    assert any("insufficient lamports" in line for line in error["data"]["logs"])
    assert node.balance(payer.pubkey()) == SOL and not node.landed(tx.signatures[0])
    with pytest.raises(RPCException):
        client.send_raw_transaction(bytes(tx))

    # Without preflight it runs, fails and lands: the fee is charged and the status has the error.
    signature = client.send_raw_transaction(bytes(tx), opts=TxOpts(skip_preflight=True)).value
    assert signature == tx.signatures[0] and node.balance(payer.pubkey()) == SOL - FEE
    status = rpc(node.url, "getSignatureStatuses", [[str(signature)]])["result"]["value"][0]
    assert status["err"] == {"InstructionError": [0, {"Custom": 1}]}
    assert status["status"] == {"Err": {"InstructionError": [0, {"Custom": 1}]}}

    # A bad signature: -32003 with preflight; dropped (no status ever) without.
    forged = bytearray(bytes(transfer_tx(payer, to, 1000, node.latest_blockhash())))
    forged[10] ^= 0xFF
    bad = rpc(node.url, "sendTransaction", [base64.b64encode(bytes(forged)).decode(), {"encoding": "base64"}])
    assert bad["error"] == {"code": -32003, "message": "Transaction signature verification failure"}
    dropped = rpc(node.url, "sendTransaction", [b58encode(bytes(forged)), {"skipPreflight": True}])["result"]
    assert rpc(node.url, "getSignatureStatuses", [[dropped]])["result"]["value"] == [None]
    assert node.balance(payer.pubkey()) == SOL - FEE


def test_a_v0_transaction_through_a_lookup_table_lands(node, client):
    payer = funded(node)
    recipients = [Keypair().pubkey() for _ in range(4)]
    table = node.create_lookup_table(recipients[:3], authority=payer.pubkey())
    assert node.svm.get_account(table).owner == ALT_PROGRAM_ID
    assert node.lookup_table_addresses(table) == recipients[:3]
    instructions = [transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=r, lamports=SOL // (i + 1)))
                    for i, r in enumerate(recipients[:3])]
    tx = node.build_v0_transaction(payer, instructions, [table])
    assert tx.message.address_table_lookups[0].account_key == table
    assert all(r not in tx.message.account_keys for r in recipients)  # the recipients come from the table
    assert client.send_transaction(tx).value == tx.signatures[0]
    assert [node.balance(r) for r in recipients[:3]] == [SOL, SOL // 2, SOL // 3]

    # Extended in this slot: not usable until the next one.
    node.extend_lookup_table(table, [recipients[3]], usable_now=False)
    late = node.build_v0_transaction(payer, [transfer(TransferParams(from_pubkey=payer.pubkey(),
                                                                     to_pubkey=recipients[3], lamports=SOL))], [table])
    with pytest.raises(RPCException) as caught:
        client.send_transaction(late)
    assert "InvalidAddressLookupTableIndex" in str(caught.value) or "invalid index" in str(caught.value)
    node.advance_slot()
    client.send_transaction(late)
    assert node.balance(recipients[3]) == SOL

    # Deactivated (and cooled down): the table is gone for transactions.
    node.deactivate_lookup_table(table)
    gone = node.build_v0_transaction(payer, instructions[:1], [table])
    envelope = rpc(node.url, "sendTransaction", [base64.b64encode(bytes(gone)).decode(), {"encoding": "base64"}])
    assert envelope["error"]["data"]["err"] == "AddressLookupTableNotFound"


def test_spl_transfer_checked_and_create_idempotent_execute(node, client):
    payer = funded(node)
    recipient = Keypair().pubkey()
    mint = node.create_mint(decimals=6)
    source = node.create_ata(payer.pubkey(), mint, 5_000_000)
    destination = ata_address(recipient, mint)
    instructions = [
        create_idempotent_associated_token_account(payer.pubkey(), recipient, mint),
        transfer_checked(TransferCheckedParams(program_id=TOKEN_PROGRAM_ID, source=source, mint=mint,
                                               dest=destination, owner=payer.pubkey(), amount=1_500_000,
                                               decimals=6)),
    ]
    tx = Transaction([payer], Message(instructions, payer.pubkey()), node.latest_blockhash())
    client.send_raw_transaction(bytes(tx))
    assert node.token_amount(source) == 3_500_000 and node.token_amount(destination) == 1_500_000
    assert TokenAccount.from_bytes(bytes(client.get_account_info(destination).value.data)).owner == recipient
    # CreateIdempotent again on the existing account is fine.
    again = Transaction([payer], Message(instructions[:1], payer.pubkey()), node.expire_blockhashes())
    client.send_raw_transaction(bytes(again))
    assert node.token_amount(destination) == 1_500_000


def test_simulation_without_sigverify_reports_post_balances_and_changes_nothing(node, client):
    payer, to, bystander = funded(node), Keypair().pubkey(), funded(node, 42)
    message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=to,
                                                                  lamports=2 * SOL))],
                                         payer.pubkey(), node.latest_blockhash())
    unsigned = VersionedTransaction.from_legacy(Transaction.new_unsigned(message))
    assert str(unsigned.signatures[0]) == "1" * 64
    result = client.simulate_transaction(unsigned, sig_verify=False,
                                         accounts_addresses=[payer.pubkey(), to, bystander.pubkey()]).value
    assert result.err is None and result.units_consumed > 0
    assert [a.lamports for a in result.accounts] == [8 * SOL - FEE, 2 * SOL, 42]
    assert node.balance(payer.pubkey()) == 10 * SOL and node.balance(to) == 0  # nothing changed
    assert node.params_of("simulateTransaction")[1]["sigVerify"] is False

    with pytest.raises(RPCException):
        client.simulate_transaction(unsigned, sig_verify=True)

    raw = rpc(node.url, "simulateTransaction", [base64.b64encode(bytes(unsigned)).decode(),
                                                {"encoding": "base64", "replaceRecentBlockhash": True,
                                                 "accounts": {"encoding": "base64", "addresses": [str(to)]}}])
    value = raw["result"]["value"]
    assert {"err", "logs", "accounts", "unitsConsumed", "returnData"} <= set(value)
    assert value["accounts"][0]["lamports"] == 2 * SOL and value["returnData"] is None
    assert value["replacementBlockhash"]["blockhash"] == str(node.svm.latest_blockhash())
    assert raw["result"]["context"]["apiVersion"] == "2.1.0"


def test_a_failing_simulation_reports_the_error_and_no_accounts(node, client):
    payer, to = funded(node, SOL), Keypair().pubkey()
    tx = VersionedTransaction.from_legacy(transfer_tx(payer, to, 3 * SOL, node.latest_blockhash()))
    result = client.simulate_transaction(tx, accounts_addresses=[payer.pubkey(), to]).value
    assert result.err is not None and result.accounts == [None, None]
    assert any("insufficient lamports" in line for line in result.logs)
    raw = rpc(node.url, "simulateTransaction", [base64.b64encode(bytes(tx)).decode(), {"encoding": "base64"}])
    assert raw["result"]["value"]["err"] == {"InstructionError": [0, {"Custom": 1}]}


# ---------------------------------------------------------------- token accounts


def test_token_accounts_by_owner_by_mint_and_by_program(node, client):
    owner, other = Keypair().pubkey(), Keypair().pubkey()
    usdc, bonk = node.create_mint(decimals=6), node.create_mint(decimals=5)
    t22 = node.create_mint(decimals=9, program_id=TOKEN_2022_PROGRAM_ID)
    usdc_ata = node.create_ata(owner, usdc, 10)
    bonk_account = node.create_token_account(owner, bonk, 20)
    t22_ata = node.create_ata(owner, t22, 30)
    node.create_ata(other, usdc, 40)

    by_mint = client.get_token_accounts_by_owner(owner, TokenAccountOpts(mint=usdc)).value
    assert [k.pubkey for k in by_mint] == [usdc_ata]
    assert TokenAccount.from_bytes(bytes(by_mint[0].account.data)).amount == 10
    by_program = client.get_token_accounts_by_owner(owner, TokenAccountOpts(program_id=TOKEN_PROGRAM_ID)).value
    assert {k.pubkey for k in by_program} == {usdc_ata, bonk_account}
    by_2022 = client.get_token_accounts_by_owner(owner, TokenAccountOpts(program_id=TOKEN_2022_PROGRAM_ID)).value
    assert [k.pubkey for k in by_2022] == [t22_ata] and t22_ata == ata_address(owner, t22, TOKEN_2022_PROGRAM_ID)

    parsed = rpc(node.url, "getTokenAccountsByOwner", [str(owner), {"mint": str(bonk)}, {"encoding": "jsonParsed"}])
    entry = parsed["result"]["value"][0]
    assert entry["pubkey"] == str(bonk_account)
    assert entry["account"]["data"]["parsed"]["info"]["tokenAmount"]["uiAmountString"] == "0.0002"
    node.lie(usdc_ata, None)  # the node hides it
    assert client.get_token_accounts_by_owner(owner, TokenAccountOpts(mint=usdc)).value == []
    unknown = rpc(node.url, "getTokenAccountsByOwner", [str(owner), {"mint": str(Keypair().pubkey())},
                                                        {"encoding": "base64"}])
    assert unknown["error"] == {"code": -32602, "message": "Invalid param: could not find mint"}


# ---------------------------------------------------------------- JSON-RPC envelope and HTTP


def test_json_rpc_errors_use_the_standard_envelope(node):
    assert rpc(node.url, "getBalanse", [], request_id=7) == {
        "jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 7}
    bad = rpc(node.url, "getBalance", ["not-a-pubkey"], request_id="x")
    assert bad["error"]["code"] == -32602 and bad["id"] == "x" and "result" not in bad
    status, _, body = post(node.url, b'{"jsonrpc":"2.0","id":1,"method":"getSl')
    assert status == 200 and json.loads(body) == {"jsonrpc": "2.0", "error": {"code": -32700,
                                                                             "message": "Parse error"}, "id": None}
    status, _, body = post(node.url, b'{"jsonrpc":"2.0","id":1,"method":"getSlot"}', {"Content-Type": "text/plain"})
    assert status == 415
    batch = json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "getSlot"},
                        {"jsonrpc": "2.0", "id": 2, "method": "nope"}]).encode()
    answers = json.loads(post(node.url, batch)[2])
    assert [a["id"] for a in answers] == [1, 2] and answers[0]["result"] == node.slot
    assert answers[1]["error"]["code"] == -32601
    assert node.calls["getSlot"] == 1 and node.calls["nope"] == 1


def test_keep_alive_reuses_one_connection(node, client):
    for _ in range(5):
        client.get_slot()
    assert node.connections == 1 and node.calls["getSlot"] == 5
    parts = urllib.parse.urlsplit(node.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    for i in range(3):
        conn.request("POST", "/", body=json.dumps({"jsonrpc": "2.0", "id": i, "method": "getSlot"}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        assert response.version == 11 and response.getheader("Content-Length") is not None
        assert json.loads(response.read())["id"] == i
    conn.close()
    assert node.connections == 2


def test_expect_continue_and_chunked_request_bodies(node):
    call = json.dumps({"jsonrpc": "2.0", "id": 5, "method": "getSlot"}).encode()
    with socket.create_connection(("127.0.0.1", node.port), timeout=5) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(call))
        assert sock.recv(100).startswith(b"HTTP/1.1 100")
        sock.sendall(call)
        reply = b""
        while not reply.endswith(b"}"):
            reply += sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 200") and b'"id":5' in reply
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(call), call))
        reply = b""
        while not reply.endswith(b"}"):
            reply += sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 200") and b'"id":5' in reply
    assert node.connections == 1 and node.calls["getSlot"] == 2


def test_calls_are_counted_per_method(node, client):
    who = Keypair().pubkey()
    client.get_account_info(who)
    client.get_account_info(who)
    client.get_balance(who)
    assert node.calls["getAccountInfo"] == 2 and node.calls["getBalance"] == 1 and node.calls["getSlot"] == 0
    node.reset_records()
    assert node.calls["getAccountInfo"] == 0 and node.connections == 0


# ---------------------------------------------------------------- faults


def cause(error: BaseException) -> BaseException:
    while error.__cause__ is not None:
        error = error.__cause__
    return error


def test_connection_refused_where_nothing_listens_and_while_down(node, client):
    nowhere = SyncClient(RpcNode.unused_url())
    with pytest.raises(SolanaRpcException) as caught:
        nowhere.get_slot()
    assert "ConnectError" in type(cause(caught.value)).__name__
    nowhere.close()

    assert client.get_slot().value == node.slot
    node.go_down()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", node.port), timeout=1).close()
    with pytest.raises(SolanaRpcException):
        client.get_slot()
    fault = node.rpc_error(-32005, "Node is unhealthy", data={"numSlotsBehind": 3}, method="getSlot", times=1)
    node.come_up()
    with pytest.raises(RPCException):
        client.get_slot()  # faults armed while down fire once it is back
    assert client.get_slot().value == node.slot and fault.hits == 1  # the same URL works again


def test_timeouts_from_a_hang_and_from_a_delay(node):
    slow = SyncClient(node.url, timeout=0.3)
    who = Keypair().pubkey()
    node.airdrop(who, 5)
    fault = node.hang(method="getBalance", times=1)
    started = time.monotonic()
    with pytest.raises(SolanaRpcException) as caught:
        slow.get_balance(who)
    assert "Timeout" in type(cause(caught.value)).__name__ and time.monotonic() - started < 2
    assert fault.hits == 1 and slow.get_balance(who).value == 5  # only the next call hung

    node.delay(0.6, method="getSlot", times=1)
    with pytest.raises(SolanaRpcException):
        slow.get_slot()
    node.delay(0.05, method="getSlot", times=1)
    assert slow.get_slot().value == node.slot  # a short delay is just slow
    node.clear_faults()
    slow.close()


def test_a_hung_send_can_still_land(node):
    slow = SyncClient(node.url, timeout=0.3)
    payer, to = funded(node), Keypair().pubkey()
    tx = transfer_tx(payer, to, SOL, node.latest_blockhash())
    node.hang(method="sendTransaction", times=1, execute=True)
    with pytest.raises(SolanaRpcException):
        slow.send_raw_transaction(bytes(tx))
    assert node.landed(tx.signatures[0]) and node.balance(to) == SOL  # the answer was lost, not the transaction
    node.clear_faults()
    slow.close()


def test_http_500_with_a_body(node, client):
    node.http_error(500, body="upstream exploded", times=1)
    with pytest.raises(SolanaRpcException) as caught:
        client.get_slot()
    assert cause(caught.value).response.status_code == 500
    node.http_error(503, body='{"error":"busy"}', content_type="application/json", method="getSlot", times=1)
    status, headers, body = post(node.url, b'{"jsonrpc":"2.0","id":1,"method":"getSlot"}')
    assert (status, body) == (503, b'{"error":"busy"}')
    assert client.get_slot().value == node.slot


def test_a_json_rpc_error_is_passed_through_for_the_next_n_calls(node, client):
    who = Keypair().pubkey()
    node.airdrop(who, 7)
    fault = node.rpc_error(-32005, "Node is behind by 42 slots", data={"numSlotsBehind": 42},
                           method="getBalance", times=2)
    for _ in range(2):
        with pytest.raises(RPCException) as caught:
            client.get_balance(who)
        assert "Node is behind by 42 slots" in str(caught.value)
    assert client.get_balance(who).value == 7 and fault.hits == 2
    node.rpc_error(-32005, "Node is behind by 42 slots", data={"numSlotsBehind": 42}, times=1)
    assert rpc(node.url, "getSlot", request_id=9) == {
        "jsonrpc": "2.0", "error": {"code": -32005, "message": "Node is behind by 42 slots",
                                    "data": {"numSlotsBehind": 42}}, "id": 9}
    node.rpc_error(-32099, "custom trouble", method="isBlockhashValid", times=1)
    with pytest.raises(SolanaJsonRpcError) as custom:
        client.raw("isBlockhashValid", [str(Hash.default())])
    assert (custom.value.code, custom.value.message) == (-32099, "custom trouble")


def test_malformed_json_truncated_mistyped_missing(node, client):
    who = Keypair().pubkey()
    node.airdrop(who, 1000)
    node.truncate(method="getBalance", times=1)
    status, _, body = post(node.url, json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getBalance",
                                                 "params": [str(who)]}).encode())
    assert status == 200 and body.startswith(b'{"jsonrpc":"2.0","result":')
    with pytest.raises(ValueError):
        json.loads(body)

    node.truncate(method="getBalance", times=1)
    with pytest.raises(Exception):
        client.get_balance(who)
    node.replace_field("result.value", "1000", method="getBalance", times=1)  # lamports as a string
    with pytest.raises(Exception):
        client.get_balance(who)
    node.drop_field("result.value", method="getBalance", times=1)
    with pytest.raises(Exception):
        client.get_balance(who)
    mistyped = node.replace_field("result.value.lamports", "1000", method="getAccountInfo", times=1)
    node.rpc_error(-32603, "Internal error", method="getAccountInfo", times=1)
    assert rpc(node.url, "getAccountInfo", [str(who)])["error"]["code"] == -32603  # no lamports to retype...
    assert mistyped.hits == 0  # ...so the mutation waits for an answer that has them
    with pytest.raises(Exception):
        client.get_account_info(who)
    assert mistyped.hits == 1 and client.get_account_info(who).value.lamports == 1000
    node.raw_body(b"<html>502 Bad Gateway</html>", times=1, content_type="text/html")
    with pytest.raises(Exception):
        client.get_slot()
    node.truncate(times=1, honest_length=False)  # Content-Length promises more than arrives
    with pytest.raises(SolanaRpcException):
        client.get_slot()
    assert client.get_balance(who).value == 1000  # every fault above was for one call only


def test_a_reset_connection(node, client):
    node.reset(method="getSlot", times=1)
    with pytest.raises(SolanaRpcException):
        client.get_slot()
    assert client.get_slot().value == node.slot


def test_a_lie_about_an_account_leaves_litesvm_unchanged(node, client):
    victim = funded(node, SOL)
    to = Keypair().pubkey()
    node.lie(victim.pubkey(), Account(1_000 * SOL, b"", Pubkey.default(), False, 0))
    assert client.get_account_info(victim.pubkey()).value.lamports == 1_000 * SOL
    assert client.get_balance(victim.pubkey()).value == 1_000 * SOL
    assert client.get_multiple_accounts([victim.pubkey()]).value[0].lamports == 1_000 * SOL
    tx = VersionedTransaction.from_legacy(transfer_tx(victim, to, SOL // 2, node.latest_blockhash()))
    simulated = client.simulate_transaction(tx, accounts_addresses=[victim.pubkey(), to]).value
    assert simulated.accounts[0].lamports == 1_000 * SOL and simulated.accounts[1].lamports == SOL // 2
    assert node.svm.get_balance(victim.pubkey()) == SOL  # the truth

    node.lie(victim.pubkey(), None)
    assert client.get_account_info(victim.pubkey()).value is None
    node.lie(victim.pubkey(), {"lamports": "lots", "owner": 7})  # verbatim JSON: wrong types
    assert rpc(node.url, "getAccountInfo", [str(victim.pubkey())])["result"]["value"] == {"lamports": "lots",
                                                                                          "owner": 7}
    node.unlie(victim.pubkey())
    assert client.get_account_info(victim.pubkey()).value.lamports == SOL


def test_a_staged_simulation(node, client):
    payer, to = funded(node), Keypair().pubkey()
    tx = VersionedTransaction.from_legacy(transfer_tx(payer, to, SOL, node.latest_blockhash()))
    staged_account = {"lamports": 0, "owner": "11111111111111111111111111111111", "data": ["", "base64"],
                      "executable": False, "rentEpoch": 0, "space": 0}
    node.stage_simulation({"err": None, "logs": ["staged"], "accounts": [staged_account], "unitsConsumed": 1,
                           "returnData": None})
    staged = client.simulate_transaction(tx, accounts_addresses=[payer.pubkey()]).value
    assert staged.logs == ["staged"] and staged.accounts[0].lamports == 0  # "all my SOL is gone"
    real = client.simulate_transaction(tx, accounts_addresses=[payer.pubkey()]).value
    assert real.accounts[0].lamports == 9 * SOL - FEE

    node.stage_simulation({"logs": ["merged"]}, merge=True)
    merged = client.simulate_transaction(tx, accounts_addresses=[payer.pubkey()]).value
    assert merged.logs == ["merged"] and merged.accounts[0].lamports == 9 * SOL - FEE


def test_standalone_prints_its_url_and_serves():
    who = Keypair().pubkey()
    process = subprocess.Popen([sys.executable, rpc_node.__file__, "--port", "0", "--airdrop", f"{who}:123"],
                               stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert rpc(url, "getBalance", [str(who)])["result"]["value"] == 123
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
        process.stdout.close()
