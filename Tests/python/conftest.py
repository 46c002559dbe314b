"""Shared fixtures: protobuf messages generated from Protos/, the built
binaries, and a running waiaasd on a private home."""
from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def bin_dir() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("WAIAAS_BIN", REPO / ".build" / "debug"))
    for name in ("waiaasd", "waiaas"):
        if not (path / name).exists():
            pytest.fail(f"{path / name} is missing: build first (make build) or set WAIAAS_BIN")
    return path


@pytest.fixture(scope="session")
def proto(tmp_path_factory):
    """The waiaas.v1 Python messages, generated now from Protos/ with protoc."""
    out = tmp_path_factory.mktemp("pyproto")
    protos = sorted(str(p.relative_to(REPO / "Protos")) for p in (REPO / "Protos").rglob("*.proto"))
    subprocess.run(["protoc", f"--python_out={out}", "-I", str(REPO / "Protos"), *protos], check=True)
    for package in (out / "waiaas", out / "waiaas" / "v1"):
        (package / "__init__.py").touch()
    sys.path.insert(0, str(out))
    from waiaas.v1 import attestation_pb2, policy_pb2, rpc_pb2, wallet_pb2  # noqa: E402

    class Proto:
        rpc = rpc_pb2
        wallet = wallet_pb2
        attestation = attestation_pb2
        policy = policy_pb2

    return Proto


class Daemon:
    """A waiaasd process on a private home directory."""

    def __init__(self, home: pathlib.Path, extra_args: list[str] | None = None):
        self.home = home
        self.socket_path = str(home / "waiaasd.sock")
        # --dev: a missing home gets a dev keystore, owner key and starter policy.
        self.args = [str(bin_dir() / "waiaasd"), "serve", "--dev", "--home", str(home), *(extra_args or [])]
        self.process: subprocess.Popen | None = None
        self.output = ""

    def start(self, timeout: float = 20.0) -> "Daemon":
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output += line
            if "listening on" in line and line.startswith("waiaasd"):
                return self
        self.process.kill()
        raise AssertionError(f"daemon did not start:\n{self.output}{self.process.stdout.read()}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 20.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"daemon did not stop within {timeout} s after signal {sig}")
        finally:
            if self.process.stdout:
                self.output += self.process.stdout.read() or ""


@pytest.fixture
def daemon_home():
    # Short paths: a Unix socket path has at most 107 bytes.
    home = pathlib.Path(tempfile.mkdtemp(prefix="waiaas-py-"))
    yield home / "home"
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def daemon(daemon_home):
    d = Daemon(daemon_home).start()
    yield d
    d.stop()


class FrameSocket:
    """A plain stdlib Unix-socket client speaking the 4-byte length framing."""

    def __init__(self, path: str, timeout: float = 10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send(self, envelope) -> None:
        body = envelope.SerializeToString()
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def _read(self, n: int) -> bytes | None:
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None if not data else data
            data += chunk
        return data

    def receive(self, proto):
        header = self._read(4)
        if header is None or len(header) < 4:
            return None
        (length,) = struct.unpack(">I", header)
        body = self._read(length)
        assert body is not None and len(body) == length, "short frame"
        envelope = proto.rpc.Envelope()
        envelope.ParseFromString(body)
        return envelope

    def close(self) -> None:
        self.sock.close()
