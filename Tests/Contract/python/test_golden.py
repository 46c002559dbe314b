"""golden.json, byte for byte: the generated Python messages (protoc --python_out)
and the client's framing encode every canonical message to exactly its bytes
and decode the bytes back to the same field values."""
import json
import os
import struct

import pytest
from google.protobuf import symbol_database

import waiaas  # noqa: F401  (registers every message type)
from waiaas import _rpc
from contract_json import from_json, to_json

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "..", "golden.json"), encoding="utf-8"))


def cases():
    for name, m in GOLDEN["methods"].items():
        for part in ("request", "response", "request_envelope", "response_envelope"):
            yield f"{name}.{part}", m[part]
    for group in ("errors", "messages"):
        for name, e in GOLDEN[group].items():
            yield f"{group}.{name}", e


CASES = list(cases())


def message_class(full_name):
    return symbol_database.Default().GetSymbol(full_name)


@pytest.mark.parametrize("label,case", CASES, ids=[c[0] for c in CASES])
def test_encode_exact_bytes(label, case):
    msg = from_json(message_class(case["type"]), case["fields"])
    assert msg.SerializeToString().hex() == case["hex"]


@pytest.mark.parametrize("label,case", CASES, ids=[c[0] for c in CASES])
def test_decode_back(label, case):
    msg = message_class(case["type"]).FromString(bytes.fromhex(case["hex"]))
    assert to_json(msg) == case["fields"]


@pytest.mark.parametrize("name", list(GOLDEN["methods"]))
def test_envelopes_carry_the_messages(name):
    m = GOLDEN["methods"][name]
    assert m["request_envelope"]["fields"].get("payload", "") == m["request"]["hex"]
    assert m["response_envelope"]["fields"].get("payload", "") == m["response"]["hex"]
    assert m["request_envelope"]["fields"]["method"] == m["path"]


@pytest.mark.parametrize("name", list(GOLDEN["methods"]))
def test_client_request_frame(name):
    """The client's own frame writer: 4-byte big-endian length, then exactly the golden envelope."""
    m = GOLDEN["methods"][name]
    f = m["request_envelope"]["fields"]
    frame = _rpc._request_frame(int(f["call_id"]), f["method"], bytes.fromhex(f.get("payload", "")), 5.0,
                                f["metadata"])
    body = bytes.fromhex(m["request_envelope"]["hex"])
    assert frame == struct.pack(">I", len(body)) + body
