"""The daemon's wire protocol, seen from a language that is not Swift:
messages generated from Protos/ by protoc --python_out, a stdlib socket."""
from __future__ import annotations

import json
import os
import pathlib
import struct
import subprocess

from conftest import REPO, FrameSocket, bin_dir

GET_STATUS = "/waiaas.v1.Wallet/GetStatus"


def test_get_status(daemon, proto):
    s = FrameSocket(daemon.socket_path)
    s.send(proto.rpc.Envelope(call_id=1, method=GET_STATUS, payload=proto.wallet.GetStatusRequest().SerializeToString()))
    answer = s.receive(proto)
    assert answer.call_id == 1
    assert answer.HasField("status") and answer.status.code == 0
    status = proto.wallet.GetStatusResponse()
    status.ParseFromString(answer.payload)
    assert status.version
    assert status.connections == 1
    assert status.platform == "software"


def test_pipelined_calls_each_answered_once(daemon, proto):
    s = FrameSocket(daemon.socket_path)
    frames = b""
    for call_id in range(1, 101):
        body = proto.rpc.Envelope(call_id=call_id, method=GET_STATUS).SerializeToString()
        frames += struct.pack(">I", len(body)) + body
    s.send_raw(frames)  # all 100 before reading any answer
    seen: dict[int, int] = {}
    for _ in range(100):
        answer = s.receive(proto)
        assert answer is not None
        assert answer.status.code == 0, answer.status.message
        assert answer.method == GET_STATUS
        seen[answer.call_id] = seen.get(answer.call_id, 0) + 1
    assert seen == {i: 1 for i in range(1, 101)}


def test_unimplemented_methods_name_what_provides_them(daemon, proto):
    s = FrameSocket(daemon.socket_path)
    s.send(proto.rpc.Envelope(call_id=5, method="/waiaas.v1.Wallet/NoSuchMethod"))
    answer = s.receive(proto)
    assert (answer.call_id, answer.status.code) == (5, 12)
    assert "unknown method /waiaas.v1.Wallet/NoSuchMethod" == answer.status.message


def test_garbage_frame_gets_status_on_call_zero_then_close(daemon, proto):
    healthy = FrameSocket(daemon.socket_path)
    bad = FrameSocket(daemon.socket_path)
    bad.send_raw(b"\x00\x00\x00\x04\xff\xff\xff\xff")
    answer = bad.receive(proto)
    assert answer.call_id == 0 and answer.status.code == 3
    assert "not a waiaas.v1.Envelope" in answer.status.message
    assert bad.receive(proto) is None  # closed
    healthy.send(proto.rpc.Envelope(call_id=1, method=GET_STATUS))
    assert healthy.receive(proto).status.code == 0


def test_cli_status_json(daemon):
    out = subprocess.run(
        [str(bin_dir() / "waiaas"), "status", "--socket", daemon.socket_path, "--json"],
        check=True, capture_output=True, text=True, timeout=30,
    )
    status = json.loads(out.stdout)
    assert status["platform"] == "software"
    assert status["connections"] == 1
    assert status["uptime_ms"] >= 0


def test_cli_status_without_daemon_fails_clearly(daemon_home):
    out = subprocess.run(
        [str(bin_dir() / "waiaas"), "status", "--socket", str(daemon_home) + "/none.sock"],
        capture_output=True, text=True, timeout=30,
    )
    assert out.returncode != 0
    assert "cannot connect" in out.stderr


def test_sigterm_removes_socket_and_exits_zero(daemon_home):
    from conftest import Daemon
    d = Daemon(daemon_home).start()
    assert os.path.exists(d.socket_path)
    assert d.stop() == 0
    assert not os.path.exists(d.socket_path)


def test_second_daemon_on_same_socket_refuses(daemon, daemon_home):
    out = subprocess.run(
        [str(bin_dir() / "waiaasd"), "serve", "--dev", "--home", str(daemon_home)],
        capture_output=True, text=True, timeout=30,
    )
    assert out.returncode != 0
    assert "another daemon is listening" in out.stderr


def test_protocol_doc_frame_matches_the_wire(proto):
    """docs/PROTOCOL.md shows a real frame in hex; it must be what the
    protos encode, byte for byte."""
    doc = (REPO / "docs" / "PROTOCOL.md").read_text()
    marker = "<!-- frame-example -->"
    assert marker in doc
    block = doc.split(marker, 1)[1].split("```", 2)[1]
    hex_text = "".join(block.split()[1:] if block.split()[0] == "text" else block.split())
    frame = bytes.fromhex(hex_text)
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4
    envelope = proto.rpc.Envelope()
    envelope.ParseFromString(frame[4:])
    assert envelope.call_id == 7
    assert envelope.method == GET_STATUS
    assert envelope.timeout_ms == 5000
    assert dict(envelope.metadata) == {"request-id": "r1"}
    expected = proto.rpc.Envelope(call_id=7, method=GET_STATUS, timeout_ms=5000, metadata={"request-id": "r1"})
    assert envelope.SerializeToString(deterministic=True) == frame[4:]
    assert expected.SerializeToString(deterministic=True) == frame[4:]


def test_a_string_holding_a_nul_is_refused_not_cut(daemon, proto):
    """protobuf-c ends strings at their first NUL; the daemon refuses such a
    string instead of reading the part before it (the method as GetStatus,
    a client reference recorded shorter than it was sent)."""
    from wallet_helpers import Wallet, fresh_pubkey, transfer_tx
    bad = FrameSocket(daemon.socket_path)
    bad.send(proto.rpc.Envelope(call_id=7, method=GET_STATUS + "\x00anything"))
    answer = bad.receive(proto)
    assert answer.call_id == 0 and answer.status.code == 3, answer
    assert "string field method holds a NUL byte" in answer.status.message, answer.status.message
    assert bad.receive(proto) is None  # closed, as for any envelope that does not decode

    with Wallet(proto, daemon.socket_path) as w:
        agent = w.agent()
        head = w.status().ledger_sequence
        reply = w.sign(transfer_tx(agent, fresh_pubkey(), 1_000), reference="invoice-1\x00-and-more")
        assert reply.code == 3 and "client_reference holds a NUL byte" in reply.message, reply
        assert reply.payload == b"", "no SignResponse, so no signature"
        assert w.status().ledger_sequence == head, "an undecodable request writes no row"
        # The reference without the NUL is accepted and decoded whole.
        ok = w.sign(transfer_tx(agent, fresh_pubkey(), 1_000), dry_run=True, reference="invoice-1-and-more")
        assert ok.code != 3, ok
