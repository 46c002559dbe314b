"""Propose against the LiteSVM-backed RPC node (issue 15), with Squads v4
accounts seeded as the program would write them, encoded from the IDL
(Tests/WaiaasSolanaTests/Fixtures/squads). The Squads program itself is not
available here, so the outer transaction is executed in LiteSVM only as far
as sanitizing and signature checks: it must fail for the missing program,
never for its shape or signatures.

The daemon reads the multisig through RPC at every call: the index is the
chain's transaction_index + 1, the agent needs Initiate, an index another
member took is read again, and the policy's `propose` rules bound the rate,
the programs the vault may call and the SOL the agent pays."""
from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from solders.account import Account
from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from conftest import Daemon
from rpc_node import RpcNode
from test_squads_idl import IDL, PROGRAM, TYPES, borsh, compact_message, instruction
from wallet_helpers import (FAILED_PRECONDITION, INVALID_ARGUMENT, OK, PERMISSION_DENIED, Wallet, cli, cli_json, decode_outflows, fresh_pubkey,
                            ledger_rows, set_policy_cli, start)

PROPOSE = "/waiaas.v1.Wallet/Propose"
ABORTED = 10
SOL = 1_000_000_000
SYSTEM = Pubkey.from_string("11111111111111111111111111111111")
ACCOUNTS = {a["name"]: a["type"] for a in IDL["accounts"]}


def multisig_data(members: list[tuple[Pubkey, int]], index: int, threshold: int = 1, stale: int = 0) -> bytes:
    """A Multisig account as the program stores it: the IDL's fields in order, members sorted by key."""
    TYPES.setdefault("MultisigAccount", ACCOUNTS["Multisig"])
    value = {"createKey": Keypair().pubkey(), "configAuthority": Pubkey.default(), "threshold": threshold, "timeLock": 0,
             "transactionIndex": index, "staleTransactionIndex": stale, "rentCollector": None, "bump": 255,
             "members": [{"key": key, "permissions": {"mask": mask}} for key, mask in sorted(members, key=lambda m: bytes(m[0]))]}
    return hashlib.sha256(b"account:Multisig").digest()[:8] + borsh({"defined": "MultisigAccount"}, value)


def proposal_data(multisig: Pubkey, index: int, status: str, approved: list[Pubkey] = ()) -> bytes:
    """A Proposal account as the program stores it, from the IDL's fields."""
    TYPES.setdefault("ProposalAccount", ACCOUNTS["Proposal"])
    fields = {} if status == "Executing" else {"timestamp": 1_700_000_000}
    value = {"multisig": multisig, "transactionIndex": index, "status": (status, fields), "bump": 254,
             "approved": list(approved), "rejected": [], "cancelled": []}
    return hashlib.sha256(b"account:Proposal").digest()[:8] + borsh({"defined": "ProposalAccount"}, value)


def pda(*seeds: bytes) -> Pubkey:
    return Pubkey.find_program_address([b"multisig", *seeds], PROGRAM)[0]


class Calls(Wallet):
    _RESPONSES = {**Wallet._RESPONSES, PROPOSE: "ProposeResponse", "/waiaas.v1.Wallet/Transfer": "TransferResponse",
                  "/waiaas.v1.Wallet/Attest": "AttestResponse"}

    def propose(self, transaction: bytes, **fields):
        return self.call(PROPOSE, self.proto.wallet.ProposeRequest(transaction=transaction, **fields))


POLICY = {"format": 1, "name": "propose", "assets": [{"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "3"}]}],
          "programs": {"include_defaults": True}}


class Setup:
    """A daemon whose multisig has the agent as a member (with `agent_mask`)
    at `index`. The agent key exists only once the daemon made its home, so
    the daemon runs once to make it, the multisig is seeded, and it runs again
    with --multisig (whose start-up check needs the agent to be a member)."""

    def __init__(self, proto, node: RpcNode, home, policy: dict = POLICY, agent_mask: int = 1, index: int = 4):
        self.proto, self.node, self.home = proto, node, home
        first = start(Daemon(home, ["--rpc-url", node.url]))
        with Wallet(proto, first.socket_path) as w:
            self.agent = w.agent()
        first.stop()
        self.owner = Keypair().pubkey()
        self.multisig = Keypair().pubkey()
        self.vault = pda(bytes(self.multisig), b"vault", bytes([0]))
        self.seed(agent_mask, index)
        self.daemon = self.serve()
        assert set_policy_cli(self.daemon, policy, 2).get("version") == 2

    def serve(self) -> Daemon:
        return start(Daemon(self.home, ["--rpc-url", self.node.url, "--multisig", str(self.multisig)]))

    def seed(self, agent_mask: int, index: int, stale: int = 0) -> None:
        data = multisig_data([(self.owner, 7), (self.agent, agent_mask)], index, stale=stale)
        self.node.set_account(self.multisig, Account(lamports=self.node.rent_exempt(len(data)), data=data, owner=PROGRAM, executable=False))

    def inner(self, lamports: int = SOL // 2, to: Pubkey | None = None, ix: Instruction | None = None, payer: Pubkey | None = None) -> bytes:
        ix = ix or transfer(TransferParams(from_pubkey=self.vault, to_pubkey=to or fresh_pubkey(), lamports=lamports))
        return bytes(Message.new_with_blockhash([ix], payer or self.vault, Hash.default()))

    def calls(self) -> Calls:
        return Calls(self.proto, self.daemon.socket_path, timeout=30)


@pytest.fixture
def node():
    with RpcNode() as n:
        yield n


def writable(message: Message, i: int) -> bool:
    """Whether key `i` is writable, by the legacy header's rules."""
    h = message.header
    if i < h.num_required_signatures:
        return i < h.num_required_signatures - h.num_readonly_signed_accounts
    return i < len(message.account_keys) - h.num_readonly_unsigned_accounts


def reasons(reply) -> list[str]:
    return list(reply.reasons)


def test_a_proposal_is_built_at_the_chains_next_index_and_signed_by_the_agent(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, index=4)
    try:
        destination = fresh_pubkey()
        with s.calls() as w:
            status = w.status()
            assert (bytes(status.multisig), bytes(status.vault)) == (bytes(s.multisig), bytes(s.vault))
            attested = w.call("/waiaas.v1.Wallet/Attest", proto.wallet.AttestRequest(nonce=bytes(range(16))))
            blockhash = node.svm.latest_blockhash()
            reply = w.propose(s.inner(to=destination), memo="rent for March", recent_blockhash=bytes(blockhash))
        assert reply.code == OK, reply
        assert attested.code == OK, attested
        report = proto.attestation.AttestationReport()
        report.ParseFromString(attested.response.report)
        assert (bytes(report.multisig), bytes(report.vault)) == (bytes(s.multisig), bytes(s.vault)), "Attest binds the multisig"
        r = reply.response
        transaction_pda = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 5))
        proposal_pda = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 5), b"proposal")
        assert r.transaction_index == 5
        assert (bytes(r.multisig), bytes(r.vault), bytes(r.vault_transaction), bytes(r.proposal)) == (
            bytes(s.multisig), bytes(s.vault), bytes(transaction_pda), bytes(proposal_pda))

        # The outer transaction, byte for byte as the IDL encodes it.
        tx = Transaction.from_bytes(bytes(r.signed_transaction))
        tx.verify()  # the agent's signature over the message
        assert tx.message.account_keys[0] == s.agent and tx.message.header.num_required_signatures == 1
        message, _ = compact_message(s.vault, destination, SOL // 2)
        expected = [
            instruction("vaultTransactionCreate", {"multisig": s.multisig, "transaction": transaction_pda, "creator": s.agent,
                                                   "rentPayer": s.agent, "systemProgram": SYSTEM},
                        {"args": {"vaultIndex": 0, "ephemeralSigners": 0, "transactionMessage": message, "memo": "rent for March"}}),
            instruction("proposalCreate", {"multisig": s.multisig, "proposal": proposal_pda, "creator": s.agent, "rentPayer": s.agent,
                                           "systemProgram": SYSTEM}, {"args": {"transactionIndex": 5, "draft": False}}),
        ]
        compiled = tx.message.instructions
        assert len(compiled) == 2
        keys = tx.message.account_keys
        for got, want in zip(compiled, expected):
            assert bytes(got.data) == bytes(want.data)
            assert [keys[i] for i in got.accounts] == [m.pubkey for m in want.accounts]
            for i, meta in zip(got.accounts, want.accounts):
                # Roles are the union over both instructions (the multisig is writable in the first).
                assert tx.message.is_signer(i) == meta.is_signer, meta
                assert writable(tx.message, i) >= meta.is_writable, meta
        assert [k for i, k in enumerate(keys) if writable(tx.message, i)] == [s.agent, s.multisig, transaction_pda, proposal_pda]
        # LiteSVM checks its shape and signatures; it can only fail for the missing program.
        node.airdrop(s.agent, SOL)
        result = node.svm.send_transaction(tx)
        assert "Signature" not in str(result) and "Sanitize" not in str(result), result
        assert "ProgramAccountNotFound" in str(result) or "InvalidProgramForExecution" in str(result), result

        # The row: a proposal, costing the rent of both accounts and the fee.
        rows = [row for row in ledger_rows(s.daemon.home) if row["kind"] == "propose"]
        assert len(rows) == 1 and rows[0]["decision"] == "allow" and rows[0]["signature"]
        stored_message = bytes([1, 1, 1]) + struct.pack("<I", 3) + bytes(s.vault) + bytes(destination) + bytes(SYSTEM) \
            + struct.pack("<I", 1) + bytes([2]) + struct.pack("<I", 2) + bytes([0, 1]) + struct.pack("<I", 12) + struct.pack("<IQ", 2, SOL // 2) \
            + struct.pack("<I", 0)
        vault_transaction_size = 8 + 32 + 32 + 8 + 1 + 1 + 1 + 4 + len(stored_message)
        proposal_size = 8 + 32 + 8 + 9 + 1 + 3 * (4 + 32 * 2)
        cost = node.rent_exempt(vault_transaction_size) + node.rent_exempt(proposal_size) + 5_000
        assert decode_outflows(rows[0]["outflows"]) == [(b"", cost)]
    finally:
        s.daemon.stop()


def test_an_agent_without_initiate_is_refused(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, agent_mask=2)  # Vote only: a member, so the daemon starts
    try:
        with s.calls() as w:
            reply = w.propose(s.inner())
        assert reply.code == PERMISSION_DENIED and reasons(reply) == ["multisig_permission_missing"], reply
        assert not [row for row in ledger_rows(s.daemon.home) if row["kind"] == "propose"]
    finally:
        s.daemon.stop()


def test_an_index_another_member_took_is_read_again(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, index=4)
    try:
        taken = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 5))
        node.set_account(taken, Account(lamports=SOL, data=b"\0" * 64, owner=PROGRAM, executable=False))
        with s.calls() as w:
            reply = w.propose(s.inner())
            assert reply.code == ABORTED and "index 5" in reply.message, reply
            # The other member's proposal landed: the multisig moved on, and so does the daemon.
            s.seed(1, 5)
            reply = w.propose(s.inner())
        assert reply.code == OK, reply
        assert reply.response.transaction_index == 6
    finally:
        s.daemon.stop()


def test_the_propose_rules_bound_rate_programs_and_cost(proto, node, daemon_home):
    policy = {**POLICY, "propose": {"rate_limit": {"period": "1h", "max_proposals": 2}, "max_sol": "0.01"}}
    s = Setup(proto, node, daemon_home, policy=policy)
    try:
        with s.calls() as w:
            other = Instruction(Keypair().pubkey(), b"\1", [AccountMeta(s.vault, True, True)])
            reply = w.propose(s.inner(ix=other))
            assert reply.code == PERMISSION_DENIED and "propose_program_not_allowed" in reasons(reply), reply
            for _ in range(2):
                assert w.propose(s.inner()).code == OK
            reply = w.propose(s.inner())
            assert reply.code == PERMISSION_DENIED and "propose_rate_1h_exceeded" in reasons(reply), reply
        # The window survives a restart: it is rebuilt from the ledger.
        s.daemon.stop()
        s.daemon = s.serve()
        with s.calls() as w:
            assert "propose_rate_1h_exceeded" in reasons(w.propose(s.inner()))
        policy["propose"] = {"max_sol": "0.001"}
        assert set_policy_cli(s.daemon, policy, 3).get("version") == 3
        with s.calls() as w:
            reply = w.propose(s.inner())
        assert reply.code == PERMISSION_DENIED and "propose_cost_exceeded" in reasons(reply), reply
        refused = [row for row in ledger_rows(s.daemon.home) if row["kind"] == "propose" and row["decision"] == "deny"]
        assert len(refused) == 4, refused
    finally:
        s.daemon.stop()


def test_proposal_denials_count_toward_freeze_after_across_a_restart(proto, node, daemon_home):
    """Propose is no way round freeze_after: its recorded denials count as
    Sign's do, at run time and when the count is rebuilt from the ledger."""
    policy = {**POLICY, "freeze_after": {"denials": 3, "within": "10m"}}
    s = Setup(proto, node, daemon_home, policy=policy)
    try:
        other = Instruction(Keypair().pubkey(), b"\1", [AccountMeta(s.vault, True, True)])
        with s.calls() as w:
            for _ in range(2):
                reply = w.propose(s.inner(ix=other))
                assert reply.code == PERMISSION_DENIED and reasons(reply) == ["propose_program_not_allowed"], reply
        assert cli_json("status", "--socket", s.daemon.socket_path, "--json")["frozen"] is False
        s.daemon.stop()
        s.daemon = s.serve()
        with s.calls() as w:
            third = w.propose(s.inner(ix=other))
            assert third.code == PERMISSION_DENIED and "frozen" in reasons(third), third
            status = cli_json("status", "--socket", s.daemon.socket_path, "--json")
            assert status["frozen"] is True and status["freeze"]["automatic"] is True
            assert "3 refused requests" in status["freeze"]["reason"], status
            assert w.propose(s.inner()).code == FAILED_PRECONDITION
    finally:
        s.daemon.stop()


def test_bad_requests_get_their_own_status(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home)
    try:
        with s.calls() as w:
            stranger = fresh_pubkey()
            reply = w.propose(s.inner(ix=transfer(TransferParams(from_pubkey=stranger, to_pubkey=s.vault, lamports=1)), payer=stranger))
            assert reply.code == INVALID_ARGUMENT and reasons(reply) == ["vault_not_fee_payer"], reply
            two = transfer(TransferParams(from_pubkey=stranger, to_pubkey=fresh_pubkey(), lamports=1))
            reply = w.propose(bytes(Message.new_with_blockhash([two], s.vault, Hash.default())))
            assert reply.code == INVALID_ARGUMENT and reasons(reply) == ["foreign_signer"], reply
            assert w.propose(b"\x01\x02").code == INVALID_ARGUMENT
            assert w.propose(s.inner(), memo="m" * 257).code == INVALID_ARGUMENT
            assert w.propose(s.inner(), vault_index=256).code == INVALID_ARGUMENT
            assert w.propose(s.inner(), recent_blockhash=b"\1" * 31).code == INVALID_ARGUMENT
            tables = [proto.wallet.LookupTable(address=bytes(32), addresses=[bytes(32)])]
            assert w.propose(s.inner(), lookup_tables=tables).code == INVALID_ARGUMENT
    finally:
        s.daemon.stop()


def test_without_a_multisig_or_with_a_wrong_one(proto, node, daemon_home):
    d = start(Daemon(daemon_home, ["--rpc-url", node.url]))
    try:
        with Calls(proto, d.socket_path) as w:
            reply = w.propose(bytes(Message.new_with_blockhash([], w.agent(), Hash.default())))
        assert reply.code == FAILED_PRECONDITION and "no multisig" in reply.message, reply
    finally:
        d.stop()
    # Not a member, not Squads', no endpoint: the daemon does not start.
    stranger = Keypair().pubkey()
    data = multisig_data([(stranger, 7)], 0)
    node.set_account(stranger, Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
    notsquads = Keypair().pubkey()
    node.set_account(notsquads, Account(lamports=SOL, data=data, owner=SYSTEM, executable=False))
    for args, expected in [(["--rpc-url", node.url, "--multisig", str(stranger)], "is not a member"),
                           (["--rpc-url", node.url, "--multisig", str(notsquads)], "not Squads v4"),
                           (["--multisig", str(stranger)], "needs an RPC endpoint")]:
        d = Daemon(daemon_home, args)
        with pytest.raises(AssertionError):
            d.start(timeout=10)
        assert expected in d.output + (d.process.stdout.read() or ""), d.output


def test_the_cli_proposes_and_lists_what_the_program_wrote(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, index=2)
    try:

        out = cli_json("propose", "--socket", s.daemon.socket_path, "--message", base64.b64encode(s.inner()).decode(),
                       "--memo", "from the CLI", "--json")
        assert out["index"] == 3 and out["multisig"] == str(s.multisig) and out["status"] == "not_submitted", out
        assert out["reasons"][-1]["code"] == "proposed"
        # Proposals as the program leaves them: one per status, two stale, one index without a proposal.
        statuses = {1: "Executed", 2: "Draft", 3: "Active", 4: "Approved", 5: "Rejected", 6: "Cancelled", 8: "Active"}
        for index, status in statuses.items():
            address = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", index), b"proposal")
            data = proposal_data(s.multisig, index, status, approved=[s.owner] if status in ("Approved", "Executed") else [])
            node.set_account(address, Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
        s.seed(1, 8, stale=3)
        listed = cli_json("proposals", "list", "--socket", s.daemon.socket_path, "--rpc-url", node.url, "--json")
        assert listed["transaction_index"] == 8 and listed["multisig"] == str(s.multisig)
        got = {p["index"]: p["status"] for p in listed["proposals"]}
        assert got == {8: "active", 7: "no_proposal", 6: "cancelled", 5: "rejected", 4: "approved", 3: "stale", 2: "stale", 1: "executed"}, got
        assert {p["index"]: p["approvals"] for p in listed["proposals"]}[4] == 1
        # Not a Proposal where one should be: refused, not guessed.
        node.set_account(pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 7), b"proposal"),
                         Account(lamports=SOL, data=multisig_data([(s.owner, 7)], 0), owner=PROGRAM, executable=False))
        refused = cli("proposals", "list", "--socket", s.daemon.socket_path, "--rpc-url", node.url, "--json")
        assert refused.returncode == 1 and "proposal #7" in refused.stderr and "not a Squads Proposal" in refused.stderr, refused
    finally:
        s.daemon.stop()


def test_an_approval_required_transfer_becomes_a_proposal_in_one_call(proto, node, daemon_home):
    policy = {**POLICY, "assets": [{"asset": "SOL", "per_transaction": "5", "approval_threshold": "0.5",
                                    "windows": [{"period": "24h", "limit": "10"}]}]}
    s = Setup(proto, node, daemon_home, policy=policy, index=1)
    try:
        destination = fresh_pubkey()
        amount = 4 * SOL // 5
        with s.calls() as w:
            # Sign names what Propose needs.
            tx = bytes(Transaction.new_unsigned(Message.new_with_blockhash(
                [transfer(TransferParams(from_pubkey=s.agent, to_pubkey=destination, lamports=amount))], s.agent, node.svm.latest_blockhash())))
            reply = w.sign(tx)
            assert reply.code == FAILED_PRECONDITION and reasons(reply)[-2:] == ["approval_required", "propose_available"], reply
            # Transfer proposes the same transfer out of the vault.
            reply = w.call("/waiaas.v1.Wallet/Transfer", proto.wallet.TransferRequest(
                destination=bytes(destination), amount=amount, memo="over the threshold", propose_if_approval_required=True))
        assert reply.code == OK, reply
        response = reply.response
        proposal = response.proposal
        assert proposal.transaction_index == 2 and not response.HasField("sign")
        outer = Transaction.from_bytes(bytes(proposal.signed_transaction))
        create = outer.message.instructions[0].data
        message, _ = compact_message(s.vault, destination, amount)
        assert bytes(create) == bytes(instruction("vaultTransactionCreate", {
            "multisig": s.multisig, "transaction": pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 2)), "creator": s.agent,
            "rentPayer": s.agent, "systemProgram": SYSTEM},
            {"args": {"vaultIndex": 0, "ephemeralSigners": 0, "transactionMessage": message, "memo": "over the threshold"}}).data)
        # Submitted: LiteSVM has no Squads program, so it cannot land here, and says why.
        assert proto.wallet.SubmissionStatus.Name(proposal.submission.status) == "SUBMISSION_STATUS_FAILED", proposal.submission
        kinds = [(row["kind"], row["decision"]) for row in ledger_rows(s.daemon.home)][-3:]
        assert kinds == [("approval_required", "approval_required"), ("approval_required", "approval_required"), ("propose", "allow")], kinds
    finally:
        s.daemon.stop()


def test_the_owners_inspect_their_multisig_and_its_spending_limits(node):
    owner, agent = Keypair().pubkey(), Keypair().pubkey()
    multisig = Keypair().pubkey()
    data = multisig_data([(owner, 6), (agent, 1)], 9, threshold=1, stale=4)
    node.set_account(multisig, Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
    create_key = Keypair().pubkey()
    limit = pda(bytes(multisig), b"spending_limit", bytes(create_key))
    TYPES.setdefault("SpendingLimitAccount", ACCOUNTS["SpendingLimit"])
    value = {"multisig": multisig, "createKey": create_key, "vaultIndex": 0, "mint": Pubkey.default(), "amount": SOL,
             "period": ("Day", {}), "remainingAmount": SOL // 4, "lastReset": 1_800_000_000, "bump": 255, "members": [agent],
             "destinations": []}
    limit_data = hashlib.sha256(b"account:SpendingLimit").digest()[:8] + borsh({"defined": "SpendingLimitAccount"}, value)
    node.set_account(limit, Account(lamports=SOL, data=limit_data, owner=PROGRAM, executable=False))
    out = cli_json("squads", "inspect", "--rpc-url", node.url, "--multisig", str(multisig), "--spending-limit-key", str(create_key), "--json")
    assert (out["threshold"], out["voters"], out["transaction_index"], out["stale_transaction_index"], out["autonomous"]) == (1, 1, 9, 4, True)
    assert {m["key"]: m["permissions"] for m in out["members"]} == {str(owner): ["vote", "execute"], str(agent): ["initiate"]}
    assert out["vault"] == str(pda(bytes(multisig), b"vault", bytes([0])))
    [shown] = out["spending_limits"]
    assert (shown["address"], shown["mint"], shown["amount"], shown["remaining"], shown["period"], shown["members"]) == (
        str(limit), "SOL", SOL, SOL // 4, "day", [str(agent)])
    # Not a multisig: refused with the reason.
    result = cli("squads", "inspect", "--rpc-url", node.url, "--multisig", str(limit), "--json")
    assert result.returncode == 1 and "not a Squads Multisig" in result.stderr, result


def test_squads_create_builds_what_the_owners_sign(node):
    treasury = Keypair().pubkey()
    config = Pubkey.find_program_address([b"multisig", b"program_config"], PROGRAM)[0]
    assert str(config) == "BSTq9w3kZwNwpBXJEvTZz2G9ZTNyKBvoSeXMvwb4cNZr"  # the notes' mainnet address
    TYPES.setdefault("ProgramConfigAccount", ACCOUNTS["ProgramConfig"])
    data = hashlib.sha256(b"account:ProgramConfig").digest()[:8] + borsh(
        {"defined": "ProgramConfigAccount"}, {"authority": Keypair().pubkey(), "multisigCreationFee": 100_000_000, "treasury": treasury,
                                              "reserved": bytes(64)})
    node.set_account(config, Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
    owners, agent, create_key = [Keypair().pubkey() for _ in range(2)], Keypair().pubkey(), Keypair().pubkey()
    out = cli_json("squads", "create", "--rpc-url", node.url, "--creator", str(owners[0]), "--create-key", str(create_key),
                   "--owner", str(owners[0]), "--owner", str(owners[1]), "--agent", str(agent), "--threshold", "2",
                   "--time-lock", "60", "--json")
    multisig = pda(b"multisig", bytes(create_key))
    assert out["multisig"] == str(multisig) and out["creation_fee"] == 100_000_000
    tx = Transaction.from_bytes(base64.b64decode(out["transaction"]))
    assert tx.message.account_keys[0] == owners[0] and set(tx.message.signer_keys()) == {owners[0], create_key}
    members = sorted([(owners[0], 6), (owners[1], 6), (agent, 1)], key=lambda m: bytes(m[0]))
    expected = instruction("multisigCreateV2", {"programConfig": config, "treasury": treasury, "multisig": multisig, "createKey": create_key,
                                                "creator": owners[0], "systemProgram": SYSTEM},
                           {"args": {"configAuthority": None, "threshold": 2, "members": [{"key": k, "permissions": {"mask": m}} for k, m in members],
                                     "timeLock": 60, "rentCollector": None, "memo": None}})
    [got] = tx.message.instructions
    assert bytes(got.data) == bytes(expected.data)
    assert [tx.message.account_keys[i] for i in got.accounts] == [m.pubkey for m in expected.accounts]
    refused = cli("squads", "create", "--rpc-url", node.url, "--creator", str(agent), "--create-key", str(create_key),
                  "--owner", str(agent), "--agent", str(agent))
    assert refused.returncode == 64 and "must not be an owner" in refused.stderr, refused


def vault_transaction_data(multisig: Pubkey, creator: Pubkey, index: int, vault: Pubkey, destination: Pubkey, lamports: int) -> bytes:
    """A VaultTransaction account as the program stores it (the message with u32 lengths), from the IDL's fields."""
    TYPES.setdefault("VaultTransactionAccount", ACCOUNTS["VaultTransaction"])
    message = {"numSigners": 1, "numWritableSigners": 1, "numWritableNonSigners": 1, "accountKeys": [vault, destination, SYSTEM],
               "instructions": [{"programIdIndex": 2, "accountIndexes": bytes([0, 1]), "data": struct.pack("<IQ", 2, lamports)}],
               "addressTableLookups": []}
    value = {"multisig": multisig, "creator": creator, "index": index, "bump": 255, "vaultIndex": 0, "vaultBump": 255,
             "ephemeralSignerBumps": b"", "message": message}
    return hashlib.sha256(b"account:VaultTransaction").digest()[:8] + borsh({"defined": "VaultTransactionAccount"}, value)


EXECUTE = "/waiaas.v1.Wallet/ExecuteProposal"


def test_an_approved_proposal_is_executed_by_an_agent_with_execute(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, agent_mask=1 | 4, index=3)
    try:
        destination = fresh_pubkey()
        transaction = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 3))
        proposal = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 3), b"proposal")
        node.set_account(transaction, Account(lamports=SOL, data=vault_transaction_data(s.multisig, s.agent, 3, s.vault, destination, SOL),
                                              owner=PROGRAM, executable=False))

        def set_status(status: str) -> None:
            node.set_account(proposal, Account(lamports=SOL, data=proposal_data(s.multisig, 3, status, approved=[s.owner]), owner=PROGRAM,
                                               executable=False))

        Calls._RESPONSES[EXECUTE] = "ExecuteProposalResponse"
        with s.calls() as w:
            set_status("Active")
            reply = w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=3))
            assert reply.code == FAILED_PRECONDITION and reasons(reply) == ["proposal_not_executable"], reply
            assert w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=4)).code == FAILED_PRECONDITION
            set_status("Approved")
            reply = w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=3, recent_blockhash=bytes(node.svm.latest_blockhash())))
        assert reply.code == OK, reply
        tx = Transaction.from_bytes(bytes(reply.response.signed_transaction))
        tx.verify()
        [got] = tx.message.instructions
        expected = instruction("vaultTransactionExecute", {"multisig": s.multisig, "proposal": proposal, "transaction": transaction,
                                                           "member": s.agent}, {})
        assert bytes(got.data) == bytes(expected.data)
        keys = [tx.message.account_keys[i] for i in got.accounts]
        # The program's own four, then every key of the stored message; the vault is signed for by the program.
        assert keys == [s.multisig, proposal, transaction, s.agent, s.vault, destination, SYSTEM], keys
        assert set(tx.message.signer_keys()) == {s.agent}
        assert [k for i, k in enumerate(tx.message.account_keys) if writable(tx.message, i)] == [s.agent, proposal, s.vault, destination]
        node.airdrop(s.agent, SOL)
        result = node.svm.send_transaction(tx)
        assert "Signature" not in str(result) and "Sanitize" not in str(result), result
        [row] = [row for row in ledger_rows(s.daemon.home) if row["kind"] == "execute" and row["decision"] == "allow"]
        assert decode_outflows(row["outflows"]) == [(b"", 5_000)], "the agent's spend is the fee"
        # The CLI runs it the same way.
        out = cli_json("proposals", "execute", "3", "--socket", s.daemon.socket_path, "--json")
        assert out["index"] == 3 and out["reasons"][-1]["code"] == "executed", out
    finally:
        s.daemon.stop()


def test_execution_needs_execute_and_a_passed_time_lock(proto, node, daemon_home):
    s = Setup(proto, node, daemon_home, agent_mask=1, index=3)
    try:
        Calls._RESPONSES[EXECUTE] = "ExecuteProposalResponse"
        with s.calls() as w:
            reply = w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=1))
            assert reply.code == PERMISSION_DENIED and reasons(reply) == ["multisig_permission_missing"], reply
            # With Execute but a time lock of a day since an approval now: not yet.
            data = multisig_data([(s.owner, 7), (s.agent, 5)], 3)
            data = data[:8 + 32 + 32 + 2] + struct.pack("<I", 86_400) + data[8 + 32 + 32 + 2 + 4:]
            node.set_account(s.multisig, Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
            proposal = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 1), b"proposal")
            import time as clock
            TYPES.setdefault("ProposalAccount", ACCOUNTS["Proposal"])
            recent = hashlib.sha256(b"account:Proposal").digest()[:8] + borsh({"defined": "ProposalAccount"}, {
                "multisig": s.multisig, "transactionIndex": 1, "status": ("Approved", {"timestamp": int(clock.time())}), "bump": 254,
                "approved": [s.owner], "rejected": [], "cancelled": []})
            node.set_account(proposal, Account(lamports=SOL, data=recent, owner=PROGRAM, executable=False))
            reply = w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=1))
            assert reply.code == FAILED_PRECONDITION and "time-locked" in reply.message, reply
    finally:
        s.daemon.stop()


def test_the_agent_proposes_an_on_chain_spending_limit_that_fits_its_windows(proto, node, daemon_home):
    windows = [{"period": "24h", "limit": "3"}, {"period": "7d", "limit": "10"}]
    s = Setup(proto, node, daemon_home, policy={**POLICY, "assets": [{"asset": "SOL", "per_transaction": "1", "windows": windows}]}, index=6)
    try:
        with s.calls() as w:
            reply = w.propose(b"", spending_limit=proto.wallet.SpendingLimitProposal())
        assert reply.code == OK, reply
        r = reply.response
        fit = next(reason.message for reason in r.reasons if reason.code == "spending_limit_fit")
        assert fit.startswith("1.25 SOL per day"), fit
        create_key = Pubkey.from_bytes(hashlib.sha256(b"waiaas-spending-limit-v1" + bytes(s.agent) + bytes(32) + bytes([0])).digest())
        assert bytes(r.spending_limit) == bytes(pda(bytes(s.multisig), b"spending_limit", bytes(create_key)))
        tx = Transaction.from_bytes(bytes(r.signed_transaction))
        tx.verify()
        transaction = pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 7))
        action = ("AddSpendingLimit", {"createKey": create_key, "vaultIndex": 0, "mint": Pubkey.default(), "amount": 1_250_000_000,
                                       "period": ("Day", {}), "members": [s.agent], "destinations": []})
        expected = instruction("configTransactionCreate", {"multisig": s.multisig, "transaction": transaction, "creator": s.agent,
                                                           "rentPayer": s.agent, "systemProgram": SYSTEM},
                               {"args": {"actions": [action], "memo": "waiaas: on-chain limit for the agent, " + fit}})
        create, propose = tx.message.instructions
        assert bytes(create.data) == bytes(expected.data)
        assert [tx.message.account_keys[i] for i in create.accounts] == [m.pubkey for m in expected.accounts]
        assert bytes(propose.data)[8:] == struct.pack("<Q", 7) + b"\0"
        # The CLI asks the same (not submitted: the index is still the chain's next one).
        out = cli_json("squads", "spending-limit", "add", "--socket", s.daemon.socket_path, "--json")
        assert out["index"] == 7 and out["fit"] == fit, out
        # A policy without a window for the asset has nothing to fit.
        with s.calls() as w:
            reply = w.propose(b"", spending_limit=proto.wallet.SpendingLimitProposal(mint=bytes(Keypair().pubkey())))
        assert reply.code == FAILED_PRECONDITION and "no window" in reply.message, reply
    finally:
        s.daemon.stop()


def test_the_real_multisig_fixture_reads_as_the_program_wrote_it(node):
    """The Squads test fixture (Tests/WaiaasSolanaTests/Fixtures/squads), served as a mainnet account."""
    import json
    from test_squads_idl import FIXTURES
    fixture = json.loads((FIXTURES / "multisig-account.json").read_text())
    data = base64.b64decode(fixture["account"]["data"][0])
    address = Pubkey.from_string(fixture["pubkey"])
    node.set_account(address, Account(lamports=fixture["account"]["lamports"], data=data, owner=PROGRAM, executable=False))
    out = cli_json("squads", "inspect", "--rpc-url", node.url, "--multisig", str(address), "--json")
    assert (out["threshold"], out["time_lock_seconds"], out["transaction_index"], out["bump"]) == (2, 0, 0, 255)
    assert out["create_key"] == "EpQKb7hBBaPP4NNzZVxNttQtuXhmcqHCzmLij3eBZs5D"
    names = {"7": ["initiate", "vote", "execute"], "4": ["execute"], "2": ["vote"], "1": ["initiate"]}
    assert [m["permissions"] for m in out["members"]] == [names["7"], names["4"], names["2"], names["1"]]
    # Each member key, as the account's bytes hold them (after the 96-byte header and the u32 count).
    keys = [Pubkey.from_bytes(data[100 + 33 * i:100 + 33 * i + 32]) for i in range(4)]
    assert [m["key"] for m in out["members"]] == [str(k) for k in keys]


def test_a_vault_transaction_that_needs_the_agents_signature_is_not_executed(proto, node, daemon_home):
    """The agent's signature on the outer transaction would reach the vault's
    instructions: one that moves the agent's own SOL must not run on it."""
    s = Setup(proto, node, daemon_home, agent_mask=1 | 4, index=3)
    try:
        destination = fresh_pubkey()
        TYPES.setdefault("VaultTransactionAccount", ACCOUNTS["VaultTransaction"])
        message = {"numSigners": 2, "numWritableSigners": 2, "numWritableNonSigners": 1, "accountKeys": [s.vault, s.agent, destination, SYSTEM],
                   "instructions": [{"programIdIndex": 3, "accountIndexes": bytes([1, 2]), "data": struct.pack("<IQ", 2, SOL)}],
                   "addressTableLookups": []}
        value = {"multisig": s.multisig, "creator": s.owner, "index": 3, "bump": 255, "vaultIndex": 0, "vaultBump": 255,
                 "ephemeralSignerBumps": b"", "message": message}
        data = hashlib.sha256(b"account:VaultTransaction").digest()[:8] + borsh({"defined": "VaultTransactionAccount"}, value)
        node.set_account(pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 3)), Account(lamports=SOL, data=data, owner=PROGRAM, executable=False))
        node.set_account(pda(bytes(s.multisig), b"transaction", struct.pack("<Q", 3), b"proposal"),
                         Account(lamports=SOL, data=proposal_data(s.multisig, 3, "Approved", approved=[s.owner]), owner=PROGRAM, executable=False))
        Calls._RESPONSES[EXECUTE] = "ExecuteProposalResponse"
        with s.calls() as w:
            reply = w.call(EXECUTE, proto.wallet.ExecuteProposalRequest(transaction_index=3))
        assert reply.code == FAILED_PRECONDITION and reasons(reply) == ["foreign_signer"], reply
        assert not [row for row in ledger_rows(s.daemon.home) if row["kind"] == "execute"], "nothing signed, nothing recorded"
    finally:
        s.daemon.stop()
