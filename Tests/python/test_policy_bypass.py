"""Attacks on the policy by whoever holds the socket, and the contract that
stops them (the findings of the security review):

1. Address lookup tables are caller-supplied and unverified: an instruction
   to a program the daemon decodes (System, SPL Token, Token-2022,
   Associated Token Account, ComputeBudget, Memo) that names a loaded
   account is denied `lookup_table_unverified`, whatever the caller claims
   the table holds; a loaded account of an allow-listed opaque program is fine.
2. Fees are counted at their maximum: 5,000 lamports per required signature
   and per precompile signature, plus the priority fee at the compute-unit
   limit (3,000 units per ComputeBudget instruction, 200,000 per other one,
   at most 1,400,000, when no limit is set).
3. Rent the agent pays for new token accounts is SOL outflow, and the new
   account's owner is a destination.
4. Token-2022 extension instructions whose effect is not modelled are denied
   unless the policy names them (`control.allow_instructions`).
5. Windows stay exact while SetPolicy rebuilds the spending book under load.

Where a transaction is allowed, the daemon-signed bytes are executed in
LiteSVM and the agent's balance may never drop by more than the daemon
counted. Every test runs its own `waiaasd serve --dev` on a fresh home."""
from __future__ import annotations

import struct
import threading
import time

import pytest
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, TransferParams, create_account, transfer
from solders.transaction import Transaction

from bypass_helpers import (
    ED25519_PROGRAM, SECP256K1_PROGRAM, SECP256R1_PROGRAM, SPL_TOKEN_ACCOUNT_RENT, SYSTEM_PROGRAM, SYSVAR_INSTRUCTIONS,
    TOKEN_2022_ACCOUNT_RENT_BOUND, TOKEN_2022_PROGRAM, TOKEN_PROGRAM, COMPUTE_BUDGET_PROGRAM, add_mint, alt_account,
    ata_address, ata_create, decision, describe, execute, expected_max_fee, legacy_message, legacy_tx, loaded_indexes,
    memo, pipelined_sign, precompile_instruction, request_heap_frame, set_compute_unit_limit, set_compute_unit_price,
    sign, succeeded, t22, transfer_checked, v0_message, v0_tx,
)
from conftest import Daemon
from wallet_helpers import (
    FEE_PER_SIGNATURE, LAMPORTS_PER_SOL, OK, PERMISSION_DENIED, Wallet, decode_outflows, fresh_pubkey,
    generous_sol_policy, ledger_rows, owner_key, random_blockhash, set_policy_cli, set_policy_request, sol_outflow,
    start,
)

SOL = LAMPORTS_PER_SOL


@pytest.fixture
def bypass_daemon(daemon_home):
    d = start(Daemon(daemon_home))
    yield d
    d.stop()


def set_policy(daemon: Daemon, policy: dict, version: int) -> None:
    out = set_policy_cli(daemon, policy, version)
    assert out.get("version") == version, f"policy v{version} was not set: {out}"


def sol_policy_json(per_transaction: str = "1", window: str = "2", **extra) -> dict:
    """SOL only, default programs; `programs`, `destinations`, `control`, `max_fee`, `assets` may be overridden."""
    return generous_sol_policy(per_transaction, window, **extra)


def token_asset(mint: Pubkey, per_transaction: str = "100", window: str = "1000") -> dict:
    return {"mint": str(mint), "symbol": "TST", "decimals": 6, "per_transaction": per_transaction,
            "windows": [{"period": "24h", "limit": window}]}


def with_assets(policy: dict, *assets: dict) -> dict:
    policy["assets"] = [*policy["assets"], *assets]
    return policy


def assert_denied(proto, reply, reason: str, context: str = "") -> None:
    name, reasons = decision(proto, reply)
    assert name == "DECISION_DENY" and reason in reasons, (
        f"{context}: expected a denial with reason {reason}, got {describe(proto, reply)}")
    if reply.code != OK:
        assert reply.code == PERMISSION_DENIED, reply
        assert reply.payload == b"", "a refusal must carry no response (so no signature)"
    else:
        assert reply.response.signature == b"" and reply.response.signed_transaction == b"", "a denial carries no signature"


def assert_allowed(proto, reply, context: str = ""):
    name, _ = decision(proto, reply)
    assert name == "DECISION_ALLOW", f"{context}: expected allow, got {describe(proto, reply)}"
    return reply.response


def funded_svm(agent: Pubkey, lamports: int = 10 * SOL) -> LiteSVM:
    svm = LiteSVM()
    svm.airdrop(agent, lamports)
    return svm


# =================================================================== 1. lookup tables


@pytest.mark.parametrize("claim", ["claims_merchant", "truthful", "not_supplied"])
def test_v0_transfer_to_a_loaded_destination_is_denied_whatever_the_table_claims(proto, bypass_daemon, claim):
    """The review's attack: destinations.allow=[merchant]; a v0 transfer of
    0.9 SOL whose destination comes from table T, which really holds the
    attacker; the caller says T[0] is the merchant."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        merchant, attacker, table = fresh_pubkey(), fresh_pubkey(), fresh_pubkey()
        set_policy(bypass_daemon, sol_policy_json("1", "2", destinations={"allow": [str(merchant)]}), 2)

        svm = funded_svm(agent, 2 * SOL)
        svm.set_account(table, alt_account(svm, [attacker]))  # the table as it is on chain
        svm.warp_to_slot(10)  # addresses extended at slot 0 are active from slot 1
        amount = 900_000_000
        tx = v0_tx(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=attacker, lamports=amount))],
                   {table: [attacker]}, svm.latest_blockhash())
        message = v0_message(tx)
        assert attacker not in message.account_keys and loaded_indexes(message), "the destination must be a loaded account"

        claimed = {"claims_merchant": {table: [merchant]}, "truthful": {table: [attacker]}, "not_supplied": None}[claim]
        reply = sign(w, tx, tables=claimed)
        if reply.code == OK and reply.response.signed_transaction:
            result, _ = execute(svm, bytes(reply.response.signed_transaction), agent, v0=True)
            pytest.fail(f"the daemon signed ({describe(proto, reply)}); executed in LiteSVM against the real table "
                        f"({'ok' if succeeded(result) else result}) it moved {svm.get_balance(attacker)} lamports to the "
                        f"attacker {attacker} and {svm.get_balance(merchant) or 0} to the merchant")
        assert_denied(proto, reply, "lookup_table_unverified", f"v0 transfer, table {claim}")


@pytest.mark.parametrize("claim", ["claims_policy_mint_and_merchant", "not_supplied"])
def test_v0_token_transfer_with_loaded_mint_and_destination_is_denied(proto, bypass_daemon, claim):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        merchant, attacker, table = fresh_pubkey(), fresh_pubkey(), fresh_pubkey()
        mint = fresh_pubkey()   # the mint the policy allows
        junk = fresh_pubkey()   # what the table really holds at the mint's index
        set_policy(bypass_daemon, with_assets(sol_policy_json("1", "2", destinations={"allow": [str(merchant)]}),
                                              token_asset(mint)), 2)
        source = ata_address(agent, mint)
        real = [junk, ata_address(attacker, junk)]
        claimed_contents = [mint, ata_address(merchant, mint)]

        # Control: the same transfer with static keys to the merchant's ATA is allowed, so the denial
        # below is about the lookup and nothing else.
        static = legacy_tx(agent, [transfer_checked(source, mint, ata_address(merchant, mint), agent, 5_000_000, 6)])
        assert_allowed(proto, sign(w, static, dry_run=True), "static TransferChecked to the merchant's ATA")

        tx = v0_tx(agent, [transfer_checked(source, real[0], real[1], agent, 5_000_000, 6)], {table: real})
        message = v0_message(tx)
        assert not set(real) & set(message.account_keys), "mint and destination must both be loaded"
        tables = {table: claimed_contents} if claim != "not_supplied" else None
        assert_denied(proto, sign(w, tx, dry_run=True, tables=tables), "lookup_table_unverified",
                      f"TransferChecked with loaded mint and destination, table {claim}")


def decoded_program_cases(agent: Pubkey, mint: Pubkey, loaded: Pubkey):
    """(name, instruction naming `loaded`, whether the same with static keys is a fair allowed control)."""
    yield "system", transfer(TransferParams(from_pubkey=agent, to_pubkey=loaded, lamports=1_000_000)), True
    yield "spl-token", transfer_checked(ata_address(agent, mint), mint, loaded, agent, 1_000, 6), True
    yield "token-2022", transfer_checked(ata_address(agent, mint, TOKEN_2022_PROGRAM), mint, loaded, agent, 1_000, 6,
                                         program=TOKEN_2022_PROGRAM), True
    yield "associated-token", ata_create(agent, loaded, mint), True
    yield "compute-budget", Instruction(COMPUTE_BUDGET_PROGRAM, bytes(set_compute_unit_price(1).data),
                                        [AccountMeta(loaded, False, False)]), True
    # A memo's accounts must sign, and a loaded account cannot: no fair static control.
    yield "memo", memo(b"hello", [agent], [AccountMeta(loaded, False, False)]), False


@pytest.mark.parametrize("program", ["system", "spl-token", "token-2022", "associated-token", "compute-budget", "memo"])
def test_any_decoded_program_instruction_naming_a_loaded_account_is_denied(proto, bypass_daemon, program):
    """Even with the true table contents supplied: the daemon cannot know they are true."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        mint, loaded, table = fresh_pubkey(), fresh_pubkey(), fresh_pubkey()
        set_policy(bypass_daemon, with_assets(sol_policy_json("1", "2"), token_asset(mint)), 2)
        name, ix, fair_control = next(case for case in decoded_program_cases(agent, mint, loaded) if case[0] == program)
        if fair_control:
            assert_allowed(proto, sign(w, legacy_tx(agent, [ix]), dry_run=True), f"{name} with static keys (control)")
        tx = v0_tx(agent, [ix], {table: [loaded]})
        assert loaded not in v0_message(tx).account_keys, "the account must be loaded"
        for tables in ({table: [loaded]}, None):
            assert_denied(proto, sign(w, tx, dry_run=True, tables=tables), "lookup_table_unverified",
                          f"{name} instruction naming a loaded account, table {'supplied (true)' if tables else 'not supplied'}")


@pytest.mark.parametrize("supplied", [False, True], ids=["no_table_contents", "table_contents"])
def test_loaded_account_of_an_allowlisted_opaque_program_is_allowed(proto, bypass_daemon, supplied):
    """A loaded account the decision does not depend on is fine: the program
    is allow-listed, the agent is only the fee payer."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        program, loaded, table = fresh_pubkey(), fresh_pubkey(), fresh_pubkey()
        set_policy(bypass_daemon, sol_policy_json("1", "2", programs={"include_defaults": True, "allow": [str(program)]}), 2)
        tx = v0_tx(agent, [Instruction(program, b"\x01", [AccountMeta(loaded, False, True)])], {table: [loaded]})
        message = v0_message(tx)
        assert loaded not in message.account_keys
        reply = sign(w, tx, dry_run=True, tables={table: [loaded]} if supplied else None)
        r = assert_allowed(proto, reply, f"allow-listed opaque program with a loaded account ({'with' if supplied else 'without'} table contents)")
        assert r.max_fee_lamports == expected_max_fee(message) == FEE_PER_SIGNATURE, describe(proto, reply)
        assert sol_outflow(r) == FEE_PER_SIGNATURE, describe(proto, reply)


# =================================================================== 2. fees

HUGE_PRICE = 10**12      # micro-lamports per CU: 1,000,000 lamports per CU
HEAP_FRAME = 256 * 1024  # the largest RequestHeapFrame (a multiple of 1 KiB, at most 256 KiB)


@pytest.mark.parametrize("max_fee", [None, "0.001"], ids=["per_transaction", "max_fee"])
def test_compute_budget_only_transaction_cannot_hide_its_priority_fee(proto, bypass_daemon, max_fee):
    """SetComputeUnitPrice(10^12) + RequestHeapFrame and nothing else: the
    runtime's limit is 2 x 3,000 units, so the fee is 5,000 + 6,000 x 10^6
    lamports = 6.000005 SOL; the policy allows 1 SOL per transaction."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        extra = {"max_fee": max_fee} if max_fee else {}
        set_policy(bypass_daemon, sol_policy_json("1", "2", **extra), 2)
        svm = funded_svm(agent, 10 * SOL)
        tx = legacy_tx(agent, [set_compute_unit_price(HUGE_PRICE), request_heap_frame(HEAP_FRAME)], svm.latest_blockhash())
        expected = expected_max_fee(legacy_message(tx))
        assert expected == 5_000 + 2 * 3_000 * HUGE_PRICE // 1_000_000 == 6_000_005_000

        reply = sign(w, tx)
        if reply.code == OK and reply.response.signed_transaction:
            result, spent = execute(svm, bytes(reply.response.signed_transaction), agent)
            pytest.fail(f"the daemon signed ({describe(proto, reply)}); LiteSVM charged the agent {spent} lamports "
                        f"({'ok' if succeeded(result) else result}), the daemon counted {sol_outflow(reply.response)}")
        assert_denied(proto, reply, "fee_cap_exceeded" if max_fee else "per_transaction_limit_exceeded", "CB-only, huge price")

        dry = sign(w, tx, dry_run=True)
        assert dry.code == OK, dry
        assert dry.response.max_fee_lamports == expected, f"max fee counted {describe(proto, dry)}, the formula gives {expected}"


PRICE = 1_000_001  # micro-lamports per CU: not a whole lamport, so the ceiling matters


def fee_shapes(agent: Pubkey):
    to = lambda: transfer(TransferParams(from_pubkey=agent, to_pubkey=fresh_pubkey(), lamports=1_000_000))  # noqa: E731
    return {
        # expected limit: 2 x 3,000
        "cb_only_price_and_heap": ([set_compute_unit_price(PRICE), request_heap_frame(HEAP_FRAME)], 6_000),
        # 3,000
        "cb_only_price": ([set_compute_unit_price(PRICE)], 3_000),
        # 200,000 + 3,000
        "transfer_and_price": ([to(), set_compute_unit_price(PRICE)], 203_000),
        # the requested limit
        "requested_limit": ([set_compute_unit_limit(50_000), set_compute_unit_price(PRICE), to()], 50_000),
        # requested above the cap: 1,400,000
        "requested_above_cap": ([set_compute_unit_limit(2_000_000), set_compute_unit_price(PRICE), to()], 1_400_000),
        # 8 x 200,000 + 3,000, capped: 1,400,000
        "default_above_cap": ([*(to() for _ in range(8)), set_compute_unit_price(PRICE)], 1_400_000),
    }


@pytest.mark.parametrize("shape", ["cb_only_price_and_heap", "cb_only_price", "transfer_and_price", "requested_limit",
                                   "requested_above_cap", "default_above_cap"])
def test_max_fee_is_the_formula_and_covers_what_the_runtime_charges(proto, bypass_daemon, shape):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2"), 2)
        svm = funded_svm(agent)
        instructions, limit = fee_shapes(agent)[shape]
        tx = legacy_tx(agent, instructions, svm.latest_blockhash())
        expected = expected_max_fee(legacy_message(tx))
        assert expected == FEE_PER_SIGNATURE + -(-limit * PRICE // 1_000_000), "the helper's formula disagrees with the shape"
        moved = sum(1_000_000 for ix in instructions if ix.program_id == SYSTEM_PROGRAM)

        reply = sign(w, tx)
        assert reply.code == OK, reply
        r = reply.response
        assert r.max_fee_lamports == expected, f"{shape}: the daemon counts the fee as {r.max_fee_lamports}, the formula gives {expected} (limit {limit})"
        assert sol_outflow(r) == moved + expected, f"{shape}: SOL outflow {sol_outflow(r)}, expected {moved} moved + {expected} fee"
        result, spent = execute(svm, bytes(r.signed_transaction), agent)
        assert succeeded(result), f"{shape}: LiteSVM refused the signed transaction: {result}"
        assert spent <= sol_outflow(r), f"{shape}: LiteSVM took {spent} lamports from the agent, the daemon counted {sol_outflow(r)}"


@pytest.mark.parametrize("program,count", [(ED25519_PROGRAM, 1), (ED25519_PROGRAM, 3), (SECP256K1_PROGRAM, 2), (SECP256R1_PROGRAM, 2)],
                         ids=["ed25519x1", "ed25519x3", "secp256k1x2", "secp256r1x2"])
def test_precompile_signatures_count_in_the_base_fee(proto, bypass_daemon, program, count):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2", programs={"include_defaults": True, "allow": [str(program)]}), 2)
        svm = funded_svm(agent)
        tx = legacy_tx(agent, [set_compute_unit_price(PRICE), precompile_instruction(program, count)], svm.latest_blockhash())
        expected = FEE_PER_SIGNATURE * (1 + count) + -(-203_000 * PRICE // 1_000_000)
        assert expected_max_fee(legacy_message(tx)) == expected

        dry = sign(w, tx, dry_run=True)
        r = assert_allowed(proto, dry, f"{program} with {count} signatures")
        assert r.max_fee_lamports == expected, (
            f"{count} precompile signature(s): max fee {r.max_fee_lamports}, expected 5000 x (1 + {count}) + priority = {expected}")
        assert sol_outflow(r) == expected, describe(proto, dry)

        if program == ED25519_PROGRAM:  # valid signatures: it executes
            reply = sign(w, tx)
            assert reply.code == OK, reply
            result, spent = execute(svm, bytes(reply.response.signed_transaction), agent)
            assert succeeded(result), f"LiteSVM refused the signed precompile transaction: {result}"
            assert spent <= sol_outflow(reply.response), f"LiteSVM charged {spent}, the daemon counted {sol_outflow(reply.response)}"


# =================================================================== 3. rent

RENT = {TOKEN_PROGRAM: SPL_TOKEN_ACCOUNT_RENT, TOKEN_2022_PROGRAM: TOKEN_2022_ACCOUNT_RENT_BOUND}


@pytest.mark.parametrize("token_program", [TOKEN_PROGRAM, TOKEN_2022_PROGRAM], ids=["spl_token", "token_2022"])
@pytest.mark.parametrize("idempotent", [False, True], ids=["create", "create_idempotent"])
def test_ata_creation_counts_the_rent_the_agent_pays(proto, bypass_daemon, token_program, idempotent):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2"), 2)
        svm = funded_svm(agent)
        mint = add_mint(svm, token_program)
        tx = legacy_tx(agent, [ata_create(agent, fresh_pubkey(), mint, token_program, idempotent)], svm.latest_blockhash())
        fee = expected_max_fee(legacy_message(tx))
        reply = sign(w, tx)
        assert reply.code == OK, reply
        r = reply.response
        assert sol_outflow(r) == RENT[token_program] + fee, (
            f"ATA creation paid by the agent: SOL outflow {sol_outflow(r)}, expected rent {RENT[token_program]} + fee {fee}")
        result, spent = execute(svm, bytes(r.signed_transaction), agent)
        assert succeeded(result), f"LiteSVM refused the ATA creation: {result}"
        assert spent <= sol_outflow(r), f"LiteSVM took {spent} lamports from the agent, the daemon counted {sol_outflow(r)}"


def test_ata_creation_spam_stops_at_the_window(proto, bypass_daemon):
    """12 CreateIdempotent for attacker wallets per transaction, repeated,
    under 2 SOL per 24 h: each costs 12 x 2,039,280 + 5,000 lamports."""
    window = 2 * SOL
    per_tx = 12 * SPL_TOKEN_ACCOUNT_RENT + FEE_PER_SIGNATURE
    fits = window // per_tx
    assert fits == 81
    attempts = fits + 19
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2"), 2)
        svm = funded_svm(agent, 10 * SOL)
        mint = add_mint(svm)
        counted = spent = allowed = 0
        denial = None
        for i in range(attempts):
            tx = legacy_tx(agent, [ata_create(agent, fresh_pubkey(), mint) for _ in range(12)], svm.latest_blockhash())
            reply = sign(w, tx)
            if reply.code != OK:
                denial = reply
                break
            allowed += 1
            counted += sol_outflow(reply.response)
            result, lost = execute(svm, bytes(reply.response.signed_transaction), agent)
            assert succeeded(result), f"transaction {i + 1}: LiteSVM refused it: {result}"
            spent += lost
        assert spent <= counted, (
            f"{allowed} transactions allowed: LiteSVM took {spent} lamports ({spent / SOL} SOL) from the agent, "
            f"the daemon counted {counted} ({counted / SOL} SOL); the window is 2 SOL")
        assert counted <= window and spent <= window
        assert denial is not None, f"all {attempts} spam transactions were allowed"
        assert denial.code == PERMISSION_DENIED and "window_24h_exceeded" in denial.reasons, denial
        assert allowed == fits, f"{allowed} allowed, {fits} fit in 2 SOL at {per_tx} lamports each"
        assert counted == fits * per_tx


@pytest.mark.parametrize("token_program", [TOKEN_PROGRAM, TOKEN_2022_PROGRAM], ids=["spl_token", "token_2022"])
def test_ata_creation_owner_is_a_destination(proto, bypass_daemon, token_program):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        merchant, attacker, mint = fresh_pubkey(), fresh_pubkey(), fresh_pubkey()
        set_policy(bypass_daemon, sol_policy_json("1", "2", destinations={"allow": [str(merchant)]}), 2)
        for idempotent in (False, True):
            to_attacker = legacy_tx(agent, [ata_create(agent, attacker, mint, token_program, idempotent)])
            assert_denied(proto, sign(w, to_attacker, dry_run=True), "destination_not_allowed",
                          f"ATA for a wallet not on the allow-list (idempotent={idempotent})")
            to_merchant = legacy_tx(agent, [ata_create(agent, merchant, mint, token_program, idempotent)])
            assert_allowed(proto, sign(w, to_merchant, dry_run=True), f"ATA for the listed merchant (idempotent={idempotent})")

        set_policy(bypass_daemon, sol_policy_json("1", "2", destinations={"deny": [str(attacker)]}), 3)
        assert_denied(proto, sign(w, legacy_tx(agent, [ata_create(agent, attacker, mint, token_program)]), dry_run=True),
                      "destination_denied", "ATA for a denied wallet")
        assert_allowed(proto, sign(w, legacy_tx(agent, [ata_create(agent, merchant, mint, token_program)]), dry_run=True),
                       "ATA for a wallet not on the deny-list")


def test_system_create_account_counts_its_lamports(proto, bypass_daemon):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2"), 2)
        svm = funded_svm(agent)
        new = Keypair()
        lamports = 50_000_000
        blockhash = svm.latest_blockhash()
        tx = legacy_tx(agent, [create_account(CreateAccountParams(from_pubkey=agent, to_pubkey=new.pubkey(), lamports=lamports,
                                                                  space=100, owner=fresh_pubkey()))], blockhash)
        fee = expected_max_fee(legacy_message(tx))
        assert fee == 2 * FEE_PER_SIGNATURE
        reply = sign(w, tx)
        assert reply.code == OK, reply
        r = reply.response
        assert sol_outflow(r) == lamports + fee, describe(proto, reply)
        signed = Transaction.from_bytes(bytes(r.signed_transaction))
        signed.partial_sign([new], blockhash)
        before = svm.get_balance(agent)
        result = svm.send_transaction(signed)
        assert succeeded(result), f"LiteSVM refused the CreateAccount: {result}"
        assert before - svm.get_balance(agent) <= sol_outflow(r)


# =================================================================== 4. Token-2022 extension instructions


def extension_cases(agent: Pubkey, mint: Pubkey, other: Pubkey):
    """name -> (instruction, expected reason). `account` is the agent's Token-2022 account."""
    account = ata_address(agent, mint, TOKEN_2022_PROGRAM)
    dest = ata_address(fresh_pubkey(), mint, TOKEN_2022_PROGRAM)
    mine, signer = AccountMeta(account, False, True), AccountMeta(agent, True, False)
    return {
        # ConfidentialTransfer (27): 5 Deposit(amount u64, decimals u8): account, mint, owner.
        "confidential_deposit": (t22(bytes([27, 5]) + struct.pack("<QB", 1_000, 6), [mine, AccountMeta(mint, False, False), signer]),
                                 "control_confidential_transfer"),
        # 6 Withdraw(amount, decimals, new decryptable balance 36 bytes, proof offsets i8 x 2).
        "confidential_withdraw": (t22(bytes([27, 6]) + struct.pack("<QB", 1_000, 6) + bytes(36) + bytes([1, 2]),
                                      [mine, AccountMeta(mint, False, False), AccountMeta(SYSVAR_INSTRUCTIONS, False, False), signer]),
                                  "control_confidential_transfer"),
        # 7 Transfer(new decryptable balance 36 bytes, proof offsets i8 x 3): source, mint, destination, sysvar, owner.
        "confidential_transfer": (t22(bytes([27, 7]) + bytes(36) + bytes([1, 2, 3]),
                                      [mine, AccountMeta(mint, False, False), AccountMeta(dest, False, True),
                                       AccountMeta(SYSVAR_INSTRUCTIONS, False, False), signer]),
                                  "control_confidential_transfer"),
        # CpiGuard (34) 1 Disable: account, owner.
        "cpi_guard_disable": (t22(bytes([34, 1]), [mine, signer]), "control_cpi_guard_disable"),
        # MemoTransfer (30) 1 Disable: account, owner.
        "memo_transfer_disable": (t22(bytes([30, 1]), [mine, signer]), "control_memo_transfer_disable"),
        # Reallocate (29, u16-LE extension types: 8 MemoTransfer, 11 CpiGuard): account, payer, system program, owner.
        "reallocate_agent_pays_and_owns": (t22(bytes([29]) + struct.pack("<HH", 8, 11),
                                               [mine, AccountMeta(agent, True, True), AccountMeta(SYSTEM_PROGRAM, False, False), signer]),
                                           "unbounded_outflow"),
        "reallocate_agent_pays_only": (t22(bytes([29]) + struct.pack("<H", 8),
                                           [AccountMeta(ata_address(other, mint, TOKEN_2022_PROGRAM), False, True),
                                            AccountMeta(agent, True, True), AccountMeta(SYSTEM_PROGRAM, False, False),
                                            AccountMeta(other, True, False)]),
                                       "unbounded_outflow"),
        # Pausable (44) 1 Pause: mint, authority. Its effect is not modelled.
        "pausable_pause": (t22(bytes([44, 1]), [AccountMeta(mint, False, True), signer]), "instruction_not_classified"),
    }


@pytest.mark.parametrize("case", ["confidential_deposit", "confidential_withdraw", "confidential_transfer", "cpi_guard_disable",
                                  "memo_transfer_disable", "reallocate_agent_pays_and_owns", "reallocate_agent_pays_only",
                                  "pausable_pause"])
def test_token_2022_extension_instruction_is_denied(proto, bypass_daemon, case):
    """The starter policy (Token-2022 among the default programs)."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        ix, reason = extension_cases(agent, fresh_pubkey(), fresh_pubkey())[case]
        assert_denied(proto, sign(w, legacy_tx(agent, [ix]), dry_run=True), reason, f"Token-2022 {case}")


@pytest.mark.parametrize("sub_instruction", [(34, 0), (30, 0)], ids=["cpi_guard_enable", "memo_transfer_enable"])
def test_harmless_token_2022_extension_instruction_is_allowed(proto, bypass_daemon, sub_instruction):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        account = ata_address(agent, fresh_pubkey(), TOKEN_2022_PROGRAM)
        tx = legacy_tx(agent, [t22(bytes(sub_instruction), [AccountMeta(account, False, True), AccountMeta(agent, True, False)])])
        r = assert_allowed(proto, sign(w, tx, dry_run=True), f"Token-2022 {sub_instruction}")
        assert sol_outflow(r) == expected_max_fee(legacy_message(tx)) == FEE_PER_SIGNATURE, r


def test_control_allow_instructions_names_exactly_the_instructions_it_allows(proto, bypass_daemon):
    """`control.allow_instructions` (ControlRule field 7): naming one
    instruction allows it and nothing else."""
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        mint, other = fresh_pubkey(), fresh_pubkey()
        cases = extension_cases(agent, mint, other)
        tx = {name: legacy_tx(agent, [ix]) for name, (ix, _) in cases.items()}

        set_policy(bypass_daemon, sol_policy_json("0.1", "1", control={"allow_instructions": ["spl-token-2022.pausable.pause"]}), 2)
        assert_allowed(proto, sign(w, tx["pausable_pause"], dry_run=True), "Pausable Pause named by the policy")
        for name in ("cpi_guard_disable", "confidential_deposit", "memo_transfer_disable"):
            assert_denied(proto, sign(w, tx[name], dry_run=True), cases[name][1], f"{name} while only pausable.pause is named")

        set_policy(bypass_daemon, sol_policy_json("0.1", "1", control={"allow_instructions": ["spl-token-2022.cpiGuard.disable"]}), 3)
        assert_allowed(proto, sign(w, tx["cpi_guard_disable"], dry_run=True), "CpiGuard Disable named by the policy")
        assert_denied(proto, sign(w, tx["pausable_pause"], dry_run=True), "instruction_not_classified",
                      "Pausable Pause once the policy names only cpiGuard.disable")


# =================================================================== 5. SetPolicy racing Sign

RACE_LIMIT = 10_000 * SOL   # generous: nothing in this test comes near it
WINDOWS = [86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400, 45 * 86_400, 60 * 86_400]
LONGEST = WINDOWS[-1]


def race_policy(proto, window_seconds: int):
    """SOL only, no per-transaction limit, one window of RACE_LIMIT, the default programs."""
    p = proto.policy
    policy = p.Policy(format=1, name=f"race {window_seconds} s")
    policy.assets.append(p.AssetRule(symbol="SOL", decimals=9, windows=[p.WindowLimit(seconds=window_seconds, amount=RACE_LIMIT)]))
    policy.programs.CopyFrom(p.ProgramRule(include_defaults=True))
    return policy.SerializeToString()


def remaining_edge(proto, w: Wallet, agent: Pubkey) -> int:
    """The largest transfer a dry run still allows (binary search)."""
    def allowed(amount: int) -> bool:
        reply = sign(w, legacy_tx(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=fresh_pubkey(), lamports=amount))]),
                     dry_run=True)
        assert reply.code == OK, reply
        return reply.response.decision == proto.wallet.Decision.Value("DECISION_ALLOW")

    low, high = 1, RACE_LIMIT  # allowed(low), not allowed(high): the fee makes RACE_LIMIT too much
    assert allowed(low) and not allowed(high), "the edge search needs a window with room left"
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if allowed(middle) else (low, middle)
    return low


def ledger_sol_spent(home, window_seconds: int) -> tuple[int, int]:
    """(SOL outflow of the sign rows in the window, number of sign rows)."""
    since = int(time.time() * 1000) - window_seconds * 1000
    rows = [row for row in ledger_rows(home) if row["kind"] == "sign" and row["time_ms"] > since]
    total = sum(amount for row in rows for asset, amount in decode_outflows(bytes(row["outflows"])) if asset == b"")
    return total, len(rows)


def test_set_policy_racing_sign_keeps_windows_exact(proto, bypass_daemon):
    preload, threads = 3_000, 16
    at_least, at_most = 20, 1_500  # signs per thread: some after the last SetPolicy, a bound if something hangs
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        owner = owner_key(bypass_daemon)
        reply = w.set_policy(set_policy_request(proto, owner, bytes(agent), 2, race_policy(proto, 3_600)))
        assert reply.code == OK, reply

    # Rows the rebuilds must read: a longer window than the book holds makes the daemon load older rows.
    replies = pipelined_sign(proto, bypass_daemon.socket_path,
                             [legacy_tx(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=fresh_pubkey(), lamports=1_000 + i))],
                                        random_blockhash()) for i in range(preload)])
    assert all(r.code == OK for r in replies), [r for r in replies if r.code != OK][:3]

    stop = threading.Event()
    started = threading.Barrier(threads + 1)
    failures: list = []
    counts = [0] * threads

    def signer(index: int) -> None:
        try:
            with Wallet(proto, bypass_daemon.socket_path, timeout=30) as conn:
                started.wait(timeout=30)
                for k in range(at_most):
                    if stop.is_set() and k >= at_least:
                        break
                    tx = legacy_tx(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=fresh_pubkey(),
                                                                   lamports=10_000 + index * 1_000 + k))], random_blockhash())
                    r = conn.sign(tx)
                    if r.code != OK:
                        failures.append(r)
                    counts[index] += 1
        except Exception as error:  # reported below; a thread must not die silently
            failures.append(error)

    workers = [threading.Thread(target=signer, args=(i,), daemon=True) for i in range(threads)]
    for t in workers:
        t.start()
    set_results = []
    try:
        with Wallet(proto, bypass_daemon.socket_path, timeout=30) as conn:
            started.wait(timeout=30)
            for version, seconds in enumerate(WINDOWS, start=3):
                time.sleep(0.05)
                set_results.append(conn.set_policy(set_policy_request(proto, owner, bytes(agent), version, race_policy(proto, seconds))))
            time.sleep(0.1)  # signs under the last policy too
    finally:
        stop.set()
    for t in workers:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in workers), "a signing thread did not finish"
    assert all(r.code == OK for r in set_results), set_results
    assert not failures, f"{len(failures)} signs failed during the race, e.g. {failures[:3]}"
    assert sum(counts) >= threads * at_least
    # The race really happened: signs were made under every policy of the sequence, including those
    # (14 d and longer: past the 7 d the book kept at f1c13f8) that make the daemon load older rows.
    versions = {row["policy_version"] for row in ledger_rows(bypass_daemon.home) if row["kind"] == "sign"}
    assert set(range(2, 3 + len(WINDOWS))) <= versions, f"sign rows exist only under policy versions {sorted(versions)}"

    def check(when: str) -> None:
        with Wallet(proto, bypass_daemon.socket_path) as conn:
            assert conn.status().policy_version == 2 + len(WINDOWS)
            edge = remaining_edge(proto, conn, agent)
        book = RACE_LIMIT - (edge + FEE_PER_SIGNATURE)  # a transfer of `edge` counts edge + the 5,000 fee
        ledger, rows = ledger_sol_spent(bypass_daemon.home, LONGEST)
        assert book == ledger, (
            f"{when}: the daemon counts {book} lamports in the {LONGEST // 86_400} d window, its ledger's {rows} sign rows "
            f"hold {ledger}: {ledger - book} lamports signed for are missing from the book (the signs in flight while SetPolicy rebuilt it)")

    check("after the race")
    assert bypass_daemon.stop() == 0
    start(bypass_daemon)
    check("after a restart")
