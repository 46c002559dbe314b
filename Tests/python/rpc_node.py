"""A Solana JSON-RPC node for tests, backed by LiteSVM.

Why: the daemon's RPC client has to be tested against something that
really executes what it sends (a transfer it submits must move lamports,
a simulation must report the post-state LiteSVM computes), and that can
misbehave on cue: refuse connections, hang, answer HTTP 500, pass a
JSON-RPC error through, send truncated or wrongly typed JSON, or lie
about an account. A public node can do none of that on demand.

The node is an HTTP/1.1 server on loopback (keep-alive, Content-Length)
that speaks JSON-RPC 2.0 with the field names and result shapes of
Solana's RPC documentation, for the methods the client uses:
getAccountInfo, getMultipleAccounts, getLatestBlockhash,
isBlockhashValid, getBalance, getTokenAccountsByOwner,
getMinimumBalanceForRentExemption, simulateTransaction, sendTransaction,
getSignatureStatuses, getSlot (and getBlockHeight, getHealth, getVersion).

Where a real node has a quirk a client can trip on, the node has it
too: account data defaults to the legacy "binary" (base58 string)
encoding, which is refused above 128 bytes; transactions default to
base58; a request without Content-Type: application/json gets 415.

Run standalone for manual checks: python3 Tests/python/rpc_node.py --port 0
"""
from __future__ import annotations

import argparse
import base64
import collections
import copy
import json
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Sequence

from solders.account import Account
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.rpc.responses import RpcSimulateTransactionResult
from solders.signature import Signature
from solders.transaction import VersionedTransaction

API_VERSION = "2.1.0"

SYSTEM_PROGRAM_ID = Pubkey.from_string("11111111111111111111111111111111")
TOKEN_PROGRAM_ID = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022_PROGRAM_ID = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
ATA_PROGRAM_ID = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
ALT_PROGRAM_ID = Pubkey.from_string("AddressLookupTab1e1111111111111111111111111")
TOKEN_PROGRAMS = (TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID)

U64_MAX = 2**64 - 1
MINT_LEN = 82
TOKEN_ACCOUNT_LEN = 165
LOOKUP_TABLE_META_SIZE = 56
MAX_BASE58_BYTES = 128  # account data a real node still encodes as base58
MAX_MULTIPLE_ACCOUNTS = 100
MAX_SIGNATURE_STATUSES = 256
BLOCKHASH_VALIDITY = 150  # blocks a blockhash stays valid
STATUS_CACHE_SLOTS = 300  # statuses found without searchTransactionHistory
PACKET_DATA_SIZE = 1232
MAX_BASE58_TX = 1683
MAX_BASE64_TX = 1644
COMMITMENTS = ("processed", "confirmed", "finalized")
ACCOUNT_ENCODINGS = ("binary", "base58", "base64", "jsonParsed", "base64+zstd")

# JSON-RPC error codes: the standard ones and Solana's server errors.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
PREFLIGHT_FAILURE = -32002
SIGNATURE_VERIFICATION_FAILURE = -32003
MIN_CONTEXT_SLOT_NOT_REACHED = -32016

_TX_TYPE = "solana_transaction::versioned::VersionedTransaction"


# ---------------------------------------------------------------- base58

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_B58[rest])
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    number = 0
    for c in text:
        if c not in _B58_INDEX:
            raise ValueError(f"provided string contained invalid character {c!r}")
        number = number * 58 + _B58_INDEX[c]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


# ---------------------------------------------------------------- SPL layouts


def _coption_pubkey(key: Pubkey | None) -> bytes:
    return struct.pack("<I", 1) + bytes(key) if key is not None else bytes(36)


def _read_coption_pubkey(data: bytes, offset: int) -> Pubkey | None:
    (tag,) = struct.unpack_from("<I", data, offset)
    return Pubkey.from_bytes(data[offset + 4 : offset + 36]) if tag else None


def mint_data(decimals: int, supply: int = 0, mint_authority: Pubkey | None = None,
              freeze_authority: Pubkey | None = None, initialized: bool = True) -> bytes:
    """The 82-byte SPL Token Mint layout."""
    data = (_coption_pubkey(mint_authority) + struct.pack("<QB?", supply, decimals, initialized)
            + _coption_pubkey(freeze_authority))
    assert len(data) == MINT_LEN
    return data


def token_account_data(mint: Pubkey, owner: Pubkey, amount: int, delegate: Pubkey | None = None,
                       state: int = 1, is_native: int | None = None, delegated_amount: int = 0,
                       close_authority: Pubkey | None = None) -> bytes:
    """The 165-byte SPL Token Account layout (state 1 = initialized, 2 = frozen)."""
    native = struct.pack("<IQ", 1, is_native) if is_native is not None else bytes(12)
    data = (bytes(mint) + bytes(owner) + struct.pack("<Q", amount) + _coption_pubkey(delegate)
            + struct.pack("<B", state) + native + struct.pack("<Q", delegated_amount)
            + _coption_pubkey(close_authority))
    assert len(data) == TOKEN_ACCOUNT_LEN
    return data


def parse_mint(data: bytes) -> dict:
    """A Mint's fields; raises ValueError when the bytes are not a mint."""
    if len(data) < MINT_LEN or (len(data) > MINT_LEN and (len(data) <= TOKEN_ACCOUNT_LEN or data[TOKEN_ACCOUNT_LEN] != 1)):
        raise ValueError("not a mint")
    supply, decimals, initialized = struct.unpack_from("<QB?", data, 36)
    return {"mint_authority": _read_coption_pubkey(data, 0), "supply": supply, "decimals": decimals,
            "initialized": initialized, "freeze_authority": _read_coption_pubkey(data, 46)}


def is_token_account_data(data: bytes) -> bool:
    # Token-2022 accounts with extensions carry an account-type byte (2) at 165.
    return len(data) == TOKEN_ACCOUNT_LEN or (len(data) > TOKEN_ACCOUNT_LEN and data[TOKEN_ACCOUNT_LEN] == 2)


def parse_token_account(data: bytes) -> dict:
    """A token Account's fields; raises ValueError when the bytes are not one."""
    if not is_token_account_data(data):
        raise ValueError("not a token account")
    (amount,) = struct.unpack_from("<Q", data, 64)
    state = data[108]
    native_tag, native = struct.unpack_from("<IQ", data, 109)
    (delegated,) = struct.unpack_from("<Q", data, 121)
    return {"mint": Pubkey.from_bytes(data[0:32]), "owner": Pubkey.from_bytes(data[32:64]), "amount": amount,
            "delegate": _read_coption_pubkey(data, 72), "state": state,
            "is_native": native if native_tag else None, "delegated_amount": delegated,
            "close_authority": _read_coption_pubkey(data, 129)}


def ata_address(owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID) -> Pubkey:
    """The associated token account of owner for mint."""
    address, _ = Pubkey.find_program_address([bytes(owner), bytes(token_program), bytes(mint)], ATA_PROGRAM_ID)
    return address


def lookup_table_data(addresses: Sequence[Pubkey], authority: Pubkey | None = None,
                      deactivation_slot: int = U64_MAX, last_extended_slot: int = 0,
                      last_extended_start_index: int = 0) -> bytes:
    """An Address Lookup Table account: 56 bytes of metadata, then the addresses."""
    meta = struct.pack("<IQQB", 1, deactivation_slot, last_extended_slot, last_extended_start_index)
    meta += (b"\x01" + bytes(authority)) if authority is not None else bytes(33)
    meta += bytes(2)
    assert len(meta) == LOOKUP_TABLE_META_SIZE
    return meta + b"".join(bytes(a) for a in addresses)


def parse_lookup_table(data: bytes) -> dict:
    kind, deactivation, last_slot, start = struct.unpack_from("<IQQB", data, 0)
    if kind != 1 or len(data) < LOOKUP_TABLE_META_SIZE or (len(data) - LOOKUP_TABLE_META_SIZE) % 32:
        raise ValueError("not a lookup table")
    authority = Pubkey.from_bytes(data[22:54]) if data[21] else None
    addresses = [Pubkey.from_bytes(data[i : i + 32]) for i in range(LOOKUP_TABLE_META_SIZE, len(data), 32)]
    return {"deactivation_slot": deactivation, "last_extended_slot": last_slot,
            "last_extended_start_index": start, "authority": authority, "addresses": addresses}


# ---------------------------------------------------------------- errors


class RpcError(Exception):
    """A JSON-RPC error object to answer with."""

    def __init__(self, code: int, message: str, data: Any = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict:
        error: dict = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


def invalid_params(message: str) -> RpcError:
    return RpcError(INVALID_PARAMS, message)


def transaction_error_json(err: Any) -> Any:
    """A solders TransactionError in the JSON form an RPC node gives it."""
    return json.loads(RpcSimulateTransactionResult(err=err).to_json())["err"]


_TX_ERROR_TEXT = {
    "AccountInUse": "Account in use",
    "AccountLoadedTwice": "Account loaded twice",
    "AccountNotFound": "Attempt to debit an account but found no record of a prior credit.",
    "ProgramAccountNotFound": "Attempt to load a program that does not exist",
    "InsufficientFundsForFee": "Insufficient funds for fee",
    "InvalidAccountForFee": "This account may not be used to pay transaction fees",
    "AlreadyProcessed": "This transaction has already been processed",
    "BlockhashNotFound": "Blockhash not found",
    "CallChainTooDeep": "Loader call chain is too deep",
    "MissingSignatureForFee": "Transaction requires a fee but has no signature present",
    "InvalidAccountIndex": "Transaction contains an invalid account reference",
    "SignatureFailure": "Transaction did not pass signature verification",
    "InvalidProgramForExecution": "This program may not be used for executing instructions",
    "SanitizeFailure": "Transaction failed to sanitize accounts offsets correctly",
    "AddressLookupTableNotFound": "Transaction loads an address table account that doesn't exist",
    "InvalidAddressLookupTableOwner": "Transaction loads an address table account with an invalid owner",
    "InvalidAddressLookupTableData": "Transaction loads an address table account with invalid data",
    "InvalidAddressLookupTableIndex": "Transaction address table lookup uses an invalid index",
    "WouldExceedMaxBlockCostLimit": "Transaction would exceed max Block Cost Limit",
}

_INSTRUCTION_ERROR_TEXT = {
    "GenericError": "generic instruction error",
    "InvalidArgument": "invalid program argument",
    "InvalidInstructionData": "invalid instruction data",
    "InvalidAccountData": "invalid account data for instruction",
    "AccountDataTooSmall": "account data too small for instruction",
    "InsufficientFunds": "insufficient funds for instruction",
    "IncorrectProgramId": "incorrect program id for instruction",
    "MissingRequiredSignature": "missing required signature for instruction",
    "AccountAlreadyInitialized": "instruction requires an uninitialized account",
    "UninitializedAccount": "instruction requires an initialized account",
    "AccountNotRentExempt": "An account does not have enough lamports to be rent-exempt",
    "InvalidSeeds": "Provided seeds do not result in a valid address",
    "IllegalOwner": "Provided owner is not allowed",
    "ComputationalBudgetExceeded": "Computational budget exceeded",
    "ExternalAccountLamportSpend": "instruction spent from the balance of an account it does not own",
    "ReadonlyLamportChange": "instruction changed the balance of a read-only account",
    "PrivilegeEscalation": "Cross-program invocation with unauthorized signer or writable account",
}


def describe_transaction_error(err: Any) -> str:
    """The text a node puts after "Transaction simulation failed: "."""
    if isinstance(err, str):
        return _TX_ERROR_TEXT.get(err, err)
    if isinstance(err, dict) and "InstructionError" in err:
        index, inner = err["InstructionError"]
        if isinstance(inner, dict) and "Custom" in inner:
            text = f"custom program error: {inner['Custom']:#x}"
        elif isinstance(inner, str):
            text = _INSTRUCTION_ERROR_TEXT.get(inner, inner)
        else:
            text = json.dumps(inner)
        return f"Error processing Instruction {index}: {text}"
    if isinstance(err, dict) and "InsufficientFundsForRent" in err:
        return (f"Transaction results in an account ({err['InsufficientFundsForRent']['account_index']}) "
                "with insufficient funds for rent")
    return json.dumps(err)


# ---------------------------------------------------------------- faults

TRANSPORT_FAULTS = ("http_error", "hang", "reset", "delay", "truncate", "raw_body")
CALL_FAULTS = ("rpc_error", "mutate")


@dataclass
class Fault:
    """One armed fault: what to do, for which method (None: every method),
    and how many more times (None: until cleared). hits counts firings."""

    kind: str
    method: str | None = None
    times: int | None = None
    execute: bool = False  # also run the call against LiteSVM
    status: int = 500
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    code: int = 0
    message: str = ""
    data: Any = None
    seconds: float | None = None
    keep: float = 0.5
    honest_length: bool = True
    fn: Callable[[dict], dict] | None = None
    hits: int = 0
    released: threading.Event = field(default_factory=threading.Event)

    def matches(self, methods: Sequence[str]) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        return self.method is None or self.method in methods


def set_path(obj: Any, path: str, value: Any) -> Any:
    """Set a dotted path ("result.value.lamports", "result.value.0.lamports") in place."""
    *parents, last = path.split(".")
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    if isinstance(obj, list):
        obj[int(last)] = value
    else:
        obj[last] = value
    return obj


def drop_path(obj: Any, path: str) -> Any:
    """Delete the key at a dotted path in place."""
    *parents, last = path.split(".")
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    if isinstance(obj, list):
        del obj[int(last)]
    else:
        obj.pop(last, None)
    return obj


# ---------------------------------------------------------------- HTTP


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], node: "RpcNode"):
        self.node = node
        self.open_sockets: set[socket.socket] = set()
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a node bug: print it

    def process_request(self, request, client_address) -> None:
        with self.node._lock:
            self.node.connections += 1
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self.node._lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def close_open_sockets(self) -> None:
        with self.node._lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rpc_node/1"
    # Headers and body go out in separate writes; with Nagle's algorithm on,
    # the body waits for the client's delayed ACK (40 ms on Linux) on every
    # kept-alive answer. Real nodes set TCP_NODELAY too.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/health":
            self.send_body(200, b"ok", "text/plain")
        else:
            self.send_body(405, b"Used HTTP Method is not allowed. POST or OPTIONS is required", "text/plain")

    def do_POST(self) -> None:
        body = self.read_body()
        if body is None:
            return
        self.server.node._serve(self, body)

    def read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = self.headers.get("Content-Length")
        if length is None:
            self.send_body(411, b"Length Required", "text/plain")
            self.close_connection = True
            return None
        return self.rfile.read(int(length))

    def send_body(self, status: int, body: bytes, content_type: str = "application/json",
                  headers: dict | None = None, declared_length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def abort(self) -> None:
        """Close the connection with a reset and no answer."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True


# ---------------------------------------------------------------- the node


@dataclass
class _Landed:
    slot: int
    err: Any
    confirmation_status: str
    confirmations: int | None = None


class RpcNode:
    """A JSON-RPC node over one LiteSVM, with fault injection.

    node = RpcNode().start(); node.url; ...; node.stop()  (or use `with`).
    All state (LiteSVM, records, faults) is guarded by one lock, so the
    fault API and the state helpers may be used while the server runs.
    """

    def __init__(self, port: int = 0, svm: LiteSVM | None = None):
        self.svm = svm if svm is not None else LiteSVM()
        self.port = port
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # Records for tests.
        self.connections = 0  # TCP connections accepted
        self.calls: collections.Counter[str] = collections.Counter()  # JSON-RPC calls per method
        self.requests: list[dict] = []  # every call: {"method", "params", "id"}
        self.commitments: list[tuple[str, str | None]] = []  # (method, commitment it asked for)
        self.last_headers: dict[str, str] = {}
        # Chain bookkeeping the RPC layer adds to LiteSVM.
        self._blockhashes: dict[str, int] = {}  # handed-out hash -> lastValidBlockHeight
        self._expired: set[str] = set()
        self._landed: dict[str, _Landed] = {}
        self.landed_status = "finalized"  # confirmation status newly landed transactions get
        # Fault injection.
        self._faults: list[Fault] = []
        self._lies: dict[Pubkey, Account | dict | None] = {}
        self._staged: list[tuple[dict, bool]] = []
        self._epoch = 0  # bumped by stop(): answers held back before it are dropped
        self._note_blockhash()

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "RpcNode":
        """Listen on 127.0.0.1:port (port 0 picks one, kept across go_down/come_up)."""
        assert self._server is None, "already listening"
        self._server = _Server(("127.0.0.1", self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"rpc_node:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop every open connection (hung answers are dropped;
        armed faults stay armed for come_up)."""
        with self._lock:
            self._epoch += 1
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
            server.close_open_sockets()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def go_down(self) -> None:
        """Connection refused from now on, on the same port, until come_up()."""
        self.stop()

    def come_up(self) -> None:
        """Listen again on the same port after go_down()."""
        self.start()

    @property
    def listening(self) -> bool:
        return self._server is not None

    def __enter__(self) -> "RpcNode":
        return self if self.listening else self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @staticmethod
    def unused_url() -> str:
        """A loopback URL where nothing listens (connection refused)."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    # ------------------------------------------------------------ records

    def reset_records(self) -> None:
        """Forget calls, requests, commitments and the connection count."""
        with self._lock:
            self.calls.clear()
            self.requests.clear()
            self.commitments.clear()
            self.connections = 0

    def params_of(self, method: str) -> list | None:
        """The params of the last call of method, or None if it was never called."""
        with self._lock:
            for request in reversed(self.requests):
                if request["method"] == method:
                    return request["params"]
        return None

    def commitment_of(self, method: str) -> str | None:
        """The commitment the last call of method asked for (sendTransaction: its
        preflightCommitment); None when it named none. KeyError if never called."""
        with self._lock:
            for name, commitment in reversed(self.commitments):
                if name == method:
                    return commitment
        raise KeyError(f"{method} was never called")

    # ------------------------------------------------------------ fault API

    def _arm(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def http_error(self, status: int = 500, body: bytes | str = b"Internal Server Error",
                   method: str | None = None, times: int | None = None, content_type: str = "text/plain",
                   headers: dict | None = None, execute: bool = False) -> Fault:
        """Answer with this HTTP status and body instead of a JSON-RPC response."""
        body = body.encode() if isinstance(body, str) else body
        return self._arm(Fault("http_error", method, times, execute, status=status, body=body,
                               content_type=content_type, headers=dict(headers or {})))

    def rpc_error(self, code: int, message: str, data: Any = None, method: str | None = None,
                  times: int | None = None) -> Fault:
        """Answer the call with this JSON-RPC error; the call is not executed."""
        return self._arm(Fault("rpc_error", method, times, code=code, message=message, data=data))

    def delay(self, seconds: float, method: str | None = None, times: int | None = None,
              execute: bool = True) -> Fault:
        """Answer after seconds (the call is executed first, as a slow node would)."""
        return self._arm(Fault("delay", method, times, execute, seconds=seconds))

    def hang(self, method: str | None = None, times: int | None = None, seconds: float | None = None,
             execute: bool = False) -> Fault:
        """Read the request and never answer (until clear_faults, stop, or seconds),
        then close. execute=True: the call lands but its answer is lost."""
        return self._arm(Fault("hang", method, times, execute, seconds=seconds))

    def reset(self, method: str | None = None, times: int | None = None, execute: bool = False) -> Fault:
        """Read the request and close the connection (RST) without an answer."""
        return self._arm(Fault("reset", method, times, execute))

    def truncate(self, method: str | None = None, times: int | None = None, keep: float = 0.5,
                 honest_length: bool = True, execute: bool = True) -> Fault:
        """Send only the first keep fraction of the JSON body. honest_length: the
        Content-Length matches what is sent (valid HTTP, broken JSON); otherwise it
        promises the full body and the connection closes early."""
        return self._arm(Fault("truncate", method, times, execute, keep=keep, honest_length=honest_length))

    def raw_body(self, body: bytes | str, method: str | None = None, times: int | None = None,
                 status: int = 200, content_type: str = "application/json", execute: bool = False) -> Fault:
        """Answer with exactly these bytes (garbage, wrong envelope, HTML...)."""
        body = body.encode() if isinstance(body, str) else body
        return self._arm(Fault("raw_body", method, times, execute, status=status, body=body,
                               content_type=content_type))

    def mutate(self, fn: Callable[[dict], dict | None], method: str | None = None,
               times: int | None = None) -> Fault:
        """Pass each response envelope of method through fn (return a new one, or
        None after editing in place) before it is sent. fn gets a copy; if it
        raises KeyError, IndexError, TypeError or ValueError the response goes
        out unchanged and the fault stays armed."""
        return self._arm(Fault("mutate", method, times, fn=fn))

    def replace_field(self, path: str, value: Any, method: str | None = None, times: int | None = None) -> Fault:
        """Wrong types in a result: set the dotted path, e.g. "result.value.lamports" to "5"."""
        def fn(envelope: dict) -> dict:
            set_path(envelope, path, value)
            return envelope
        return self.mutate(fn, method, times)

    def drop_field(self, path: str, method: str | None = None, times: int | None = None) -> Fault:
        """A missing field: delete the dotted path, e.g. "result.value"."""
        def fn(envelope: dict) -> dict:
            drop_path(envelope, path)
            return envelope
        return self.mutate(fn, method, times)

    def clear_faults(self) -> None:
        """Disarm every fault and release hung answers; lies and staged simulations stay."""
        with self._lock:
            for fault in self._faults:
                fault.released.set()
            self._faults.clear()

    def lie(self, pubkey: Pubkey, account: Account | dict | None) -> None:
        """getAccountInfo, getMultipleAccounts, getBalance, getTokenAccountsByOwner and
        simulateTransaction's accounts report this for pubkey (None: missing; a dict:
        the JSON account object verbatim), while LiteSVM keeps the truth."""
        with self._lock:
            self._lies[pubkey] = account

    def unlie(self, pubkey: Pubkey | None = None) -> None:
        """Stop lying about pubkey (None: about every account)."""
        with self._lock:
            if pubkey is None:
                self._lies.clear()
            else:
                self._lies.pop(pubkey, None)

    def stage_simulation(self, value: dict, times: int = 1, merge: bool = False) -> None:
        """The next simulateTransaction calls (times) answer with this value
        (inside the usual context). merge=True: run the real simulation and
        overlay value's keys on its result."""
        with self._lock:
            self._staged.extend([(value, merge)] * times)

    # ------------------------------------------------------------ chain state

    @property
    def slot(self) -> int:
        with self._lock:
            return self.svm.get_clock().slot

    @property
    def block_height(self) -> int:
        # LiteSVM has no blocks: the node counts one block per slot.
        return self.slot

    def advance_slot(self, slots: int = 1) -> int:
        """Warp LiteSVM forward; a blockhash that outlives its lastValidBlockHeight
        expires in LiteSVM too."""
        with self._lock:
            self.svm.warp_to_slot(self.slot + slots)
            current = str(self.svm.latest_blockhash())
            if self._blockhashes.get(current, U64_MAX) < self.block_height:
                self.expire_blockhashes()
            return self.slot

    def _note_blockhash(self) -> tuple[str, int]:
        with self._lock:
            current = str(self.svm.latest_blockhash())
            if current not in self._blockhashes:
                self._blockhashes[current] = self.block_height + BLOCKHASH_VALIDITY
            return current, self._blockhashes[current]

    def latest_blockhash(self) -> Hash:
        with self._lock:
            return Hash.from_string(self._note_blockhash()[0])

    def expire_blockhashes(self) -> Hash:
        """Every blockhash handed out so far becomes invalid (isBlockhashValid false,
        transactions using it fail with BlockhashNotFound); returns the new one."""
        with self._lock:
            self._expired.update(self._blockhashes)
            self.svm.expire_blockhash()
            return Hash.from_string(self._note_blockhash()[0])

    def blockhash_valid(self, blockhash: str) -> bool:
        with self._lock:
            if blockhash == str(self.svm.latest_blockhash()):
                self._note_blockhash()
            last_valid = self._blockhashes.get(blockhash)
            return last_valid is not None and blockhash not in self._expired and self.block_height <= last_valid

    def account(self, pubkey: Pubkey) -> Account | None:
        """What LiteSVM holds (no lies)."""
        with self._lock:
            account = self.svm.get_account(pubkey)
            return account if account is not None and account.lamports > 0 else None

    def balance(self, pubkey: Pubkey) -> int:
        account = self.account(pubkey)
        return account.lamports if account is not None else 0

    def set_account(self, pubkey: Pubkey, account: Account) -> None:
        with self._lock:
            self.svm.set_account(pubkey, account)

    def airdrop(self, pubkey: Pubkey, lamports: int) -> int:
        """Credit lamports (creating a system account if needed); returns the balance.
        Written with set_account: LiteSVM's own airdrop refuses a repeated amount
        as AlreadyProcessed, and an airdrop should not use up a slot."""
        with self._lock:
            account = self.svm.get_account(pubkey)
            if account is None:
                account = Account(lamports, b"", SYSTEM_PROGRAM_ID, False, 0)
            else:
                account = Account(account.lamports + lamports, account.data, account.owner,
                                  account.executable, account.rent_epoch)
            self.svm.set_account(pubkey, account)
            return account.lamports

    def rent_exempt(self, data_len: int) -> int:
        with self._lock:
            return self.svm.minimum_balance_for_rent_exemption(data_len)

    def create_mint(self, decimals: int = 6, mint_authority: Pubkey | None = None, supply: int = 0,
                    freeze_authority: Pubkey | None = None, address: Pubkey | None = None,
                    program_id: Pubkey = TOKEN_PROGRAM_ID) -> Pubkey:
        """An initialized SPL Token (or Token-2022) mint of 82 bytes."""
        address = address or Keypair().pubkey()
        data = mint_data(decimals, supply, mint_authority, freeze_authority)
        self.set_account(address, Account(self.rent_exempt(len(data)), data, program_id, False, 0))
        return address

    def create_token_account(self, owner: Pubkey, mint: Pubkey, amount: int = 0, address: Pubkey | None = None,
                             delegate: Pubkey | None = None, delegated_amount: int = 0, frozen: bool = False,
                             close_authority: Pubkey | None = None) -> Pubkey:
        """A 165-byte token account of the mint's program holding amount; the
        mint's supply grows by amount."""
        with self._lock:
            mint_account = self.svm.get_account(mint)
            if mint_account is None or mint_account.owner not in TOKEN_PROGRAMS:
                raise ValueError(f"{mint} is not a mint of a token program")
            fields = parse_mint(bytes(mint_account.data))
            address = address or Keypair().pubkey()
            data = token_account_data(mint, owner, amount, delegate, 2 if frozen else 1, None, delegated_amount,
                                      close_authority)
            self.set_account(address, Account(self.rent_exempt(len(data)), data, mint_account.owner, False, 0))
            new_mint = bytearray(mint_account.data)
            struct.pack_into("<Q", new_mint, 36, fields["supply"] + amount)
            self.set_account(mint, Account(mint_account.lamports, bytes(new_mint), mint_account.owner,
                                           False, mint_account.rent_epoch))
            return address

    def create_ata(self, owner: Pubkey, mint: Pubkey, amount: int = 0) -> Pubkey:
        """The associated token account of owner for mint, holding amount
        (165 bytes also under Token-2022, without the ImmutableOwner extension)."""
        with self._lock:
            mint_account = self.svm.get_account(mint)
            if mint_account is None:
                raise ValueError(f"mint {mint} does not exist")
            return self.create_token_account(owner, mint, amount, address=ata_address(owner, mint, mint_account.owner))

    def token_amount(self, address: Pubkey) -> int:
        account = self.account(address)
        if account is None:
            raise ValueError(f"{address} does not exist")
        return parse_token_account(bytes(account.data))["amount"]

    def create_lookup_table(self, addresses: Sequence[Pubkey], authority: Pubkey | None = None,
                            address: Pubkey | None = None, usable_now: bool = True) -> Pubkey:
        """An active Address Lookup Table holding addresses, extended in the current
        slot; usable_now advances one slot, since addresses extended in a slot
        are not usable before the next one (LiteSVM says InvalidAddressLookupTableIndex)."""
        with self._lock:
            address = address or Keypair().pubkey()
            data = lookup_table_data(addresses, authority, U64_MAX, self.slot, 0)
            self.set_account(address, Account(self.rent_exempt(len(data)), data, ALT_PROGRAM_ID, False, 0))
            if usable_now:
                self.advance_slot()
            return address

    def lookup_table_addresses(self, table: Pubkey) -> list[Pubkey]:
        account = self.account(table)
        if account is None:
            raise ValueError(f"lookup table {table} does not exist")
        return parse_lookup_table(bytes(account.data))["addresses"]

    def extend_lookup_table(self, table: Pubkey, addresses: Sequence[Pubkey], usable_now: bool = True) -> None:
        """Append addresses, as the program's ExtendLookupTable would."""
        with self._lock:
            account = self.svm.get_account(table)
            if account is None:
                raise ValueError(f"lookup table {table} does not exist")
            table_fields = parse_lookup_table(bytes(account.data))
            old = table_fields["addresses"]
            start = (table_fields["last_extended_start_index"]
                     if table_fields["last_extended_slot"] == self.slot else len(old))
            data = lookup_table_data([*old, *addresses], table_fields["authority"],
                                     table_fields["deactivation_slot"], self.slot, start)
            self.set_account(table, Account(max(account.lamports, self.rent_exempt(len(data))), data,
                                            ALT_PROGRAM_ID, False, account.rent_epoch))
            if usable_now:
                self.advance_slot()

    def deactivate_lookup_table(self, table: Pubkey, slot: int | None = None) -> None:
        """Set deactivation_slot. The default is a past slot absent from SlotHashes,
        so the table is fully deactivated (a slot still in SlotHashes would leave
        it usable while it cools down)."""
        with self._lock:
            account = self.svm.get_account(table)
            if account is None:
                raise ValueError(f"lookup table {table} does not exist")
            if slot is None:
                recent = {s for s, _ in self.svm.get_slot_hashes()}
                slot = self.slot - 1
                while slot in recent:
                    slot -= 1
            data = bytearray(account.data)
            struct.pack_into("<Q", data, 4, slot)
            self.set_account(table, Account(account.lamports, bytes(data), account.owner, False, account.rent_epoch))

    def build_v0_transaction(self, payer: Keypair, instructions: Sequence[Instruction], tables: Sequence[Pubkey],
                             signers: Sequence[Keypair] = (), blockhash: Hash | None = None) -> VersionedTransaction:
        """A signed v0 transaction compiled against the given lookup tables (as
        LiteSVM holds them now)."""
        lookups = [AddressLookupTableAccount(t, self.lookup_table_addresses(t)) for t in tables]
        message = MessageV0.try_compile(payer.pubkey(), list(instructions), lookups,
                                        blockhash or self.latest_blockhash())
        return VersionedTransaction(message, [payer, *signers])

    def set_status(self, signature: Signature | str, confirmation_status: str,
                   confirmations: int | None = None) -> None:
        """Change what getSignatureStatuses says of a landed transaction."""
        assert confirmation_status in COMMITMENTS
        with self._lock:
            landed = self._landed[str(signature)]
            landed.confirmation_status = confirmation_status
            landed.confirmations = confirmations

    def landed(self, signature: Signature | str) -> bool:
        with self._lock:
            return str(signature) in self._landed

    # ------------------------------------------------------------ HTTP serving

    def _take_fault(self, kinds: Sequence[str], methods: Sequence[str]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.matches(methods):
                    if fault.times is not None:
                        fault.times -= 1
                    fault.hits += 1
                    return fault
        return None

    def _serve(self, handler: _Handler, body: bytes) -> None:
        with self._lock:
            self.last_headers = {k: v for k, v in handler.headers.items()}
        content_type = handler.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            handler.send_body(415, b"Supplied content type is not allowed. Content-Type: application/json is required",
                              "text/plain")
            return
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            payload = _PARSE_ERROR
        calls = payload if isinstance(payload, list) else [payload]
        methods = [c["method"] for c in calls if isinstance(c, dict) and isinstance(c.get("method"), str)]
        with self._lock:
            for call in calls:
                if isinstance(call, dict) and isinstance(call.get("method"), str):
                    self.calls[call["method"]] += 1
                    self.requests.append({"method": call["method"], "params": call.get("params"), "id": call.get("id")})
        fault = self._take_fault(TRANSPORT_FAULTS, methods)
        answer = b""
        if fault is None or fault.execute:
            answer = self._answer(payload)
        if fault is None:
            handler.send_body(200, answer)
        elif fault.kind == "http_error":
            handler.send_body(fault.status, fault.body, fault.content_type, fault.headers)
        elif fault.kind == "raw_body":
            handler.send_body(fault.status, fault.body, fault.content_type)
        elif fault.kind == "reset":
            handler.abort()
        elif fault.kind == "hang":
            self._wait(fault, fault.seconds)
            handler.abort()
        elif fault.kind == "delay":
            if self._wait(fault, fault.seconds):
                handler.abort()
            else:
                handler.send_body(200, answer)
        elif fault.kind == "truncate":
            cut = answer[: int(len(answer) * fault.keep)]
            handler.send_body(200, cut, declared_length=None if fault.honest_length else len(answer))
            if not fault.honest_length:
                handler.close_connection = True

    def _wait(self, fault: Fault, seconds: float | None) -> bool:
        """Sleep until seconds pass (False), or the fault is cleared or the node
        stops (True)."""
        epoch = self._epoch
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            step = 0.02 if deadline is None else max(0.0, min(0.02, deadline - time.monotonic()))
            if fault.released.wait(step) or self._epoch != epoch:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def _answer(self, payload: Any) -> bytes:
        """The response body for a parsed request (one call or a batch)."""
        if payload is _PARSE_ERROR:
            return _dump(_envelope_error(None, RpcError(PARSE_ERROR, "Parse error")))
        if isinstance(payload, list):
            if not payload:
                return _dump(_envelope_error(None, RpcError(INVALID_REQUEST, "Invalid request")))
            responses = [r for r in (self._answer_call(c) for c in payload) if r is not None]
            return _dump(responses) if responses else b""
        response = self._answer_call(payload)
        return _dump(response) if response is not None else b""

    def _answer_call(self, call: Any) -> dict | None:
        if not isinstance(call, dict) or call.get("jsonrpc") != "2.0" or not isinstance(call.get("method"), str):
            request_id = call.get("id") if isinstance(call, dict) else None
            return _envelope_error(request_id, RpcError(INVALID_REQUEST, "Invalid request"))
        method = call["method"]
        if "id" not in call:
            self._dispatch_quietly(method, call.get("params"))
            return None  # a notification gets no answer
        request_id = call["id"]
        fault = self._take_fault(("rpc_error",), [method])
        if fault is not None:
            response = _envelope_error(request_id, RpcError(fault.code, fault.message, fault.data))
        else:
            try:
                response = {"jsonrpc": "2.0", "result": self._dispatch(method, call.get("params")), "id": request_id}
            except RpcError as error:
                response = _envelope_error(request_id, error)
            except Exception as error:  # a node bug: say so rather than hang the client
                response = _envelope_error(request_id, RpcError(INTERNAL_ERROR, f"Internal error: {error!r}"))
        return self._mutate(method, response)

    def _mutate(self, method: str, response: dict) -> dict:
        """Apply the first armed mutation that fits this response; one whose path
        is not in it (an error envelope, say) is left armed for a later answer."""
        with self._lock:
            for fault in self._faults:
                if fault.kind != "mutate" or fault.fn is None or not fault.matches([method]):
                    continue
                try:
                    changed = fault.fn(copy.deepcopy(response))
                except (KeyError, IndexError, TypeError, ValueError):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                fault.hits += 1
                return changed if isinstance(changed, dict) else response
        return response

    def _dispatch_quietly(self, method: str, params: Any) -> None:
        try:
            self._dispatch(method, params)
        except Exception:
            pass

    def _dispatch(self, method: str, params: Any) -> Any:
        handler = self._METHODS.get(method)
        if handler is None:
            raise RpcError(METHOD_NOT_FOUND, "Method not found")
        if params is None:
            params = []
        if not isinstance(params, list):
            raise invalid_params("Invalid params: invalid type: map, expected a sequence")
        with self._lock:
            return handler(self, params)

    # ------------------------------------------------------------ params

    @staticmethod
    def _arity(params: list, required: int, total: int) -> None:
        if len(params) < required:
            raise invalid_params(f"Invalid params: invalid length {len(params)}, expected {required} or more")
        if len(params) > total:
            raise invalid_params(f"Invalid params: invalid length {len(params)}, expected at most {total}")

    @staticmethod
    def _pubkey(value: Any) -> Pubkey:
        if not isinstance(value, str):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(value)}, expected a string")
        try:
            return Pubkey.from_string(value)
        except ValueError:
            raise invalid_params("Invalid param: Invalid") from None

    def _config(self, method: str, params: list, index: int, commitment_key: str = "commitment") -> dict:
        config = params[index] if len(params) > index else None
        if config is None:
            config = {}
        if not isinstance(config, dict):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(config)}, expected a map")
        commitment = config.get(commitment_key)
        if commitment is not None and commitment not in COMMITMENTS:
            raise invalid_params(f"Invalid params: unknown variant `{commitment}`, expected one of "
                                 "`processed`, `confirmed`, `finalized`")
        self.commitments.append((method, commitment))
        min_slot = config.get("minContextSlot")
        if min_slot is not None:
            if not isinstance(min_slot, int) or isinstance(min_slot, bool) or min_slot < 0:
                raise invalid_params("Invalid params: invalid type for minContextSlot, expected u64")
            if min_slot > self.slot:
                raise RpcError(MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached",
                               {"contextSlot": self.slot})
        return config

    @staticmethod
    def _encoding(config: dict) -> tuple[str, dict | None]:
        encoding = config.get("encoding", "binary")
        if encoding not in ACCOUNT_ENCODINGS:
            raise invalid_params(f"Invalid params: unknown variant `{encoding}`, expected one of "
                                 "`binary`, `base58`, `base64`, `jsonParsed`, `base64+zstd`")
        if encoding == "base64+zstd":
            raise invalid_params("base64+zstd encoding is not supported by this test node")
        data_slice = config.get("dataSlice")
        if data_slice is not None:
            if (not isinstance(data_slice, dict) or not isinstance(data_slice.get("offset"), int)
                    or not isinstance(data_slice.get("length"), int)
                    or data_slice["offset"] < 0 or data_slice["length"] < 0):
                raise invalid_params("Invalid params: dataSlice needs offset and length, both u64")
            if encoding == "jsonParsed":
                raise RpcError(INVALID_REQUEST, "Sliced account data can only be encoded using binary (base 58) "
                                                "or base64 encoding.")
        return encoding, data_slice

    def _context(self, value: Any) -> dict:
        return {"context": {"slot": self.slot, "apiVersion": API_VERSION}, "value": value}

    # ------------------------------------------------------------ accounts

    def _visible(self, pubkey: Pubkey, post: dict[Pubkey, Account] | None = None) -> Account | dict | None:
        """What the node says pubkey holds: a lie, a post-simulation state, or LiteSVM's."""
        if pubkey in self._lies:
            return self._lies[pubkey]
        if post is not None and pubkey in post:
            return post[pubkey]  # as a real node: even at 0 lamports (closed by the transaction)
        account = self.svm.get_account(pubkey)
        if account is None or account.lamports == 0:
            return None
        return account

    def _encode_account(self, pubkey: Pubkey, account: Account | dict | None, encoding: str,
                        data_slice: dict | None) -> dict | None:
        if account is None or isinstance(account, dict):
            return account
        data = bytes(account.data)
        encoded: Any = None
        if encoding == "jsonParsed":
            encoded = self._parse_account_data(account)
            if encoded is None:
                encoding = "base64"
        if encoded is None:
            if data_slice is not None:
                data = data[data_slice["offset"] : data_slice["offset"] + data_slice["length"]]
            if encoding in ("binary", "base58") and len(data) > MAX_BASE58_BYTES:
                raise RpcError(INVALID_REQUEST, f"Encoded binary (base 58) data should be less than "
                                                f"{MAX_BASE58_BYTES} bytes, please use Base64 encoding.")
            if encoding == "binary":
                encoded = b58encode(data)
            elif encoding == "base58":
                encoded = [b58encode(data), "base58"]
            else:
                encoded = [base64.b64encode(data).decode(), "base64"]
        return {"lamports": account.lamports, "owner": str(account.owner), "data": encoded,
                "executable": account.executable, "rentEpoch": account.rent_epoch, "space": len(account.data)}

    def _parse_account_data(self, account: Account) -> dict | None:
        """jsonParsed data for SPL Token mints and accounts; None for anything else."""
        if account.owner not in TOKEN_PROGRAMS:
            return None
        program = "spl-token" if account.owner == TOKEN_PROGRAM_ID else "spl-token-2022"
        data = bytes(account.data)
        try:
            if is_token_account_data(data):
                fields = parse_token_account(data)
                mint = self._visible(fields["mint"])
                if not isinstance(mint, Account):
                    return None
                decimals = parse_mint(bytes(mint.data))["decimals"]
                info: dict = {"isNative": fields["is_native"] is not None, "mint": str(fields["mint"]),
                              "owner": str(fields["owner"]),
                              "state": {0: "uninitialized", 1: "initialized", 2: "frozen"}.get(fields["state"], "uninitialized"),
                              "tokenAmount": _ui_amount(fields["amount"], decimals)}
                if fields["delegate"] is not None:
                    info["delegate"] = str(fields["delegate"])
                    info["delegatedAmount"] = _ui_amount(fields["delegated_amount"], decimals)
                if fields["is_native"] is not None:
                    info["rentExemptReserve"] = _ui_amount(fields["is_native"], decimals)
                if fields["close_authority"] is not None:
                    info["closeAuthority"] = str(fields["close_authority"])
                parsed = {"type": "account", "info": info}
            else:
                fields = parse_mint(data)
                parsed = {"type": "mint", "info": {
                    "mintAuthority": str(fields["mint_authority"]) if fields["mint_authority"] else None,
                    "supply": str(fields["supply"]), "decimals": fields["decimals"],
                    "isInitialized": fields["initialized"],
                    "freezeAuthority": str(fields["freeze_authority"]) if fields["freeze_authority"] else None}}
        except (ValueError, struct.error):
            return None
        return {"program": program, "parsed": parsed, "space": len(data)}

    def _get_account_info(self, params: list) -> dict:
        self._arity(params, 1, 2)
        pubkey = self._pubkey(params[0])
        config = self._config("getAccountInfo", params, 1)
        encoding, data_slice = self._encoding(config)
        return self._context(self._encode_account(pubkey, self._visible(pubkey), encoding, data_slice))

    def _get_multiple_accounts(self, params: list) -> dict:
        self._arity(params, 1, 2)
        if not isinstance(params[0], list):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(params[0])}, expected a sequence")
        if len(params[0]) > MAX_MULTIPLE_ACCOUNTS:
            raise invalid_params(f"Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}")
        pubkeys = [self._pubkey(p) for p in params[0]]
        config = self._config("getMultipleAccounts", params, 1)
        encoding, data_slice = self._encoding(config)
        return self._context([self._encode_account(p, self._visible(p), encoding, data_slice) for p in pubkeys])

    def _get_balance(self, params: list) -> dict:
        self._arity(params, 1, 2)
        pubkey = self._pubkey(params[0])
        self._config("getBalance", params, 1)
        account = self._visible(pubkey)
        if isinstance(account, dict):
            lamports = account.get("lamports", 0)
        else:
            lamports = account.lamports if account is not None else 0
        return self._context(lamports)

    def _get_token_accounts_by_owner(self, params: list) -> dict:
        self._arity(params, 2, 3)
        owner = self._pubkey(params[0])
        selector = params[1]
        if not isinstance(selector, dict) or len(selector) != 1 or not ({"mint", "programId"} & selector.keys()):
            raise invalid_params("Invalid params: expected {\"mint\": <pubkey>} or {\"programId\": <pubkey>}")
        config = self._config("getTokenAccountsByOwner", params, 2)
        encoding, data_slice = self._encoding(config)
        mint: Pubkey | None = None
        if "mint" in selector:
            mint = self._pubkey(selector["mint"])
            mint_account = self.svm.get_account(mint)
            if mint_account is None or mint_account.owner not in TOKEN_PROGRAMS:
                raise invalid_params("Invalid param: could not find mint")
            program = mint_account.owner
        else:
            program = self._pubkey(selector["programId"])
            if program not in TOKEN_PROGRAMS:
                raise invalid_params("Invalid param: unrecognized Token program id")
        # Filter on the truth (or on a lie that is an Account), answer with what the node says.
        candidates = {pubkey: account for pubkey, account in self.svm.get_program_accounts(program)}
        for pubkey, lie in self._lies.items():
            if isinstance(lie, Account) and lie.owner == program:
                candidates[pubkey] = lie
        value = []
        for pubkey in sorted(candidates, key=str):
            account = candidates[pubkey]
            data = bytes(account.data)
            if account.lamports == 0 or not is_token_account_data(data):
                continue
            fields = parse_token_account(data)
            if fields["owner"] != owner or (mint is not None and fields["mint"] != mint):
                continue
            shown = self._visible(pubkey)
            if shown is not None:
                value.append({"pubkey": str(pubkey), "account": self._encode_account(pubkey, shown, encoding, data_slice)})
        return self._context(value)

    def _get_minimum_balance_for_rent_exemption(self, params: list) -> int:
        self._arity(params, 1, 2)
        length = params[0]
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise invalid_params(f"Invalid params: invalid type: {_json_type(length)}, expected usize")
        self._config("getMinimumBalanceForRentExemption", params, 1)
        return self.svm.minimum_balance_for_rent_exemption(length)

    # ------------------------------------------------------------ blocks

    def _get_slot(self, params: list) -> int:
        self._arity(params, 0, 1)
        self._config("getSlot", params, 0)
        return self.slot

    def _get_block_height(self, params: list) -> int:
        self._arity(params, 0, 1)
        self._config("getBlockHeight", params, 0)
        return self.block_height

    def _get_latest_blockhash(self, params: list) -> dict:
        self._arity(params, 0, 1)
        self._config("getLatestBlockhash", params, 0)
        blockhash, last_valid = self._note_blockhash()
        return self._context({"blockhash": blockhash, "lastValidBlockHeight": last_valid})

    def _is_blockhash_valid(self, params: list) -> dict:
        self._arity(params, 1, 2)
        if not isinstance(params[0], str):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(params[0])}, expected a string")
        try:
            Hash.from_string(params[0])
        except ValueError:
            raise invalid_params("Invalid param: Invalid") from None
        self._config("isBlockhashValid", params, 1)
        return self._context(self.blockhash_valid(params[0]))

    def _get_health(self, params: list) -> str:
        return "ok"

    def _get_version(self, params: list) -> dict:
        return {"solana-core": API_VERSION, "feature-set": 0}

    # ------------------------------------------------------------ transactions

    def _decode_transaction(self, value: Any, encoding: str) -> VersionedTransaction:
        if not isinstance(value, str):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(value)}, expected a string")
        if encoding == "base58":
            if len(value) > MAX_BASE58_TX:
                raise invalid_params(f"base58 encoded {_TX_TYPE} too large: {len(value)} bytes "
                                     f"(max: encoded/raw {MAX_BASE58_TX}/{PACKET_DATA_SIZE})")
            try:
                raw = b58decode(value)
            except ValueError as error:
                raise invalid_params(f"invalid base58 encoding: {error}") from None
        elif encoding == "base64":
            if len(value) > MAX_BASE64_TX:
                raise invalid_params(f"base64 encoded {_TX_TYPE} too large: {len(value)} bytes "
                                     f"(max: encoded/raw {MAX_BASE64_TX}/{PACKET_DATA_SIZE})")
            try:
                raw = base64.b64decode(value, validate=True)
            except ValueError as error:
                raise invalid_params(f"invalid base64 encoding: {error}") from None
        else:
            raise invalid_params(f"unsupported encoding: {encoding}. Supported encodings: base58, base64")
        if len(raw) > PACKET_DATA_SIZE:
            raise invalid_params(f"decoded {_TX_TYPE} too large: {len(raw)} bytes (max: {PACKET_DATA_SIZE} bytes)")
        try:
            tx = VersionedTransaction.from_bytes(raw)
        except Exception as error:
            raise invalid_params(f"failed to deserialize {_TX_TYPE}: {error}") from None
        try:
            tx.sanitize()
        except Exception as error:
            raise invalid_params(f"invalid transaction: {error}") from None
        return tx

    @staticmethod
    def _signatures_ok(tx: VersionedTransaction) -> bool:
        try:
            return all(tx.verify_with_results())
        except Exception:
            return False

    @staticmethod
    def _account_key_count(tx: VersionedTransaction) -> int:
        message = tx.message
        count = len(message.account_keys)
        if isinstance(message, MessageV0):
            count += sum(len(l.writable_indexes) + len(l.readonly_indexes) for l in message.address_table_lookups)
        return count

    def _run_simulation(self, tx: VersionedTransaction, check_blockhash: bool = True):
        """LiteSVM's simulation without its signature check (the node checks that
        itself when asked); restores LiteSVM's settings after."""
        sigverify = self.svm.get_sigverify()
        self.svm.with_sigverify(False)
        if not check_blockhash:
            self.svm.with_blockhash_check(False)
        try:
            return self.svm.simulate_transaction(tx)
        finally:
            self.svm.with_sigverify(sigverify)
            if not check_blockhash:
                self.svm.with_blockhash_check(True)

    @staticmethod
    def _simulation_value(result: Any) -> dict:
        """err, logs, unitsConsumed and returnData of a LiteSVM result."""
        failed = hasattr(result, "err")
        meta = result.meta()
        return_data = meta.return_data()
        value: dict = {
            "err": transaction_error_json(result.err()) if failed else None,
            "logs": list(meta.logs()),
            "accounts": None,
            "unitsConsumed": meta.compute_units_consumed(),
            "returnData": ({"programId": str(return_data.program_id),
                            "data": [base64.b64encode(bytes(return_data.data)).decode(), "base64"]}
                           if return_data is not None and bytes(return_data.data) else None),
            "innerInstructions": None,
            "replacementBlockhash": None,
        }
        return value

    def _simulate_transaction(self, params: list) -> dict:
        self._arity(params, 1, 2)
        config = self._config("simulateTransaction", params, 1)
        tx = self._decode_transaction(params[0], config.get("encoding", "base58"))
        sig_verify = bool(config.get("sigVerify", False))
        replace = bool(config.get("replaceRecentBlockhash", False))
        if sig_verify and replace:
            raise invalid_params("sigVerify may not be used with replaceRecentBlockhash")
        accounts_config = config.get("accounts")
        addresses: list[Pubkey] | None = None
        accounts_encoding = "base64"
        if accounts_config is not None:
            if not isinstance(accounts_config, dict) or not isinstance(accounts_config.get("addresses"), list):
                raise invalid_params("Invalid params: accounts needs an addresses array")
            accounts_encoding = accounts_config.get("encoding", "base64")
            if accounts_encoding in ("binary", "base58"):
                raise invalid_params("base58 encoding not supported")
            self._encoding({"encoding": accounts_encoding})
            key_count = self._account_key_count(tx)
            if len(accounts_config["addresses"]) > key_count:
                raise invalid_params(f"Too many accounts provided; max {key_count}")
            addresses = [self._pubkey(a) for a in accounts_config["addresses"]]
        if sig_verify and not self._signatures_ok(tx):
            raise RpcError(SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure")
        staged = self._staged.pop(0) if self._staged else None
        if staged is not None and not staged[1]:
            return self._context(staged[0])
        result = self._run_simulation(tx, check_blockhash=not replace)
        value = self._simulation_value(result)
        if addresses is not None:
            if value["err"] is not None:
                value["accounts"] = [None] * len(addresses)
            else:
                post = {key: account for key, account in result.post_accounts()}
                value["accounts"] = [self._encode_account(a, self._visible(a, post), accounts_encoding, None)
                                     for a in addresses]
        if replace:
            blockhash, last_valid = self._note_blockhash()
            value["replacementBlockhash"] = {"blockhash": blockhash, "lastValidBlockHeight": last_valid}
        if staged is not None:
            value.update(staged[0])
        return self._context(value)

    def _send_transaction(self, params: list) -> str:
        self._arity(params, 1, 2)
        config = self._config("sendTransaction", params, 1, commitment_key="preflightCommitment")
        tx = self._decode_transaction(params[0], config.get("encoding", "base58"))
        signature = str(tx.signatures[0])
        if not config.get("skipPreflight", False):
            if not self._signatures_ok(tx):
                raise RpcError(SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure")
            result = self._run_simulation(tx)
            if hasattr(result, "err"):
                value = self._simulation_value(result)
                raise RpcError(PREFLIGHT_FAILURE,
                               f"Transaction simulation failed: {describe_transaction_error(value['err'])}", value)
        result = self.svm.send_transaction(tx)
        if not hasattr(result, "err"):
            self._land(signature, None)
        else:
            err = transaction_error_json(result.err())
            # A transaction that ran and failed still lands (its fee is charged);
            # one refused before execution is dropped and never gets a status.
            if self.svm.get_transaction(tx.signatures[0]) is not None and err != "AlreadyProcessed":
                self._land(signature, err)
        return signature

    def _land(self, signature: str, err: Any) -> None:
        self._landed[signature] = _Landed(self.slot, err, self.landed_status)
        self.advance_slot()

    def _get_signature_statuses(self, params: list) -> dict:
        self._arity(params, 1, 2)
        if not isinstance(params[0], list):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(params[0])}, expected a sequence")
        if len(params[0]) > MAX_SIGNATURE_STATUSES:
            raise invalid_params(f"Too many inputs provided; max {MAX_SIGNATURE_STATUSES}")
        signatures = []
        for text in params[0]:
            if not isinstance(text, str):
                raise invalid_params(f"Invalid params: invalid type: {_json_type(text)}, expected a string")
            try:
                signatures.append(str(Signature.from_string(text)))
            except ValueError:
                raise invalid_params("Invalid param: Invalid") from None
        config = params[1] if len(params) > 1 and params[1] is not None else {}
        if not isinstance(config, dict):
            raise invalid_params(f"Invalid params: invalid type: {_json_type(config)}, expected a map")
        search_history = bool(config.get("searchTransactionHistory", False))
        self.commitments.append(("getSignatureStatuses", None))
        slot = self.slot
        value = []
        for signature in signatures:
            landed = self._landed.get(signature)
            if landed is None or (not search_history and landed.slot < slot - STATUS_CACHE_SLOTS):
                value.append(None)
                continue
            if landed.confirmation_status == "finalized":
                confirmations = None
            else:
                confirmations = landed.confirmations if landed.confirmations is not None else max(0, slot - landed.slot)
            value.append({"slot": landed.slot, "confirmations": confirmations, "err": landed.err,
                          "status": {"Ok": None} if landed.err is None else {"Err": landed.err},
                          "confirmationStatus": landed.confirmation_status})
        return self._context(value)

    _METHODS: dict[str, Callable[["RpcNode", list], Any]] = {
        "getAccountInfo": _get_account_info,
        "getMultipleAccounts": _get_multiple_accounts,
        "getBalance": _get_balance,
        "getTokenAccountsByOwner": _get_token_accounts_by_owner,
        "getMinimumBalanceForRentExemption": _get_minimum_balance_for_rent_exemption,
        "getSlot": _get_slot,
        "getBlockHeight": _get_block_height,
        "getLatestBlockhash": _get_latest_blockhash,
        "isBlockhashValid": _is_blockhash_valid,
        "getHealth": _get_health,
        "getVersion": _get_version,
        "simulateTransaction": _simulate_transaction,
        "sendTransaction": _send_transaction,
        "getSignatureStatuses": _get_signature_statuses,
    }


_PARSE_ERROR = object()


def _dump(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _envelope_error(request_id: Any, error: RpcError) -> dict:
    return {"jsonrpc": "2.0", "error": error.to_json(), "id": request_id}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        return f"string {json.dumps(value)}"
    if isinstance(value, list):
        return "sequence"
    return "map"


def _ui_amount(amount: int, decimals: int) -> dict:
    if decimals:
        whole, fraction = divmod(amount, 10**decimals)
        text = f"{whole}.{fraction:0{decimals}d}".rstrip("0").rstrip(".")
    else:
        text = str(amount)
    return {"amount": str(amount), "decimals": decimals, "uiAmount": amount / 10**decimals,
            "uiAmountString": text}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A LiteSVM-backed Solana JSON-RPC node on loopback, for tests.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--airdrop", action="append", default=[], metavar="PUBKEY:LAMPORTS",
                        help="credit an account before serving (repeatable)")
    args = parser.parse_args(argv)
    node = RpcNode(port=args.port)
    for item in args.airdrop:
        pubkey, _, lamports = item.partition(":")
        node.airdrop(Pubkey.from_string(pubkey), int(lamports))
    node.start()
    print(node.url, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    node.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
