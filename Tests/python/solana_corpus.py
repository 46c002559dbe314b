"""A corpus of varied Solana transactions built with solders, the independent
implementation our decoder is checked against.

Each case carries the serialized transaction, the lookup tables it needs, and
what an independent reading says it must decode to: the message fields (read
back by solders), the decoded instructions (from the parameters each builder
used) and the signer's outflows. `python3 solana_corpus.py` prints a summary.
"""
import random
import struct

from solders.hash import Hash
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import Message, MessageV0, MessageV1, TransactionConfig, to_bytes_versioned
from solders.address_lookup_table_account import AddressLookupTableAccount
from solders.pubkey import Pubkey
from solders.transaction import VersionedTransaction
from solders import system_program as sp
from solders import compute_budget as cb
from solders.token.associated import get_associated_token_address

SYSTEM = Pubkey.from_string("11111111111111111111111111111111")
TOKEN = Pubkey.from_string("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
TOKEN_2022 = Pubkey.from_string("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
ATA = Pubkey.from_string("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL")
MEMO = Pubkey.from_string("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
RECENT_BLOCKHASHES = Pubkey.from_string("SysvarRecentB1ockHashes11111111111111111111")
RENT = Pubkey.from_string("SysvarRent111111111111111111111111111111111")


def key(rng):
    return Pubkey(bytes(rng.getrandbits(8) for _ in range(32)))


def meta(k, signer=False, writable=False):
    return AccountMeta(k, signer, writable)


class Ctx:
    """Per-transaction state: the fee payer, extra signers, expectations."""

    def __init__(self, rng):
        self.rng = rng
        self.payer = Keypair.from_seed(bytes(rng.getrandbits(8) for _ in range(32)))
        self.extra = []
        self.outflows = {}  # asset -> amount (for the fee payer)
        self.unbounded = set()

    def signer(self):
        """The fee payer, or a fresh extra signer (so multi-signer messages occur)."""
        if self.rng.random() < 0.7 or len(self.extra) >= 3:
            return self.payer
        kp = Keypair.from_seed(bytes(self.rng.getrandbits(8) for _ in range(32)))
        self.extra.append(kp)
        return kp

    def out(self, who, asset, amount):
        if who == self.payer.pubkey():
            if amount is None:
                self.unbounded.add(asset)
                self.outflows.setdefault(asset, 0)
            else:
                self.outflows[asset] = self.outflows.get(asset, 0) + amount


def u64(rng):
    return rng.choice([0, 1, rng.getrandbits(16), rng.getrandbits(40), rng.getrandbits(64)])


# ---- system ---------------------------------------------------------------

def sys_transfer(c):
    s = c.signer(); to = key(c.rng); n = u64(c.rng)
    c.out(s.pubkey(), "SOL", n)
    return sp.transfer(sp.TransferParams(from_pubkey=s.pubkey(), to_pubkey=to, lamports=n)), \
        ("system", "transfer", {"from": str(s.pubkey()), "to": str(to), "lamports": n})


def sys_create(c):
    s = c.signer(); new = c.signer() if c.rng.random() < 0.5 else None
    if new is None or new.pubkey() == s.pubkey():
        new = Keypair.from_seed(bytes(c.rng.getrandbits(8) for _ in range(32))); c.extra.append(new)
    n = u64(c.rng); space = c.rng.getrandbits(16); owner = key(c.rng)
    c.out(s.pubkey(), "SOL", n)
    return sp.create_account(sp.CreateAccountParams(from_pubkey=s.pubkey(), to_pubkey=new.pubkey(), lamports=n, space=space, owner=owner)), \
        ("system", "createAccount", {"from": str(s.pubkey()), "to": str(new.pubkey()), "lamports": n, "space": space, "owner": str(owner)})


def sys_create_with_seed(c):
    s = c.signer(); seed = "".join(c.rng.choice("abcxyz019") for _ in range(c.rng.randint(0, 32)))
    owner = key(c.rng); to = Pubkey.create_with_seed(s.pubkey(), seed, owner); n = u64(c.rng); space = c.rng.getrandbits(12)
    c.out(s.pubkey(), "SOL", n)
    return sp.create_account_with_seed(sp.CreateAccountWithSeedParams(from_pubkey=s.pubkey(), to_pubkey=to, base=s.pubkey(), seed=seed, lamports=n, space=space, owner=owner)), \
        ("system", "createAccountWithSeed", {"from": str(s.pubkey()), "to": str(to), "base": str(s.pubkey()), "seed": seed, "lamports": n, "space": space, "owner": str(owner)})


def sys_assign(c):
    s = c.signer(); owner = key(c.rng)
    return sp.assign(sp.AssignParams(pubkey=s.pubkey(), owner=owner)), ("system", "assign", {"account": str(s.pubkey()), "owner": str(owner)})


def sys_allocate(c):
    s = c.signer(); space = c.rng.getrandbits(20)
    return sp.allocate(sp.AllocateParams(pubkey=s.pubkey(), space=space)), ("system", "allocate", {"account": str(s.pubkey()), "space": space})


def sys_allocate_with_seed(c):
    s = c.signer(); owner = key(c.rng); seed = "seed%d" % c.rng.getrandbits(8)
    acct = Pubkey.create_with_seed(s.pubkey(), seed, owner); space = c.rng.getrandbits(10)
    return sp.allocate_with_seed(sp.AllocateWithSeedParams(address=acct, base=s.pubkey(), seed=seed, space=space, owner=owner)), \
        ("system", "allocateWithSeed", {"account": str(acct), "base": str(s.pubkey()), "seed": seed, "space": space, "owner": str(owner)})


def sys_assign_with_seed(c):
    s = c.signer(); owner = key(c.rng); seed = "s%d" % c.rng.getrandbits(8)
    acct = Pubkey.create_with_seed(s.pubkey(), seed, owner)
    return sp.assign_with_seed(sp.AssignWithSeedParams(address=acct, base=s.pubkey(), seed=seed, owner=owner)), \
        ("system", "assignWithSeed", {"account": str(acct), "base": str(s.pubkey()), "seed": seed, "owner": str(owner)})


def sys_transfer_with_seed(c):
    s = c.signer(); owner = key(c.rng); seed = "t%d" % c.rng.getrandbits(8)
    frm = Pubkey.create_with_seed(s.pubkey(), seed, owner); to = key(c.rng); n = u64(c.rng)
    c.out(s.pubkey(), "SOL", n)
    return sp.transfer_with_seed(sp.TransferWithSeedParams(from_pubkey=frm, from_base=s.pubkey(), from_seed=seed, from_owner=owner, to_pubkey=to, lamports=n)), \
        ("system", "transferWithSeed", {"from": str(frm), "base": str(s.pubkey()), "to": str(to), "lamports": n, "seed": seed, "owner": str(owner)})


def sys_withdraw_nonce(c):
    s = c.signer(); nonce = key(c.rng); to = key(c.rng); n = u64(c.rng)
    c.out(s.pubkey(), "SOL", n)
    return sp.withdraw_nonce_account(sp.WithdrawNonceAccountParams(nonce_pubkey=nonce, authorized_pubkey=s.pubkey(), to_pubkey=to, lamports=n)), \
        ("system", "withdrawNonceAccount", {"nonceAccount": str(nonce), "to": str(to), "authority": str(s.pubkey()), "lamports": n})


def sys_init_nonce(c):
    nonce = key(c.rng); auth = key(c.rng)
    return sp.initialize_nonce_account(sp.InitializeNonceAccountParams(nonce_pubkey=nonce, authority=auth)), \
        ("system", "initializeNonceAccount", {"nonceAccount": str(nonce), "authority": str(auth)})


def sys_authorize_nonce(c):
    s = c.signer(); nonce = key(c.rng); new = key(c.rng)
    return sp.authorize_nonce_account(sp.AuthorizeNonceAccountParams(nonce_pubkey=nonce, authorized_pubkey=s.pubkey(), new_authority=new)), \
        ("system", "authorizeNonceAccount", {"nonceAccount": str(nonce), "authority": str(s.pubkey()), "newAuthority": str(new)})


def sys_upgrade_nonce(c):
    nonce = key(c.rng)
    return sp.upgrade_nonce_account(sp.UpgradeNonceAccountParams(nonce_pubkey=nonce)), ("system", "upgradeNonceAccount", {"nonceAccount": str(nonce)})


# ---- tokens (data packed here by hand: an independent encoding) -----------

def tprog(c):
    return c.rng.choice([TOKEN, TOKEN_2022])


def authority_and_signers(c):
    """Single owner (a signer) or a multisig authority with 1-3 signer accounts."""
    if c.rng.random() < 0.8:
        s = c.signer()
        return s.pubkey(), [meta(s.pubkey(), True, False)], [], s.pubkey()
    ms = key(c.rng)
    signers = [c.signer() for _ in range(c.rng.randint(1, 3))]
    uniq = []
    for s in signers:
        if s.pubkey() not in [u.pubkey() for u in uniq]:
            uniq.append(s)
    return ms, [meta(ms)] + [meta(s.pubkey(), True, False) for s in uniq], [str(s.pubkey()) for s in uniq], \
        (c.payer.pubkey() if c.payer.pubkey() in [s.pubkey() for s in uniq] else ms)


def tok_transfer(c, prog=None, checked=None):
    prog = prog or tprog(c); checked = c.rng.random() < 0.6 if checked is None else checked
    src, dst, mint = key(c.rng), key(c.rng), key(c.rng); amt = u64(c.rng)
    auth, metas, signers, who = authority_and_signers(c)
    info = {"source": str(src), "destination": str(dst), "authority": str(auth), "amount": amt}
    if signers:
        info["signers"] = signers
    if checked:
        dec = c.rng.randint(0, 9)
        data = struct.pack("<BQB", 12, amt, dec)
        accts = [meta(src, False, True), meta(mint), meta(dst, False, True)] + metas
        info.update(mint=str(mint), decimals=dec)
        c.out(who, str(mint), amt)
        return Instruction(prog, data, accts), ("token", "transferChecked", info)
    data = struct.pack("<BQ", 3, amt)
    c.out(who, "unknown-mint:" + str(prog), amt)
    return Instruction(prog, data, [meta(src, False, True), meta(dst, False, True)] + metas), ("token", "transfer", info)


def tok_approve(c):
    prog = tprog(c); src, dlg, mint = key(c.rng), key(c.rng), key(c.rng); amt = u64(c.rng)
    auth, metas, signers, _ = authority_and_signers(c)
    info = {"source": str(src), "delegate": str(dlg), "authority": str(auth), "amount": amt}
    if c.rng.random() < 0.5:
        dec = c.rng.randint(0, 9); info.update(mint=str(mint), decimals=dec)
        return Instruction(prog, struct.pack("<BQB", 13, amt, dec), [meta(src, False, True), meta(mint), meta(dlg)] + metas), ("token", "approveChecked", info)
    return Instruction(prog, struct.pack("<BQ", 4, amt), [meta(src, False, True), meta(dlg)] + metas), ("token", "approve", info)


def tok_revoke(c):
    prog = tprog(c); src = key(c.rng); auth, metas, _, _ = authority_and_signers(c)
    return Instruction(prog, bytes([5]), [meta(src, False, True)] + metas), ("token", "revoke", {"source": str(src), "authority": str(auth)})


def tok_set_authority(c):
    prog = tprog(c); acct = key(c.rng); auth, metas, _, _ = authority_and_signers(c)
    atype = c.rng.randint(0, 3); new = key(c.rng) if c.rng.random() < 0.7 else None
    data = bytes([6, atype]) + (bytes([1]) + bytes(new) if new else bytes([0]))
    info = {"source": str(acct), "authority": str(auth), "authorityType": atype}
    if new:
        info["newAuthority"] = str(new)
    return Instruction(prog, data, [meta(acct, False, True)] + metas), ("token", "setAuthority", info)


def tok_mint_burn(c):
    prog = tprog(c); mint, acct = key(c.rng), key(c.rng); amt = u64(c.rng); auth, metas, _, who = authority_and_signers(c)
    kind = c.rng.choice(["mintTo", "mintToChecked", "burn", "burnChecked"])
    tag = {"mintTo": 7, "mintToChecked": 14, "burn": 8, "burnChecked": 15}[kind]
    data = struct.pack("<BQ", tag, amt); info = {"authority": str(auth), "amount": amt, "mint": str(mint)}
    if kind.endswith("Checked"):
        dec = c.rng.randint(0, 9); data += bytes([dec]); info["decimals"] = dec
    if kind.startswith("mint"):
        accts = [meta(mint, False, True), meta(acct, False, True)]; info["destination"] = str(acct)
    else:
        accts = [meta(acct, False, True), meta(mint, False, True)]; info["source"] = str(acct)
        c.out(who, str(mint), amt)
    return Instruction(prog, data, accts + metas), ("token", kind, info)


def tok_close(c):
    prog = tprog(c); acct = key(c.rng)
    auth, metas, _, who = authority_and_signers(c)
    dst = c.payer.pubkey() if c.rng.random() < 0.5 else key(c.rng)
    if dst != c.payer.pubkey():
        c.out(who, "SOL", None)
    return Instruction(prog, bytes([9]), [meta(acct, False, True), meta(dst, False, True)] + metas), \
        ("token", "closeAccount", {"source": str(acct), "destination": str(dst), "authority": str(auth)})


def tok_init_account(c):
    prog = tprog(c); acct, mint, owner = key(c.rng), key(c.rng), key(c.rng)
    v = c.rng.choice([1, 2, 3])
    if v == 1:
        return Instruction(prog, bytes([1]), [meta(acct, False, True), meta(mint), meta(owner), meta(RENT)]), \
            ("token", "initializeAccount", {"source": str(acct), "mint": str(mint), "authority": str(owner)})
    tag = 16 if v == 2 else 18
    accts = [meta(acct, False, True), meta(mint)] + ([meta(RENT)] if v == 2 else [])
    return Instruction(prog, bytes([tag]) + bytes(owner), accts), \
        ("token", "initializeAccount%d" % v, {"source": str(acct), "mint": str(mint), "authority": str(owner)})


def tok_sync_native(c):
    prog = tprog(c); acct = key(c.rng)
    return Instruction(prog, bytes([17]), [meta(acct, False, True)]), ("token", "syncNative", {"source": str(acct)})


def tok_freeze(c):
    prog = tprog(c); acct, mint = key(c.rng), key(c.rng); auth, metas, _, _ = authority_and_signers(c)
    tag = c.rng.choice([10, 11])
    return Instruction(prog, bytes([tag]), [meta(acct, False, True), meta(mint)] + metas), \
        ("token", "freezeAccount" if tag == 10 else "thawAccount", {"source": str(acct), "mint": str(mint), "authority": str(auth)})


def tok_transfer_with_fee(c):
    src, dst, mint = key(c.rng), key(c.rng), key(c.rng); amt = u64(c.rng); fee = c.rng.getrandbits(20); dec = c.rng.randint(0, 9)
    auth, metas, _, who = authority_and_signers(c)
    c.out(who, str(mint), amt)
    return Instruction(TOKEN_2022, struct.pack("<BBQBQ", 26, 1, amt, dec, fee), [meta(src, False, True), meta(mint), meta(dst, False, True)] + metas), \
        ("token", "transferCheckedWithFee", {"source": str(src), "mint": str(mint), "destination": str(dst), "authority": str(auth), "amount": amt, "decimals": dec, "fee": fee})


def tok_batch(c):
    """A token Batch (tag 255): inner transfers must surface as outflows."""
    prog = tprog(c); data = bytearray([255]); accts = []; inner = []
    for _ in range(c.rng.randint(1, 4)):
        ix, (_, kind, info) = (tok_transfer(c, prog) if c.rng.random() < 0.7 else tok_sync_native(c))
        if ix.program_id != prog:
            continue
        data += bytes([len(ix.accounts), len(ix.data)]) + bytes(ix.data)
        accts += list(ix.accounts); inner.append({"type": kind, "info": info})
    if not inner:
        return tok_batch(c)
    return Instruction(prog, bytes(data), accts), ("token", "batch", {"instructions": inner})


# ---- others ---------------------------------------------------------------

def ata_create(c):
    s = c.signer(); wallet = key(c.rng); mint = key(c.rng); prog = tprog(c)
    ata = Pubkey.find_program_address([bytes(wallet), bytes(prog), bytes(mint)], ATA)[0]
    if prog == TOKEN:
        assert ata == get_associated_token_address(wallet, mint)
    idem = c.rng.random() < 0.5
    # The payer funds the new account's rent-exempt minimum: (bytes + 128) x 3480 lamports/byte-year x 2 years;
    # an SPL Token account is 165 bytes, a Token-2022 one is counted at the daemon's bound of 512 bytes.
    c.out(s.pubkey(), "SOL", (165 + 128) * 3480 * 2 if prog == TOKEN else (512 + 128) * 3480 * 2)
    return Instruction(ATA, bytes([1]) if idem else (bytes([0]) if c.rng.random() < 0.5 else b""),
                       [meta(s.pubkey(), True, True), meta(ata, False, True), meta(wallet), meta(mint), meta(SYSTEM), meta(prog)]), \
        ("associated", "createIdempotent" if idem else "create", {"payer": str(s.pubkey()), "account": str(ata), "wallet": str(wallet), "mint": str(mint), "tokenProgram": str(prog)})


def memo(c):
    text = c.rng.choice(["", "hello", "päyment #42 ✓", "x" * c.rng.randint(1, 200)])
    s = c.signer()
    return Instruction(MEMO, text.encode(), [meta(s.pubkey(), True, False)] if c.rng.random() < 0.5 else []), ("memo", "memo", {"text": text})


def unknown(c):
    prog = key(c.rng)
    metas = [meta(key(c.rng), False, c.rng.random() < 0.5) for _ in range(c.rng.randint(0, 5))]
    if c.rng.random() < 0.3:
        metas.append(meta(c.payer.pubkey(), True, True))
    data = bytes(c.rng.getrandbits(8) for _ in range(c.rng.randint(0, 40)))
    return Instruction(prog, data, metas), ("other", "unknown", {"data": data.hex()})


BUILDERS = [sys_transfer, sys_create, sys_create_with_seed, sys_assign, sys_allocate, sys_allocate_with_seed,
            sys_assign_with_seed, sys_transfer_with_seed, sys_withdraw_nonce, sys_init_nonce, sys_authorize_nonce,
            sys_upgrade_nonce, tok_transfer, tok_approve, tok_revoke, tok_set_authority, tok_mint_burn, tok_close,
            tok_init_account, tok_sync_native, tok_freeze, tok_transfer_with_fee, tok_batch, ata_create, memo, unknown]


def build_case(seed, version=None, lookups=None, withhold=False, nonce=False):
    """One transaction: 1-4 random instructions, optional compute budget, optional durable nonce."""
    rng = random.Random(seed)
    c = Ctx(rng)
    version = version or rng.choice(["legacy", "v0", "v1"])
    ixs, expect = [], []
    cu_limit = cu_price = None
    if nonce:
        nonce_acct = key(rng)
        ixs.append(sp.advance_nonce_account(sp.AdvanceNonceAccountParams(nonce_pubkey=nonce_acct, authorized_pubkey=c.payer.pubkey())))
        expect.append(("system", "advanceNonceAccount", {"nonceAccount": str(nonce_acct), "authority": str(c.payer.pubkey())}))
    if version != "v1" and rng.random() < 0.5:
        cu_limit = rng.randint(1000, 1_400_000); cu_price = rng.getrandbits(rng.choice([8, 20, 40]))
        ixs += [cb.set_compute_unit_limit(cu_limit), cb.set_compute_unit_price(cu_price)]
        expect += [("compute", "setComputeUnitLimit", {"units": cu_limit}), ("compute", "setComputeUnitPrice", {"microLamports": cu_price})]
    for _ in range(rng.randint(1, 4)):
        ix, e = rng.choice(BUILDERS)(c)
        ixs.append(ix); expect.append(e)
    blockhash = Hash(bytes(rng.getrandbits(8) for _ in range(32)))
    tables = {}
    config = None
    if version == "legacy":
        msg = Message.new_with_blockhash(ixs, c.payer.pubkey(), blockhash)
    elif version == "v0":
        alts = []
        if lookups:
            # Put some of the non-signer, non-program accounts into 1-2 tables, padded with noise.
            candidates = []
            for ix in ixs:
                for m in ix.accounts:
                    if not m.is_signer and m.pubkey not in candidates:
                        candidates.append(m.pubkey)
            programs = {ix.program_id for ix in ixs}
            candidates = [k for k in candidates if k not in programs]
            rng.shuffle(candidates)
            for t in range(rng.randint(1, 2)):
                addrs = [key(rng) for _ in range(rng.randint(0, 3))] + candidates[t::2]
                rng.shuffle(addrs)
                alts.append(AddressLookupTableAccount(key(rng), addrs))
            tables = {str(a.key): [str(x) for x in a.addresses] for a in alts}
        msg = MessageV0.try_compile(c.payer.pubkey(), ixs, alts, blockhash)
    else:
        config = TransactionConfig(
            priority_fee=rng.choice([None, rng.getrandbits(30)]),
            compute_unit_limit=rng.choice([None, rng.randint(0, 1_400_000)]),
            loaded_accounts_data_size_limit=rng.choice([None, rng.getrandbits(24)]),
            heap_size=rng.choice([None, 32 * 1024, 256 * 1024, 64 * 1024]))
        msg = MessageV1.try_compile(c.payer.pubkey(), ixs, blockhash, config)
    signers = [c.payer] + c.extra
    needed = [k for k in msg.account_keys[: msg.header.num_required_signatures]]
    by_key = {kp.pubkey(): kp for kp in signers}
    tx = VersionedTransaction(msg, [by_key[k] for k in needed])
    raw = bytes(tx)
    used_tables = {str(l.account_key) for l in getattr(msg, "address_table_lookups", [])}
    tables = {k: v for k, v in tables.items() if k in used_tables}
    withheld = None
    if withhold and tables:
        withheld = sorted(tables)[0]
        tables = {k: v for k, v in tables.items() if k != withheld}
    return {
        "seed": seed, "version": version, "raw": raw, "tx": tx, "msg": msg, "tables": tables, "withheld": withheld,
        "expect": expect, "payer": str(c.payer.pubkey()), "outflows": c.outflows, "unbounded": c.unbounded,
        "cu_limit": cu_limit, "cu_price": cu_price, "config": config, "nonce": nonce,
        "lookups": [(str(l.account_key), list(l.writable_indexes), list(l.readonly_indexes)) for l in getattr(msg, "address_table_lookups", [])],
        "full_tables": {str(a.key): [str(x) for x in a.addresses] for a in (alts if version == "v0" else [])},
    }


def corpus(n=240, seed=20260917):
    """n transactions: every version, with and without lookup tables and nonces; size-capped ones are skipped."""
    cases = []
    i = 0
    while len(cases) < n:
        i += 1
        kind = i % 8
        kwargs = {
            0: dict(version="legacy"), 1: dict(version="v0"), 2: dict(version="v0", lookups=True),
            3: dict(version="v1"), 4: dict(version="v0", lookups=True, withhold=True), 5: dict(nonce=True),
            6: dict(version="legacy"), 7: dict(version="v0", lookups=True),
        }[kind]
        try:
            case = build_case(seed * 1000 + i, **kwargs)
        except Exception:
            continue  # too big for a packet, or solders refused the combination
        limit = 4096 if case["version"] == "v1" else 1232
        if len(case["raw"]) > limit:
            continue
        cases.append(case)
    return cases


if __name__ == "__main__" and len(__import__("sys").argv) == 1:
    cs = corpus()
    from collections import Counter
    print(len(cs), Counter(c["version"] for c in cs), Counter(e[1] for c in cs for e in c["expect"]))


def pda_fixture(n=1000, seed=7):
    """Random inputs with solders' answers for is_on_curve, create_program_address,
    find_program_address and the associated token address (both token programs).
    Written to Tests/WaiaasSolanaTests/Fixtures/pda.json for the Swift tests."""
    rng = random.Random(seed)
    p = 2**255 - 19
    curve = []
    specials = [bytes(32), (1).to_bytes(32, "little"), (p - 1).to_bytes(32, "little"), (p).to_bytes(32, "little"),
                (p + 1).to_bytes(32, "little"), bytes([0xFF] * 32), (2**255 - 1).to_bytes(32, "little"),
                ((1).to_bytes(32, "little")[:31] + b"\x80")]
    # Small-order points (libsodium calls these invalid, dalek decompresses them).
    specials += [bytes.fromhex(h) for h in [
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"]]
    for b in specials + [bytes(rng.getrandbits(8) for _ in range(32)) for _ in range(n)]:
        curve.append({"key": b.hex(), "onCurve": Pubkey(b).is_on_curve()})
    # Real public keys are on the curve.
    for _ in range(50):
        b = bytes(Keypair().pubkey())
        curve.append({"key": b.hex(), "onCurve": Pubkey(b).is_on_curve()})
    create = []
    for _ in range(n):
        seeds = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 32))) for _ in range(rng.randint(0, 4))]
        prog = key(rng)
        try:
            addr = str(Pubkey.create_program_address(seeds, prog))
        except Exception:
            addr = None
        create.append({"seeds": [s.hex() for s in seeds], "program": str(prog), "address": addr})
    find = []
    for _ in range(n):
        seeds = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 32))) for _ in range(rng.randint(0, 3))]
        prog = key(rng)
        addr, bump = Pubkey.find_program_address(seeds, prog)
        find.append({"seeds": [s.hex() for s in seeds], "program": str(prog), "address": str(addr), "bump": bump})
    ata = []
    for i in range(300):
        wallet, mint = key(rng), key(rng)
        prog = TOKEN if i % 2 == 0 else TOKEN_2022
        addr = Pubkey.find_program_address([bytes(wallet), bytes(prog), bytes(mint)], ATA)[0]
        if prog == TOKEN:
            assert addr == get_associated_token_address(wallet, mint)
        ata.append({"wallet": str(wallet), "mint": str(mint), "program": str(prog), "address": str(addr)})
    return {"curve": curve, "create": create, "find": find, "ata": ata}


if __name__ == "__main__" and len(__import__("sys").argv) > 1 and __import__("sys").argv[1] == "pda":
    # Emitted as a Swift source file (a raw string literal) so the test target
    # needs no resource declarations.
    import json, pathlib
    out = pathlib.Path(__file__).resolve().parents[1] / "WaiaasSolanaTests" / "PDAFixture.swift"
    body = json.dumps(pda_fixture(), separators=(",", ":"))
    out.write_text("// Generated by `python3 Tests/python/solana_corpus.py pda` from solders; do not edit.\n"
                   "// test_solana_pda.py re-checks this data against solders.\n"
                   "let pdaFixtureJSON = #\"" + body + "\"#\n")
    print("wrote", out)
