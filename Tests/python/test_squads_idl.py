"""Squads v4 instructions encoded from the program's published IDL
(Tests/WaiaasSolanaTests/Fixtures/squads, README there names the source),
independently of the daemon's Swift encoders, then decoded by `waiaas decode
--json`: the discriminator, every argument and every account in the IDL's
order must come back as written. PDAs are solders' find_program_address
against the addresses the Swift tests pin."""
import hashlib
import json
import pathlib
import re
import struct

import pytest
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction

from test_solana_decode import decode

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "WaiaasSolanaTests" / "Fixtures" / "squads"
IDL = json.loads((FIXTURES / "squads_multisig_program.idl.json").read_text())
PROGRAM = Pubkey.from_string("SQDS4ep65T869zMMBKyuUq6aD6EgTu8psMjkvj52pCf")
TYPES = {t["name"]: t["type"] for t in IDL["types"]}
INSTRUCTIONS = {i["name"]: i for i in IDL["instructions"]}


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def borsh(kind, value):
    """Encodes `value` as the IDL type `kind` (the subset these instructions use)."""
    if isinstance(kind, str):
        fixed = {"u8": "<B", "u16": "<H", "u32": "<I", "u64": "<Q", "i64": "<q"}
        if kind in fixed:
            return struct.pack(fixed[kind], value)
        if kind == "bool":
            return bytes([1 if value else 0])
        if kind == "bytes":
            return struct.pack("<I", len(value)) + value
        if kind == "string":
            raw = value.encode()
            return struct.pack("<I", len(raw)) + raw
        if kind == "publicKey":
            return bytes(value)
        raise AssertionError(f"type {kind} not handled")
    if "option" in kind:
        return b"\0" if value is None else b"\1" + borsh(kind["option"], value)
    if "array" in kind:
        item, count = kind["array"]
        assert len(value) == count, (kind, len(value))
        return b"".join(borsh(item, v) for v in value)
    if "vec" in kind:
        return struct.pack("<I", len(value)) + b"".join(borsh(kind["vec"], v) for v in value)
    if "defined" in kind:
        definition = TYPES[kind["defined"]]
        if definition["kind"] == "enum":
            # value: (variant name, its fields); the tag is the variant's position.
            name, fields = value
            [(tag, variant)] = [(i, v) for i, v in enumerate(definition["variants"]) if v["name"] == name]
            return bytes([tag]) + b"".join(borsh(f["type"], fields[f["name"]]) for f in variant.get("fields", []))
        assert definition["kind"] == "struct"
        return b"".join(borsh(f["type"], value[f["name"]]) for f in definition["fields"])
    raise AssertionError(f"type {kind} not handled")


def instruction(name, accounts, args):
    spec = INSTRUCTIONS[name]
    data = hashlib.sha256(f"global:{snake(name)}".encode()).digest()[:8]
    data += b"".join(borsh(a["type"], args[a["name"]]) for a in spec["args"])
    metas = [AccountMeta(accounts[a["name"]], is_signer=a["isSigner"], is_writable=a["isMut"]) for a in spec["accounts"]]
    return Instruction(PROGRAM, data, metas)


def compact_message(vault, destination, lamports):
    """The compact TransactionMessage of a System transfer out of the vault, by its published layout."""
    system = Pubkey.from_string("11111111111111111111111111111111")
    transfer = struct.pack("<IQ", 2, lamports)
    out = bytes([1, 1, 1, 3]) + bytes(vault) + bytes(destination) + bytes(system)
    out += bytes([1, 2, 2, 0, 1]) + struct.pack("<H", len(transfer)) + transfer + bytes([0])
    return out, [str(vault), str(destination), str(system)]


def decoded(ix, payer):
    message = Message.new_with_blockhash([ix], payer.pubkey(), Hash.default())
    tx = Transaction.new_unsigned(message)
    rc, report = decode(bytes(tx))
    assert rc == 0, report
    [entry] = [i for i in report["instructions"] if i["programId"] == str(PROGRAM)]
    assert entry["program"] == "squads-v4", entry
    return entry


@pytest.fixture
def keys():
    multisig, _ = Pubkey.find_program_address([b"multisig", b"multisig", bytes(Keypair().pubkey())], PROGRAM)
    vault, _ = Pubkey.find_program_address([b"multisig", bytes(multisig), b"vault", bytes([0])], PROGRAM)
    transaction, _ = Pubkey.find_program_address([b"multisig", bytes(multisig), b"transaction", struct.pack("<Q", 7)], PROGRAM)
    proposal, _ = Pubkey.find_program_address([b"multisig", bytes(multisig), b"transaction", struct.pack("<Q", 7), b"proposal"], PROGRAM)
    return {"agent": Keypair(), "multisig": multisig, "vault": vault, "transaction": transaction, "proposal": proposal,
            "destination": Keypair().pubkey()}


def test_the_pdas_the_swift_tests_pin_are_the_programs():
    fixture = json.loads((FIXTURES / "multisig-account.json").read_text())
    testing = Pubkey.from_string(fixture["account"]["owner"])
    create_key = Pubkey.from_string("EpQKb7hBBaPP4NNzZVxNttQtuXhmcqHCzmLij3eBZs5D")
    multisig, bump = Pubkey.find_program_address([b"multisig", b"multisig", bytes(create_key)], testing)
    assert (str(multisig), bump) == (fixture["pubkey"], 255)
    vault, _ = Pubkey.find_program_address([b"multisig", bytes(multisig), b"vault", bytes([0])], PROGRAM)
    assert str(vault) == "E8PUL1CcCvw7zHhjwt3jk3jhPXVEGpQeSjieDmJb6buR"
    proposal, _ = Pubkey.find_program_address([b"multisig", bytes(multisig), b"transaction", struct.pack("<Q", 1), b"proposal"], PROGRAM)
    assert str(proposal) == "6KXvb8JJWKgTaaf7m2Sm83XjskbNRmHVXoR6Ru8d84Xd"


def test_vault_transaction_create(keys):
    agent = keys["agent"].pubkey()
    message, account_keys = compact_message(keys["vault"], keys["destination"], 1_000_000)
    ix = instruction("vaultTransactionCreate",
                     {"multisig": keys["multisig"], "transaction": keys["transaction"], "creator": agent, "rentPayer": agent,
                      "systemProgram": Pubkey.from_string("11111111111111111111111111111111")},
                     {"args": {"vaultIndex": 0, "ephemeralSigners": 0, "transactionMessage": message, "memo": "rent, March"}})
    entry = decoded(ix, keys["agent"])
    assert entry["type"] == "vault_transaction_create"
    info = entry["info"]
    assert info["multisig"] == str(keys["multisig"]) and info["transaction"] == str(keys["transaction"])
    assert info["creator"] == info["rentPayer"] == str(agent)
    assert (info["vaultIndex"], info["ephemeralSigners"], info["memo"]) == (0, 0, "rent, March")
    inner = info["transactionMessage"]
    assert (inner["numSigners"], inner["numWritableSigners"], inner["numWritableNonSigners"]) == (1, 1, 1)
    assert inner["accountKeys"] == account_keys
    assert inner["instructions"] == [{"programIdIndex": 2, "accountIndexes": [0, 1], "data": struct.pack("<IQ", 2, 1_000_000).hex()}]
    assert inner["addressTableLookups"] == []


def test_proposal_create_and_votes(keys):
    agent = keys["agent"].pubkey()
    ix = instruction("proposalCreate",
                     {"multisig": keys["multisig"], "proposal": keys["proposal"], "creator": agent, "rentPayer": agent,
                      "systemProgram": Pubkey.from_string("11111111111111111111111111111111")},
                     {"args": {"transactionIndex": 7, "draft": True}})
    info = decoded(ix, keys["agent"])["info"]
    assert (info["transactionIndex"], info["draft"], info["proposal"]) == (7, True, str(keys["proposal"]))
    for name, memo in [("proposalApprove", "looks right"), ("proposalReject", None), ("proposalCancel", "")]:
        ix = instruction(name, {"multisig": keys["multisig"], "member": agent, "proposal": keys["proposal"]}, {"args": {"memo": memo}})
        entry = decoded(ix, keys["agent"])
        assert entry["type"] == snake(name)
        assert entry["info"] == {"multisig": str(keys["multisig"]), "member": str(agent), "proposal": str(keys["proposal"]), "memo": memo}


def test_vault_transaction_execute(keys):
    agent = keys["agent"].pubkey()
    ix = instruction("vaultTransactionExecute",
                     {"multisig": keys["multisig"], "proposal": keys["proposal"], "transaction": keys["transaction"], "member": agent}, {})
    ix = Instruction(PROGRAM, ix.data, list(ix.accounts) + [AccountMeta(keys["vault"], False, True), AccountMeta(keys["destination"], False, True)])
    info = decoded(ix, keys["agent"])["info"]
    assert info["member"] == str(agent)
    assert info["remainingAccounts"] == [str(keys["vault"]), str(keys["destination"])]


def test_spending_limit_use_for_sol_and_for_a_token(keys):
    agent = keys["agent"].pubkey()
    limit, _ = Pubkey.find_program_address([b"multisig", bytes(keys["multisig"]), b"spending_limit", bytes(agent)], PROGRAM)
    base = {"multisig": keys["multisig"], "member": agent, "spendingLimit": limit, "vault": keys["vault"], "destination": keys["destination"]}
    system = Pubkey.from_string("11111111111111111111111111111111")
    # Absent optional accounts are the program id, as Anchor's clients pass them.
    sol = instruction("spendingLimitUse", {**base, "systemProgram": system, "mint": PROGRAM, "vaultTokenAccount": PROGRAM,
                                           "destinationTokenAccount": PROGRAM, "tokenProgram": PROGRAM},
                      {"args": {"amount": 1_000_000, "decimals": 9, "memo": None}})
    info = decoded(sol, keys["agent"])["info"]
    assert (info["amount"], info["decimals"], info["mint"], info["tokenProgram"]) == (1_000_000, 9, None, None)
    assert info["destination"] == str(keys["destination"])
    mint, source, target = Keypair().pubkey(), Keypair().pubkey(), Keypair().pubkey()
    token = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    spl = instruction("spendingLimitUse", {**base, "systemProgram": PROGRAM, "mint": mint, "vaultTokenAccount": source,
                                           "destinationTokenAccount": target, "tokenProgram": token},
                      {"args": {"amount": 2**64 - 1, "decimals": 6, "memo": "payroll"}})
    info = decoded(spl, keys["agent"])["info"]
    assert (info["amount"], info["decimals"], info["memo"]) == (2**64 - 1, 6, "payroll")
    assert (info["mint"], info["vaultTokenAccount"], info["destinationTokenAccount"], info["tokenProgram"]) == (str(mint), str(source), str(target), str(token))


def test_every_other_idl_instruction_is_named_not_guessed(keys):
    modelled = {"vaultTransactionCreate", "proposalCreate", "proposalApprove", "proposalReject", "proposalCancel",
                "vaultTransactionExecute", "spendingLimitUse"}
    for name in INSTRUCTIONS:
        if name in modelled:
            continue
        data = hashlib.sha256(f"global:{snake(name)}".encode()).digest()[:8]
        ix = Instruction(PROGRAM, data, [AccountMeta(keys["agent"].pubkey(), True, True)])
        entry = decoded(ix, keys["agent"])
        assert (entry["type"], entry["info"]) == (snake(name), {}), name
