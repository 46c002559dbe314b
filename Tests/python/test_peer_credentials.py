"""Peer check as OpenSSH tests its agent: open the socket and its directory
to everyone on purpose, connect as another uid, expect UNAUTHENTICATED; the
daemon's own uid still gets through."""
from __future__ import annotations

import os
import pwd
import struct

import pytest

from conftest import FrameSocket

GET_STATUS = "/waiaas.v1.Wallet/GetStatus"


def _call_as(uid: int, gid: int, socket_path: str, proto) -> tuple[int, int, str]:
    """Forks, drops to uid/gid in the child, calls GetStatus; returns
    (call id, code, message) of the first answer."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            s = FrameSocket(socket_path)
            try:
                s.send(proto.rpc.Envelope(call_id=1, method=GET_STATUS))
            except BrokenPipeError:
                pass  # the daemon may refuse and close before our request is written; its answer is still there
            answer = s.receive(proto)
            result = f"{answer.call_id}\t{answer.status.code}\t{answer.status.message}" if answer else "none"
            os.write(write_end, result.encode())
        except BaseException as error:  # report anything to the parent
            os.write(write_end, f"error\t{error!r}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 4096):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    fields = data.decode().split("\t")
    assert len(fields) == 3, f"child failed: {data!r}"
    return int(fields[0]), int(fields[1]), fields[2]


def test_other_uid_is_refused_even_with_a_world_open_socket(daemon, proto):
    if os.geteuid() != 0:
        pytest.fail("this test needs root to switch to another uid (CI runs as root)")
    nobody = pwd.getpwnam("nobody")
    # Make the path reachable for everyone, so only the credential check stands.
    home = os.path.dirname(daemon.socket_path)
    for path in (os.path.dirname(home), home):
        os.chmod(path, 0o777)
    os.chmod(daemon.socket_path, 0o777)

    call_id, code, message = _call_as(nobody.pw_uid, nobody.pw_gid, daemon.socket_path, proto)
    assert (call_id, code) == (0, 16), message  # UNAUTHENTICATED on call id 0
    assert f"peer uid {nobody.pw_uid} is not allowed" in message

    # The allowed uid (ours) still gets through.
    s = FrameSocket(daemon.socket_path)
    s.send(proto.rpc.Envelope(call_id=2, method=GET_STATUS))
    answer = s.receive(proto)
    assert (answer.call_id, answer.status.code) == (2, 0)


def test_explicitly_allowed_uid_gets_through(daemon_home, proto):
    if os.geteuid() != 0:
        pytest.fail("this test needs root to switch to another uid (CI runs as root)")
    from conftest import Daemon
    nobody = pwd.getpwnam("nobody")
    d = Daemon(daemon_home, ["--allow-uid", str(nobody.pw_uid), "--allow-uid", "0"]).start()
    try:
        home = os.path.dirname(d.socket_path)
        for path in (os.path.dirname(home), home):
            os.chmod(path, 0o777)
        os.chmod(d.socket_path, 0o777)
        call_id, code, message = _call_as(nobody.pw_uid, nobody.pw_gid, d.socket_path, proto)
        assert (call_id, code) == (1, 0), message
    finally:
        d.stop()
