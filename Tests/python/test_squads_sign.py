"""Squads v4 instructions given to Sign (docs/POLICY.md, "Squads"). The
agent never votes, creates or executes proposals by its signature alone:
each is denied `instruction_not_classified` unless the owner's policy names
it in control.allow_instructions. A spending_limit_use signed by the agent
moves the vault's funds, and counts against the agent's own limits, as if
the agent had sent them. The instructions are encoded from the IDL by
test_squads_idl.py's encoder, not by the daemon."""
from __future__ import annotations

import pytest
from solders.hash import Hash
from solders.pubkey import Pubkey

from bypass_helpers import legacy_tx, sign
from test_policy_bypass import assert_allowed, assert_denied, bypass_daemon, set_policy, sol_policy_json  # noqa: F401
from test_squads_idl import PROGRAM, instruction, snake
from wallet_helpers import LAMPORTS_PER_SOL, Wallet, fresh_pubkey

SQUADS_POLICY = {"programs": {"include_defaults": True, "allow": [str(PROGRAM)]}}


def accounts_for():
    """A multisig, vault, proposal and spending limit; Sign judges the bytes, not the chain."""
    return tuple(fresh_pubkey() for _ in range(4))


def vote(agent: Pubkey, name: str = "proposalApprove"):
    multisig, _, proposal, _ = accounts_for()
    return instruction(name, {"multisig": multisig, "member": agent, "proposal": proposal}, {"args": {"memo": None}})


def spend(agent: Pubkey, lamports: int, destination: Pubkey):
    multisig, vault, _, limit = accounts_for()
    system = Pubkey.from_string("11111111111111111111111111111111")
    return instruction("spendingLimitUse",
                       {"multisig": multisig, "member": agent, "spendingLimit": limit, "vault": vault, "destination": destination,
                        "systemProgram": system, "mint": PROGRAM, "vaultTokenAccount": PROGRAM, "destinationTokenAccount": PROGRAM,
                        "tokenProgram": PROGRAM},
                       {"args": {"amount": lamports, "decimals": 9, "memo": None}})


@pytest.mark.parametrize("name", ["proposalApprove", "proposalReject", "proposalCancel"])
def test_the_agent_does_not_vote_unless_the_policy_names_it(proto, bypass_daemon, name):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2", **SQUADS_POLICY), 2)
        tx = legacy_tx(agent, [vote(agent, name)], Hash.new_unique())
        assert_denied(proto, sign(w, tx), "instruction_not_classified", name)
        allowed = {**SQUADS_POLICY, "control": {"allow_instructions": [f"squads-v4.{snake(name)}"]}}
        set_policy(bypass_daemon, sol_policy_json("1", "2", **allowed), 3)
        assert_allowed(proto, sign(w, tx, dry_run=True), f"{name} named by the policy")


def test_a_spending_limit_use_counts_against_the_agents_limits(proto, bypass_daemon):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        merchant, stranger = fresh_pubkey(), fresh_pubkey()
        set_policy(bypass_daemon, sol_policy_json("1", "2", destinations={"allow": [str(merchant)]}, **SQUADS_POLICY), 2)
        over = legacy_tx(agent, [spend(agent, 3 * LAMPORTS_PER_SOL // 2, merchant)], Hash.new_unique())
        assert_denied(proto, sign(w, over), "per_transaction_limit_exceeded", "1.5 SOL out of the vault")
        elsewhere = legacy_tx(agent, [spend(agent, LAMPORTS_PER_SOL // 2, stranger)], Hash.new_unique())
        assert_denied(proto, sign(w, elsewhere), "destination_not_allowed", "to a destination the policy does not allow")
        within = legacy_tx(agent, [spend(agent, LAMPORTS_PER_SOL // 2, merchant)], Hash.new_unique())
        assert_allowed(proto, sign(w, within, dry_run=True), "0.5 SOL to the merchant")


def test_without_the_program_on_the_allow_list_nothing_squads_is_signed(proto, bypass_daemon):
    with Wallet(proto, bypass_daemon.socket_path) as w:
        agent = w.agent()
        set_policy(bypass_daemon, sol_policy_json("1", "2"), 2)
        tx = legacy_tx(agent, [spend(agent, 1000, fresh_pubkey())], Hash.new_unique())
        assert_denied(proto, sign(w, tx), "program_not_allowed", "Squads is not a default program")
