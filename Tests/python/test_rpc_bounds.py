"""Per-connection bounds against a real daemon over real sockets: a client
that sends without ever reading its answers must not grow the daemon's
memory, nor slow anyone else, and is closed once it has stalled for the
idle timeout; an idle connection is closed; the daemon keeps serving."""
from __future__ import annotations

import socket
import struct
import threading
import time

import pytest

from conftest import Daemon, FrameSocket
from wallet_helpers import drain_output

GET_STATUS = "/waiaas.v1.Wallet/GetStatus"
UNAVAILABLE = 14

FLOOD_SECONDS = 10.0
RSS_BOUND_MB = 100.0
IDLE_TIMEOUT_S = 3


def vm_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def get_status_frames(proto, first_id: int, count: int) -> bytes:
    out = bytearray()
    for call_id in range(first_id, first_id + count):
        body = proto.rpc.Envelope(call_id=call_id, method=GET_STATUS).SerializeToString()
        out += struct.pack(">I", len(body)) + body
    return bytes(out)


def unknown_method_frames(proto, count: int, name_bytes: int) -> bytes:
    """Calls of a method that does not exist: each refusal echoes the long
    method path twice (in `method` and in the message), so the answers
    outweigh the requests."""
    method = "/waiaas.v1.Wallet/" + "N" * name_bytes
    out = bytearray()
    for call_id in range(1, count + 1):
        body = proto.rpc.Envelope(call_id=call_id, method=method).SerializeToString()
        out += struct.pack(">I", len(body)) + body
    return bytes(out)


def status_call(path: str, proto, call_id: int = 1, timeout: float = 5.0):
    """One GetStatus on a fresh connection; the response, answered within `timeout`."""
    s = FrameSocket(path, timeout=timeout)
    try:
        s.send(proto.rpc.Envelope(call_id=call_id, method=GET_STATUS))
        answer = s.receive(proto)
        assert answer is not None and answer.status.code == 0, answer
        response = proto.wallet.GetStatusResponse()
        response.ParseFromString(answer.payload)
        return response
    finally:
        s.close()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def started(home, args: list[str]) -> Daemon:
    d = Daemon(home, args).start()
    drain_output(d)  # the pipe must never fill and block the daemon's logging
    return d


@pytest.fixture
def default_daemon(daemon_home):
    """Default limits: the idle timeout (300 s) is far beyond the flood, so
    only back-pressure can bound it."""
    d = started(daemon_home, [])
    yield d
    d.stop()


@pytest.fixture
def idle_daemon(daemon_home):
    d = started(daemon_home, ["--idle-timeout", str(IDLE_TIMEOUT_S)])
    yield d
    d.stop()


class Flooder:
    """Sends small GetStatus requests as fast as the socket takes them and
    never reads an answer, for `seconds` (or until the daemon closes it)."""

    def __init__(self, path: str, chunk: bytes, seconds: float):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.sock.settimeout(0.5)
        self.chunk = chunk  # sent again and again: its call ids are long answered by then
        self.sent_bytes = 0
        self.closed_by_daemon = False
        self.end = time.monotonic() + seconds
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        view = memoryview(self.chunk)
        offset = 0
        while time.monotonic() < self.end:
            try:
                sent = self.sock.send(view[offset:])
            except socket.timeout:
                continue  # the daemon stopped reading: keep pushing anyway
            except OSError:
                self.closed_by_daemon = True
                return
            self.sent_bytes += sent
            offset = (offset + sent) % len(self.chunk)


def test_a_client_that_never_reads_cannot_grow_the_daemon(default_daemon, proto):
    pid = default_daemon.process.pid
    before = vm_rss_mb(pid)
    # 35-byte GetStatus requests, as the review's client; and refusals,
    # whose answers are twice the size of the requests.
    flooders = [Flooder(default_daemon.socket_path, get_status_frames(proto, 1, 1000), FLOOD_SECONDS),
                Flooder(default_daemon.socket_path, unknown_method_frames(proto, 16, 2048), FLOOD_SECONDS)]
    peak = before
    slowest = 0.0
    calls = 0
    while any(f.thread.is_alive() for f in flooders):
        peak = max(peak, vm_rss_mb(pid))
        started = time.monotonic()
        status_call(default_daemon.socket_path, proto, call_id=calls + 1)
        slowest = max(slowest, time.monotonic() - started)
        calls += 1
        time.sleep(0.2)
    peak = max(peak, vm_rss_mb(pid))
    print(f"\nRSS before {before:.1f} MB, peak {peak:.1f} MB; the flooders sent {flooders[0].sent_bytes // 35} GetStatus "
          f"and {flooders[1].sent_bytes / 1e6:.1f} MB of refused calls; {calls} GetStatus from another client, "
          f"slowest {slowest * 1000:.0f} ms")
    assert calls > 0
    assert peak < RSS_BOUND_MB, f"daemon RSS reached {peak:.1f} MB under clients that never read"
    for flooder in flooders:
        flooder.sock.close()
    # The daemon notices the close and keeps serving.
    wait_for(lambda: status_call(default_daemon.socket_path, proto).connections == 1, 10, "the flooder's connection is gone")
    assert vm_rss_mb(pid) < RSS_BOUND_MB


def test_a_stalled_client_is_closed_after_the_idle_timeout(idle_daemon, proto):
    # Fill both directions, then stop: nothing moves on this connection any more.
    flooder = Flooder(idle_daemon.socket_path, get_status_frames(proto, 1, 1000), 1.0)
    flooder.thread.join()
    assert status_call(idle_daemon.socket_path, proto).connections == 2
    wait_for(lambda: status_call(idle_daemon.socket_path, proto).connections == 1,
             IDLE_TIMEOUT_S + 10, "the stalled connection is closed")
    flooder.sock.close()


def test_an_idle_connection_is_told_and_closed(idle_daemon, proto):
    idle = FrameSocket(idle_daemon.socket_path, timeout=IDLE_TIMEOUT_S + 10)
    idle.send(proto.rpc.Envelope(call_id=1, method=GET_STATUS))
    assert idle.receive(proto).status.code == 0
    started = time.monotonic()
    notice = idle.receive(proto)
    assert notice is not None and notice.call_id == 0, notice
    assert notice.status.code == UNAVAILABLE and "idle" in notice.status.message, notice.status
    assert idle.receive(proto) is None  # closed
    assert time.monotonic() - started >= IDLE_TIMEOUT_S - 0.5
    # A busy connection is not idle: calls spaced under the timeout keep it open.
    busy = FrameSocket(idle_daemon.socket_path)
    for call_id in range(1, 5):
        busy.send(proto.rpc.Envelope(call_id=call_id, method=GET_STATUS))
        assert busy.receive(proto).status.code == 0
        time.sleep(IDLE_TIMEOUT_S / 2)
    busy.close()
