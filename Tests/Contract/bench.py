#!/usr/bin/env python3
"""Calls per second from the generated Python client against a fresh dev daemon,
at 1 and 16 concurrent calls (a benchmark, not a test):

    WAIAAS_BIN=.build/debug python3 Tests/Contract/bench.py [seconds-per-run]

GetStatus measures the RPC path; Sign signs distinct small transfers (each a
ledger commit). The blocking client runs N threads on one connection; the
asyncio client runs N tasks on one connection.
"""
import asyncio
import itertools
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))
sys.path.insert(0, HERE)

from live import Daemon, transfer  # noqa: E402
from waiaas import AsyncWalletClient, WalletClient  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
lamports = itertools.count(1000)  # distinct transactions: no replays


def request(d, method):
    if method == "sign":
        return {"transaction": transfer(d.agent, next(lamports))[0]}
    return {}


def blocking(d, method, n):
    with WalletClient(d.socket) as c:
        fn = getattr(c, method)
        count = [0] * n
        stop = time.monotonic() + SECONDS

        def worker(i):
            while time.monotonic() < stop:
                fn(request(d, method))
                count[i] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(count) / (time.monotonic() - t0)


def asyncio_run(d, method, n):
    async def main():
        async with AsyncWalletClient(d.socket) as c:
            fn = getattr(c, method)
            stop = time.monotonic() + SECONDS
            done = 0

            async def worker():
                nonlocal done
                while time.monotonic() < stop:
                    await fn(request(d, method))
                    done += 1

            t0 = time.monotonic()
            await asyncio.gather(*[worker() for _ in range(n)])
            return done / (time.monotonic() - t0)

    return asyncio.run(main())


def main():
    d = Daemon()
    try:
        for method in ("get_status", "sign"):
            for flavour, run in (("blocking", blocking), ("asyncio", asyncio_run)):
                for n in (1, 16):
                    print(f"python {flavour:8} {method:10} concurrency {n:2}: {run(d, method, n):8.0f} calls/s", flush=True)
    finally:
        d.stop()


if __name__ == "__main__":
    main()
