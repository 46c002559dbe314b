"""A live waiaasd for the contract scenarios and the benchmark: started with
`waiaasd serve --dev --home TMP/home`, its agent read from the banner.

WAIAAS_BIN names the directory holding waiaasd (default: .build/debug)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import struct
import subprocess
import tempfile
import time
from typing import Optional

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIOS = json.load(open(os.path.join(os.path.dirname(__file__), "scenarios.json"), encoding="utf-8"))

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(s: str) -> bytes:
    n = 0
    for ch in s:
        n = n * 58 + BASE58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(s) - len(s.lstrip("1"))) + body


def wait_until_stopped(pid: int, seconds: float = 5.0) -> None:
    """Waits until every thread of `pid` is in state T (stopped)."""
    deadline = time.monotonic() + seconds
    task_dir = f"/proc/{pid}/task"
    while time.monotonic() < deadline:
        states = []
        for tid in os.listdir(task_dir):
            try:
                with open(f"{task_dir}/{tid}/stat") as f:
                    states.append(f.read().rsplit(")", 1)[1].split()[0])
            except FileNotFoundError:
                continue
        if states and all(s in ("T", "t") for s in states):
            return
        time.sleep(0.001)
    raise AssertionError(f"daemon {pid} did not stop within {seconds} s")


class Daemon:
    def __init__(self, bin_dir: Optional[str] = None) -> None:
        bin_dir = bin_dir or os.environ.get("WAIAAS_BIN") or os.path.join(ROOT, ".build", "debug")
        self.tmp = tempfile.TemporaryDirectory(prefix="waiaas-contract-")
        self.home = os.path.join(self.tmp.name, "home")
        self.socket = os.path.join(self.home, "waiaasd.sock")
        self.log_path = os.path.join(self.tmp.name, "daemon.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([os.path.join(bin_dir, "waiaasd"), "serve", "--dev", "--home", self.home],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        text = ""
        while time.time() < deadline:
            text = open(self.log_path).read()
            if "listening on" in text and os.path.exists(self.socket):
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"waiaasd exited with {self.proc.returncode}:\n{text}")
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError(f"waiaasd did not start:\n{text}")
        m = re.search(r"^agent: (\w+)", text, re.M)
        assert m, text
        self.agent = b58decode(m.group(1))
        owner = json.load(open(os.path.join(self.home, "owner-dev.json")))
        self.owner_keypair_bytes = bytes(owner)

    def pause(self) -> None:
        # SIGSTOP takes effect asynchronously: wait until every thread of the
        # daemon is stopped, so no call sent after pause() can be answered.
        os.kill(self.proc.pid, signal.SIGSTOP)
        wait_until_stopped(self.proc.pid)

    def resume(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.tmp.cleanup()


DESTINATION = bytes([0x33]) * 32
BLOCKHASH = bytes([0x42]) * 32


def transfer(agent: bytes, lamports: int) -> tuple:
    """(transaction bytes with one zeroed signature slot, message bytes): a legacy System transfer."""
    message = (bytes([1, 0, 1, 3]) + agent + DESTINATION + bytes(32) + BLOCKHASH
               + bytes([1, 2, 2, 0, 1, 12]) + struct.pack("<IQ", 2, lamports))
    return bytes([1]) + bytes(64) + message, message


def set_policy_message(agent: bytes, version: int, policy: bytes) -> bytes:
    return b"\xffwaiaas set-policy v1\x00" + agent + struct.pack(">Q", version) + hashlib.sha256(policy).digest()
