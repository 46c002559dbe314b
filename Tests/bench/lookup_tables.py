"""What reading lookup tables from the chain adds to Sign (make bench).

One daemon with --rpc-url on the LiteSVM-backed test node (Tests/python/
rpc_node.py, HTTP on loopback), one call at a time. Three
kinds of dry-run Sign, each timed over the same number of calls:
- legacy: a transfer with static keys only (no chain read: the baseline);
- v0, cached table: the same table every time (read once, then cached);
- v0, cold table: a new table every call (one getMultipleAccounts each).
Prints medians and p99 in microseconds and each as a ratio to the
baseline. The node is Python, so the cold figure is mostly its cost, not
the daemon's: a real node's latency replaces it.

Usage: python3 Tests/bench/lookup_tables.py --bin .build/release [--calls 300]"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

from solders.address_lookup_table_account import AddressLookupTableAccount  # noqa: E402
from solders.message import Message, MessageV0  # noqa: E402
from solders.signature import Signature  # noqa: E402
from solders.system_program import TransferParams, transfer  # noqa: E402
from solders.transaction import Transaction, VersionedTransaction  # noqa: E402
from solders.keypair import Keypair  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    os.environ["WAIAAS_BIN"] = str(pathlib.Path(args.bin).resolve())

    import conftest  # noqa: E402 (needs WAIAAS_BIN)
    from rpc_node import RpcNode  # noqa: E402
    from wallet_helpers import OK, SIGN, Wallet, set_policy_cli, start  # noqa: E402

    class Proto:
        pass

    out = pathlib.Path(tempfile.mkdtemp(prefix="waiaas-bench-"))
    try:
        import subprocess
        repo = HERE.parents[1]
        protos = sorted(str(p.relative_to(repo / "Protos")) for p in (repo / "Protos").rglob("*.proto"))
        subprocess.run(["protoc", f"--python_out={out}", "-I", str(repo / "Protos"), *protos], check=True)
        for package in (out / "waiaas", out / "waiaas" / "v1"):
            (package / "__init__.py").touch()
        sys.path.insert(0, str(out))
        from waiaas.v1 import rpc_pb2, wallet_pb2  # noqa: E402
        Proto.rpc, Proto.wallet = rpc_pb2, wallet_pb2

        with RpcNode() as node:
            daemon = start(conftest.Daemon(out / "home", ["--rpc-url", node.url]))
            try:
                set_policy_cli(daemon, {"format": 1, "name": "bench", "assets": [
                    {"asset": "SOL", "per_transaction": "1", "windows": [{"period": "24h", "limit": "1000"}]}],
                    "programs": {"include_defaults": True}}, 2)
                with Wallet(Proto, daemon.socket_path) as w:
                    agent = w.agent()
                    blockhash = node.latest_blockhash()
                    destination = Keypair().pubkey()
                    cached = node.create_lookup_table([destination])

                    def legacy(i: int) -> bytes:
                        message = Message.new_with_blockhash([transfer(TransferParams(from_pubkey=agent, to_pubkey=destination, lamports=1000 + i))], agent, blockhash)
                        return bytes(Transaction.new_unsigned(message))

                    def v0(i: int, table) -> bytes:
                        message = MessageV0.try_compile(agent, [transfer(TransferParams(from_pubkey=agent, to_pubkey=destination, lamports=1000 + i))],
                                                        [AddressLookupTableAccount(table, [destination])], blockhash)
                        return bytes(VersionedTransaction.populate(message, [Signature.default()]))

                    cold_tables = [node.create_lookup_table([destination], usable_now=False) for _ in range(args.calls + 20)]

                    def measure(name: str, make, fresh_connection_every: int | None = None) -> list[float]:
                        times = []
                        conn = w
                        for i in range(args.calls + 20):
                            tx = make(i)
                            # Each cold table is a chain read, and a connection may make
                            # 200 at once (docs/RPC.md): a new connection every so often,
                            # set up outside the timed call.
                            if fresh_connection_every and i % fresh_connection_every == 0 and i:
                                if conn is not w:
                                    conn.close()
                                conn = Wallet(Proto, daemon.socket_path)
                            started = time.perf_counter_ns()
                            reply = conn.call(SIGN, wallet_pb2.SignRequest(transaction=tx, dry_run=True))
                            elapsed = (time.perf_counter_ns() - started) / 1000
                            assert reply.code == OK, (name, reply)
                            if i >= 20:
                                times.append(elapsed)
                        if conn is not w:
                            conn.close()
                        return times

                    results = {
                        "legacy (no chain read)": measure("legacy", legacy),
                        "v0, cached table": measure("cached", lambda i: v0(i, cached)),
                        "v0, cold table": measure("cold", lambda i: v0(i, cold_tables[i]), fresh_connection_every=150),
                    }
                base = statistics.median(results["legacy (no chain read)"])
                print(f"Sign dry run, {args.calls} calls each, one call at a time (cold: a new connection every 150, the per-connection chain-read burst), the LiteSVM test node on loopback:")
                for name, times in results.items():
                    times.sort()
                    median = statistics.median(times)
                    p99 = times[int(len(times) * 0.99) - 1]
                    print(f"  {name:24} median {median:8.0f} us   p99 {p99:8.0f} us   {median / base:5.2f}x legacy   added {median - base:7.0f} us")
            finally:
                daemon.stop()
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
