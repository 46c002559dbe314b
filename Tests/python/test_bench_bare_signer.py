"""waiaas-bare-signer, the bench's floor peer (make bench): its answers must be
real ed25519 signatures over what was sent, or the floor it sets would be a
fiction; and a malformed frame ends that connection, not the signer."""
from __future__ import annotations

import os
import socket
import struct
import subprocess
import time

import pytest
from solders.pubkey import Pubkey
from solders.signature import Signature

from conftest import bin_dir

REQUEST_IDENTITIES, IDENTITIES_ANSWER, SIGN_REQUEST, SIGN_RESPONSE, FAILURE = 11, 12, 13, 14, 5


def ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def read_string(data: bytes, offset: int) -> tuple[bytes, int]:
    (length,) = struct.unpack_from(">I", data, offset)
    return data[offset + 4:offset + 4 + length], offset + 4 + length


def call(sock: socket.socket, body: bytes) -> bytes:
    sock.sendall(struct.pack(">I", len(body)) + body)
    header = sock.recv(4, socket.MSG_WAITALL)
    if len(header) < 4:
        raise ConnectionError("closed")
    (length,) = struct.unpack(">I", header)
    return sock.recv(length, socket.MSG_WAITALL)


@pytest.fixture
def bare_signer(tmp_path):
    path = str(tmp_path / "bare.sock")
    process = subprocess.Popen([str(bin_dir() / "waiaas-bare-signer"), path], stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"listening\n"
    yield path, process
    process.kill()
    process.wait()


def connect(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(path)
    return sock


def identity(sock: socket.socket) -> tuple[bytes, Pubkey]:
    answer = call(sock, bytes([REQUEST_IDENTITIES]))
    assert answer[0] == IDENTITIES_ANSWER and struct.unpack_from(">I", answer, 1)[0] == 1
    blob, _ = read_string(answer, 5)
    kind, offset = read_string(blob, 0)
    key, _ = read_string(blob, offset)
    assert kind == b"ssh-ed25519" and len(key) == 32
    return blob, Pubkey.from_bytes(key)


def test_signatures_verify_against_the_key_it_lists(bare_signer):
    path, _ = bare_signer
    with connect(path) as sock:
        blob, key = identity(sock)
        for message in (b"", b"\x5a" * 200, os.urandom(1000)):
            answer = call(sock, bytes([SIGN_REQUEST]) + ssh_string(blob) + ssh_string(message) + b"\0\0\0\0")
            assert answer[0] == SIGN_RESPONSE
            inner, _ = read_string(answer, 1)
            kind, offset = read_string(inner, 0)
            signature, _ = read_string(inner, offset)
            assert kind == b"ssh-ed25519"
            assert Signature.from_bytes(signature).verify(key, message)
            assert not Signature.from_bytes(signature).verify(key, message + b"x")


def test_malformed_requests_fail_or_close_and_the_signer_goes_on(bare_signer):
    path, process = bare_signer
    with connect(path) as sock:
        blob, _ = identity(sock)
        # A data length past the frame's end, and an unknown type: refused.
        assert call(sock, bytes([SIGN_REQUEST]) + ssh_string(blob) + struct.pack(">I", 5000) + b"ab") == bytes([FAILURE])
        assert call(sock, bytes([99])) == bytes([FAILURE])
    for frame in (struct.pack(">I", 0), struct.pack(">I", 1 << 30) + b"\x0d"):
        with connect(path) as sock:
            sock.sendall(frame)
            try:
                assert sock.recv(4) == b""  # closed without an answer
            except ConnectionResetError:
                pass  # closed with the frame's bytes unread: also no answer
    time.sleep(0.05)
    assert process.poll() is None
    with connect(path) as sock:
        identity(sock)
