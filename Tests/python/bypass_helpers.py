"""Builders for test_policy_bypass.py: v0 messages with address lookup
tables (and the matching on-chain table accounts for LiteSVM), compute
budget and precompile instructions, the fee formula the daemon must use,
associated token account creation, Token-2022 extension instructions, a
packed SPL Mint for LiteSVM, and a few call helpers over wallet_helpers.

Nothing here talks to anything but the daemon's socket and LiteSVM."""
from __future__ import annotations

import itertools
import struct

from solders.account import Account
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.compute_budget import request_heap_frame, set_compute_unit_limit, set_compute_unit_price  # noqa: F401 (re-exported)
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message, MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import Transaction, VersionedTransaction

from conftest import FrameSocket
from wallet_helpers import FEE_PER_SIGNATURE, OK, PERMISSION_DENIED, SIGN, Reply, Wallet, sol_outflow

# ---------------------------------------------------------------- program ids

SYSTEM_PROGRAM = Pubkey.from_string("11111111111111111111111111111111")
TOKEN_PROGRAM = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022_PROGRAM = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
ATA_PROGRAM = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
COMPUTE_BUDGET_PROGRAM = Pubkey.from_string("ComputeBudget111111111111111111111111111111")
MEMO_PROGRAM = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
ALT_PROGRAM = Pubkey.from_string("AddressLookupTab1e1111111111111111111111111")
ED25519_PROGRAM = Pubkey.from_string("Ed25519SigVerify111111111111111111111111111")
SECP256K1_PROGRAM = Pubkey.from_string("KeccakSecp256k11111111111111111111111111111")
SECP256R1_PROGRAM = Pubkey.from_string("Secp256r1SigVerify1111111111111111111111111")
SYSVAR_INSTRUCTIONS = Pubkey.from_string("Sysvar1nstructions1111111111111111111111111")
PRECOMPILES = (ED25519_PROGRAM, SECP256K1_PROGRAM, SECP256R1_PROGRAM)

# ---------------------------------------------------------------- constants, with their sources

# Fee: 5,000 lamports per signature (solana-fee-calculator DEFAULT_TARGET_LAMPORTS_PER_SIGNATURE / 2),
# where precompile signatures count like transaction signatures (agave FeeStructure::calculate_fee:
# num_signatures + num_ed25519 + num_secp256k1 + num_secp256r1 signatures).
BASE_FEE = FEE_PER_SIGNATURE
# Runtime default compute-unit limit (agave compute-budget-instruction-details): 3,000 units
# (MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT) per ComputeBudget instruction, 200,000
# (DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT) per other instruction as the upper bound, the total
# capped at 1,400,000 (MAX_COMPUTE_UNIT_LIMIT). ceil(limit x price / 1e6) micro-lamports.
CB_INSTRUCTION_UNITS = 3_000
OTHER_INSTRUCTION_UNITS = 200_000
MAX_COMPUTE_UNIT_LIMIT = 1_400_000
MICRO_LAMPORTS_PER_LAMPORT = 1_000_000

# Rent (solana-rent defaults): 3,480 lamports per byte-year (DEFAULT_LAMPORTS_PER_BYTE_YEAR),
# rent-exempt at 2 years (DEFAULT_EXEMPTION_THRESHOLD), 128 bytes of account overhead
# (ACCOUNT_STORAGE_OVERHEAD): minimum = (data_len + 128) x 3480 x 2.
RENT_LAMPORTS_PER_BYTE_YEAR = 3_480
RENT_EXEMPTION_YEARS = 2
ACCOUNT_STORAGE_OVERHEAD = 128


def rent_exempt_minimum(data_len: int) -> int:
    return (data_len + ACCOUNT_STORAGE_OVERHEAD) * RENT_LAMPORTS_PER_BYTE_YEAR * RENT_EXEMPTION_YEARS


SPL_TOKEN_ACCOUNT_LEN = 165          # spl_token::state::Account::LEN
TOKEN_2022_ACCOUNT_BOUND_LEN = 512   # the daemon's upper bound for a Token-2022 account with extensions
MINT_LEN = 82                        # spl_token::state::Mint::LEN
SPL_TOKEN_ACCOUNT_RENT = rent_exempt_minimum(SPL_TOKEN_ACCOUNT_LEN)             # (165+128)x3480x2
TOKEN_2022_ACCOUNT_RENT_BOUND = rent_exempt_minimum(TOKEN_2022_ACCOUNT_BOUND_LEN)  # (512+128)x3480x2
assert SPL_TOKEN_ACCOUNT_RENT == 2_039_280
assert TOKEN_2022_ACCOUNT_RENT_BOUND == 4_454_400

# ---------------------------------------------------------------- fee formula


def expected_max_fee(message: Message | MessageV0) -> int:
    """The contract's fee bound, computed independently of the daemon from a
    legacy or v0 message (program ids are always static keys)."""
    keys = list(message.account_keys)
    programs = [keys[ix.program_id_index] for ix in message.instructions]
    datas = [bytes(ix.data) for ix in message.instructions]
    signatures = message.header.num_required_signatures
    for program, data in zip(programs, datas):
        if program in PRECOMPILES:
            signatures += data[0] if data else 0
    base = BASE_FEE * signatures
    requested = None
    price = 0
    cb = other = 0
    for program, data in zip(programs, datas):
        if program == COMPUTE_BUDGET_PROGRAM:
            cb += 1
            if data[:1] == b"\x02":
                requested = max(requested or 0, struct.unpack_from("<I", data, 1)[0])
            elif data[:1] == b"\x03":
                price = max(price, struct.unpack_from("<Q", data, 1)[0])
        else:
            other += 1
    if requested is not None:
        limit = min(requested, MAX_COMPUTE_UNIT_LIMIT)
    else:
        limit = min(CB_INSTRUCTION_UNITS * cb + OTHER_INSTRUCTION_UNITS * other, MAX_COMPUTE_UNIT_LIMIT)
    priority = -(-limit * price // MICRO_LAMPORTS_PER_LAMPORT)
    return base + priority


# ---------------------------------------------------------------- transactions


def legacy_tx(payer: Pubkey, instructions: list[Instruction], blockhash: Hash | None = None) -> bytes:
    message = Message.new_with_blockhash(instructions, payer, blockhash or Hash.new_unique())
    return bytes(Transaction.new_unsigned(message))


def legacy_message(transaction: bytes) -> Message:
    return Transaction.from_bytes(transaction).message


def v0_tx(payer: Pubkey, instructions: list[Instruction], tables: dict[Pubkey, list[Pubkey]],
          blockhash: Hash | None = None) -> bytes:
    """A v0 transaction with zeroed signature slots; accounts found in `tables`
    (the real contents) are loaded through lookups rather than static keys."""
    message = MessageV0.try_compile(payer, instructions, [AddressLookupTableAccount(k, v) for k, v in tables.items()],
                                    blockhash or Hash.new_unique())
    return bytes(VersionedTransaction.populate(message, [Signature.default()] * message.header.num_required_signatures))


def v0_message(transaction: bytes) -> MessageV0:
    return VersionedTransaction.from_bytes(transaction).message


def loaded_indexes(message: MessageV0) -> set[int]:
    """Account indexes (in the runtime's order) that come from lookup tables."""
    count = sum(len(l.writable_indexes) + len(l.readonly_indexes) for l in message.address_table_lookups)
    static = len(message.account_keys)
    return set(range(static, static + count))


def alt_account(svm: LiteSVM, addresses: list[Pubkey]) -> Account:
    """An on-chain AddressLookupTable account (address-lookup-table program
    state): u32 ProgramState::LookupTable = 1, LookupTableMeta (deactivation
    slot u64 = MAX: active; last extended slot u64 = 0; start index u8; no
    authority), padded to LOOKUP_TABLE_META_SIZE = 56, then the addresses.
    Addresses extended at slot 0 are usable once the bank is past slot 0."""
    data = struct.pack("<IQQBB", 1, 2**64 - 1, 0, 0, 0).ljust(56, b"\0") + b"".join(bytes(a) for a in addresses)
    return Account(lamports=svm.minimum_balance_for_rent_exemption(len(data)), data=data, owner=ALT_PROGRAM)


def mint_data(decimals: int, authority: Pubkey) -> bytes:
    """spl_token::state::Mint packed (82 bytes): COption<Pubkey> mint authority
    (u32 tag + 32), supply u64, decimals u8, is_initialized u8, COption freeze authority."""
    return struct.pack("<I32sQBBI32s", 1, bytes(authority), 0, decimals, 1, 0, bytes(32))


def add_mint(svm: LiteSVM, token_program: Pubkey = TOKEN_PROGRAM, decimals: int = 6) -> Pubkey:
    mint = Keypair().pubkey()
    svm.set_account(mint, Account(lamports=svm.minimum_balance_for_rent_exemption(MINT_LEN),
                                  data=mint_data(decimals, Keypair().pubkey()), owner=token_program))
    return mint


def ata_address(wallet: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM) -> Pubkey:
    return Pubkey.find_program_address([bytes(wallet), bytes(token_program), bytes(mint)], ATA_PROGRAM)[0]


def ata_create(payer: Pubkey, wallet: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM,
               idempotent: bool = True) -> Instruction:
    """Associated Token Account Create (empty data) or CreateIdempotent (1).
    Accounts: payer, associated account, wallet, mint, system program, token program."""
    return Instruction(ATA_PROGRAM, bytes([1]) if idempotent else b"", [
        AccountMeta(payer, True, True), AccountMeta(ata_address(wallet, mint, token_program), False, True),
        AccountMeta(wallet, False, False), AccountMeta(mint, False, False),
        AccountMeta(SYSTEM_PROGRAM, False, False), AccountMeta(token_program, False, False)])


def transfer_checked(source: Pubkey, mint: Pubkey, destination: Pubkey, owner: Pubkey, amount: int, decimals: int,
                     program: Pubkey = TOKEN_PROGRAM) -> Instruction:
    """Token TransferChecked (tag 12): source, mint, destination, owner (signer)."""
    return Instruction(program, bytes([12]) + struct.pack("<QB", amount, decimals), [
        AccountMeta(source, False, True), AccountMeta(mint, False, False),
        AccountMeta(destination, False, True), AccountMeta(owner, True, False)])


def memo(text: bytes, signers: list[Pubkey] = (), extra: list[AccountMeta] = ()) -> Instruction:
    return Instruction(MEMO_PROGRAM, text, [AccountMeta(s, True, False) for s in signers] + list(extra))


def t22(data: bytes, accounts: list[AccountMeta]) -> Instruction:
    return Instruction(TOKEN_2022_PROGRAM, data, accounts)


def ed25519_instruction(count: int) -> Instruction:
    """A valid Ed25519SigVerify instruction over `count` fresh signatures:
    [count u8, padding u8], count x 14-byte offsets (u16 LE: signature offset,
    its instruction index, public key offset, its index, message offset,
    message size, its index; index 0xFFFF = this instruction), then the data."""
    header = 2 + 14 * count
    offsets, body = b"", b""
    for i in range(count):
        key = Keypair()
        text = b"waiaas fee test %d" % i
        start = header + len(body)
        body += bytes(key.pubkey()) + bytes(key.sign_message(text)) + text
        offsets += struct.pack("<7H", start + 32, 0xFFFF, start, 0xFFFF, start + 96, len(text), 0xFFFF)
    return Instruction(ED25519_PROGRAM, bytes([count, 0]) + offsets + body, [])


def precompile_instruction(program: Pubkey, count: int) -> Instruction:
    """data[0] is the signature count for all three precompiles; the rest is
    filler (enough to be judged, not to verify)."""
    if program == ED25519_PROGRAM:
        return ed25519_instruction(count)
    return Instruction(program, bytes([count, 0]) + bytes(16 * count), [])


# ---------------------------------------------------------------- calls


def lookup_tables(proto, tables: dict[Pubkey, list[Pubkey]] | None) -> list:
    return [proto.wallet.LookupTable(address=bytes(k), addresses=[bytes(a) for a in v]) for k, v in (tables or {}).items()]


def sign(w: Wallet, transaction: bytes, dry_run: bool = False, tables: dict[Pubkey, list[Pubkey]] | None = None) -> Reply:
    request = w.proto.wallet.SignRequest(transaction=transaction, dry_run=dry_run, lookup_tables=lookup_tables(w.proto, tables))
    return w.call(SIGN, request)


def decision(proto, reply: Reply) -> tuple[str, list[str]]:
    """(decision name, reason codes) from a dry run or a real call."""
    if reply.code == OK:
        return proto.wallet.Decision.Name(reply.response.decision), [r.code for r in reply.response.reasons]
    if reply.code == PERMISSION_DENIED:
        return "DECISION_DENY", list(reply.reasons)
    if reply.code == 9:
        return "DECISION_APPROVAL_REQUIRED", list(reply.reasons)
    raise AssertionError(f"unexpected answer {reply}")


def describe(proto, reply: Reply) -> str:
    if reply.code == OK:
        r = reply.response
        return (f"{proto.wallet.Decision.Name(r.decision)} reasons={[x.code for x in r.reasons]} "
                f"sol_outflow={sol_outflow(r)} max_fee_lamports={r.max_fee_lamports} "
                f"messages={[x.message for x in r.reasons]}")
    return repr(reply)


def execute(svm: LiteSVM, signed: bytes, payer: Pubkey, v0: bool = False):
    """Executes a daemon-signed transaction; returns (metadata or failure, payer's balance decrease)."""
    tx = VersionedTransaction.from_bytes(signed) if v0 else Transaction.from_bytes(signed)
    before = svm.get_balance(payer)
    result = svm.send_transaction(tx)
    return result, before - svm.get_balance(payer)


def succeeded(result) -> bool:
    return type(result).__name__ == "TransactionMetadata"


def pipelined_sign(proto, socket_path: str, transactions: list[bytes], connections: int = 8) -> list[Reply]:
    """Every transaction in flight at once over `connections` sockets (at most
    200 calls in flight on one, under the daemon's 256)."""
    replies: list[Reply | None] = [None] * len(transactions)
    socks = [FrameSocket(socket_path, timeout=60) for _ in range(connections)]
    try:
        ids = itertools.count(1)
        chunk = 200 * connections
        for start in range(0, len(transactions), chunk):
            pending: dict[tuple[int, int], int] = {}
            for index in range(start, min(start + chunk, len(transactions))):
                conn = index % connections
                call_id = next(ids)
                request = proto.wallet.SignRequest(transaction=transactions[index])
                socks[conn].send(proto.rpc.Envelope(call_id=call_id, method=SIGN, payload=request.SerializeToString()))
                pending[(conn, call_id)] = index
            for conn, sock in enumerate(socks):
                for _ in range(sum(1 for key in pending if key[0] == conn)):
                    answer = sock.receive(proto)
                    assert answer is not None, "the daemon closed a connection"
                    reply = Reply(answer.status.code, answer.status.message, [r.code for r in answer.status.reasons],
                                  payload=answer.payload)
                    if answer.status.code == OK:
                        reply.response = proto.wallet.SignResponse()
                        reply.response.ParseFromString(answer.payload)
                    replies[pending[(conn, answer.call_id)]] = reply
        return replies  # type: ignore[return-value]
    finally:
        for sock in socks:
            sock.close()
