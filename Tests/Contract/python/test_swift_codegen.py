"""protoc-gen-waiaas lang=swift against Google's Python protobuf.

The fixture protos in Tests/Contract/codegen hold every field kind the
generator handles. This test generates their Swift wrappers and protoc-c
code, compiles them with the generator's runtime (Sources/WaiaasProto's
CMessageCodec.swift, ProtoMessage.swift, StringFieldScan.swift) into a small
check program, and compares what it encodes and decodes with the Python
protobuf encoding of the same messages, byte for byte. The product's own protos go through the
same generator and are exercised by the Swift, Python and JavaScript
contract tests; this covers the kinds they do not use (oneof messages,
repeated enums and bools, zigzag and fixed encodings, keyword names).
"""
import importlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Contract", "codegen")


def plugin_path() -> str:
    subprocess.run(["swift", "build", "--product", "protoc-gen-waiaas"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "protoc-gen-waiaas")


def run_plugin(plugin, proto_dir, protos, parameter, out):
    return subprocess.run(
        ["protoc", f"--plugin=protoc-gen-waiaas={plugin}", f"--waiaas_out={parameter}:{out}", *protos],
        cwd=proto_dir, capture_output=True, text=True)


PACKAGE = """// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "kitchen",
    targets: [
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c"),
        .target(name: "CKitchen", dependencies: ["CProtobufC"]),
        .target(name: "Kitchen", dependencies: ["CKitchen", "CProtobufC"]),
        .executableTarget(name: "kitchen-check", dependencies: ["Kitchen"]),
    ]
)
"""


@pytest.fixture(scope="module")
def workspace():
    plugin = plugin_path()
    tmp = tempfile.mkdtemp(prefix="waiaas-swift-codegen-")
    try:
        src = os.path.join(tmp, "Sources")
        generated = os.path.join(tmp, "generated")
        os.makedirs(generated)
        result = run_plugin(plugin, FIXTURES, ["kitchen.proto", "strict.proto"],
                            "lang=swift,strict=strict.proto,c_module=CKitchen,proto_module=Kitchen,rpc_module=KitchenRPC,client_module=KitchenClient",
                            generated)
        assert result.returncode == 0, result.stderr
        # protoc-c output into the C target; Python output for the reference.
        c_dir = os.path.join(src, "CKitchen")
        os.makedirs(os.path.join(c_dir, "include"))
        subprocess.run(["protoc-c", f"--c_out={c_dir}", "kitchen.proto", "strict.proto"], cwd=FIXTURES, check=True)
        for name in ("kitchen", "strict"):
            shutil.move(os.path.join(c_dir, f"{name}.pb-c.h"), os.path.join(c_dir, "include", f"{name}.pb-c.h"))
        with open(os.path.join(c_dir, "include", "CKitchen.h"), "w") as f:
            f.write('#include "kitchen.pb-c.h"\n#include "strict.pb-c.h"\n')
        python_dir = os.path.join(tmp, "python")
        os.makedirs(python_dir)
        subprocess.run(["protoc", f"--python_out={python_dir}", "kitchen.proto", "strict.proto"], cwd=FIXTURES, check=True)
        # The Swift module: generated messages plus the runtime they call.
        swift_dir = os.path.join(src, "Kitchen")
        shutil.copytree(os.path.join(generated, "Kitchen"), swift_dir)
        for runtime in ("CMessageCodec.swift", "ProtoMessage.swift", "StringFieldScan.swift"):
            with open(os.path.join(ROOT, "Sources", "WaiaasProto", runtime)) as f:
                text = f.read().replace("CWaiaasProto", "CKitchen")
            with open(os.path.join(swift_dir, runtime), "w") as f:
                f.write(text)
        shutil.copytree(os.path.join(ROOT, "Sources", "CProtobufC"), os.path.join(src, "CProtobufC"))
        os.makedirs(os.path.join(src, "kitchen-check"))
        shutil.copy(os.path.join(FIXTURES, "main.swift"), os.path.join(src, "kitchen-check", "main.swift"))
        with open(os.path.join(tmp, "Package.swift"), "w") as f:
            f.write(PACKAGE)
        build = subprocess.run(["swift", "build", "--product", "kitchen-check"], cwd=tmp, capture_output=True, text=True)
        assert build.returncode == 0, build.stdout + build.stderr
        assert "warning:" not in build.stdout + build.stderr, build.stdout + build.stderr
        bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout.strip()
        sys.path.insert(0, python_dir)
        try:
            kitchen = importlib.import_module("kitchen_pb2")
            strict = importlib.import_module("strict_pb2")
        finally:
            sys.path.remove(python_dir)
        yield {"check": os.path.join(bin_dir, "kitchen-check"), "kitchen": kitchen, "strict": strict,
               "generated": generated, "plugin": plugin, "tmp": tmp}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ask(ws, lines):
    """Sends command lines to the check program; returns its answer lines."""
    out = subprocess.run([ws["check"]], input="".join(l + "\n" for l in lines), capture_output=True, text=True, check=True)
    answers = out.stdout.splitlines()
    assert len(answers) == len(lines)
    return answers


def roundtrip(ws, type_name, data: bytes) -> str:
    return ask(ws, [f"roundtrip {type_name} {data.hex()}"])[0]


def test_swift_values_land_in_the_right_fields(workspace):
    k = workspace["kitchen"]
    answer = ask(workspace, ["build"])[0]
    assert answer.startswith("ok ")
    data = bytes.fromhex(answer[3:])
    m = k.Everything.FromString(data)
    assert (m.d, m.f, m.i64, m.u64, m.i32, m.fx64, m.fx32) == (1.5, 2.25, -3, 2**64 - 1, -5, 6, 7)
    assert (m.flag, m.text, m.blob, m.u32, m.color) == (True, "häagen", b"\x00\xff", 11, k.COLOR_DARK_BLUE)
    assert (m.sfx32, m.sfx64, m.s32, m.s64) == (-13, -14, -15, -16)
    assert m.inner.label == "in"
    assert list(m.many_i64) == [1, -2, 3] and list(m.many_flags) == [True, False, True]
    assert list(m.texts) == ["a", "b"] and list(m.blobs) == [b"", b"\x01"]
    assert [i.label for i in m.inners] == ["x", "y"] and list(m.colors) == [k.COLOR_RED, 7]
    assert list(m.many_d) == [0.5, -0.25] and list(m.many_s32) == [-1, 2]
    assert dict(m.labels) == {"a": "1", "b": "2"}
    assert m.WhichOneof("choice") == "choice_inner" and m.choice_inner.label == "ci"
    assert (m.request_id, m.elapsed_ms, m.digest_sha256) == ("r-1", 31, b"\x20" * 32)
    assert getattr(m, "default") is True and m.nested.depth == 34
    # Same bytes as Python's deterministic encoding (field order, packing, sorted map keys).
    assert data == m.SerializeToString(deterministic=True)


def test_enum_names(workspace):
    answer = ask(workspace, ["names"])[0].split(" ")
    assert answer == ["ok", "dark_blue", "color_9", "COLOR_RED", "nil", "false", "/kitchen.v1.Kitchen/Cook"]


def random_everything(k, rng):
    m = k.Everything()
    text = lambda: "".join(rng.choice("aé€𝄞 z") for _ in range(rng.randint(0, 6)))
    data = lambda: bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))
    fields = {
        "d": lambda: rng.choice([0.5, -1e300, 3.25, 1e-300]), "f": lambda: rng.choice([0.5, -2.0, 1024.0]),
        "i64": lambda: rng.randint(-2**63, 2**63 - 1), "u64": lambda: rng.randint(0, 2**64 - 1),
        "i32": lambda: rng.randint(-2**31, 2**31 - 1), "fx64": lambda: rng.randint(0, 2**64 - 1),
        "fx32": lambda: rng.randint(0, 2**32 - 1), "flag": lambda: True, "text": text, "blob": data,
        "u32": lambda: rng.randint(0, 2**32 - 1), "color": lambda: rng.choice([1, 2, 5, -1, -2**31]),
        "sfx32": lambda: rng.randint(-2**31, 2**31 - 1), "sfx64": lambda: rng.randint(-2**63, 2**63 - 1),
        "s32": lambda: rng.randint(-2**31, 2**31 - 1), "s64": lambda: rng.randint(-2**63, 2**63 - 1),
        "request_id": text, "elapsed_ms": lambda: rng.randint(0, 2**64 - 1), "digest_sha256": data,
    }
    for name, make in fields.items():
        if rng.random() < 0.6:
            setattr(m, name, make())
    if rng.random() < 0.5:
        setattr(m, "default", True)
    if rng.random() < 0.5:
        m.inner.label = text()  # present even when empty
    if rng.random() < 0.3:
        m.nested.depth = rng.randint(-5, 5)
    m.many_i64.extend(rng.randint(-2**63, 2**63 - 1) for _ in range(rng.randint(0, 4)))
    m.many_flags.extend(rng.choice([True, False]) for _ in range(rng.randint(0, 4)))
    m.texts.extend(text() for _ in range(rng.randint(0, 3)))
    m.blobs.extend(data() for _ in range(rng.randint(0, 3)))
    for _ in range(rng.randint(0, 3)):
        m.inners.add().label = text()
    m.colors.extend(rng.choice([0, 1, 2, 9, -7]) for _ in range(rng.randint(0, 4)))
    m.many_d.extend(rng.choice([0.0, 1.5, -2.5]) for _ in range(rng.randint(0, 3)))
    m.many_s32.extend(rng.randint(-2**31, 2**31 - 1) for _ in range(rng.randint(0, 3)))
    for _ in range(rng.randint(0, 3)):
        m.labels[text()] = text()
    choice = rng.choice([None, "text", "inner", "number"])
    if choice == "text":
        m.choice_text = text()
    elif choice == "inner":
        m.choice_inner.label = text()
    elif choice == "number":
        m.choice_number = rng.choice([0, 1, 2**64 - 1])  # 0 still counts as set
    return m


def test_random_messages_round_trip_byte_for_byte(workspace):
    k = workspace["kitchen"]
    rng = random.Random(20261125)
    messages = [random_everything(k, rng) for _ in range(300)]
    expected = [m.SerializeToString(deterministic=True) for m in messages]
    answers = ask(workspace, [f"roundtrip Everything {e.hex()}" for e in expected])
    exact = 0
    for message, want, got in zip(messages, expected, answers):
        assert got.startswith("ok "), (got, message)
        assert k.Everything.FromString(bytes.fromhex(got[3:])) == message
        # Map entries have more than one valid encoding (protobuf-c leaves out
        # an empty key or value, Python writes them), so bytes are compared
        # exactly where there is no map.
        if not message.labels:
            assert got == "ok " + want.hex(), message
            exact += 1
    assert exact > 50


def test_a_nested_message_decodes_on_its_own(workspace):
    k = workspace["kitchen"]
    data = k.Everything.Nested(depth=-9).SerializeToString()
    assert roundtrip(workspace, "Nested", data) == "ok " + data.hex()
    assert roundtrip(workspace, "Nested", data[:-1]) == "error malformed"


def test_unknown_fields_are_skipped_outside_strict_files(workspace):
    k = workspace["kitchen"]
    known = k.Everything(u32=5).SerializeToString()
    unknown = bytes([0xA8, 0x06, 0x01])  # field 101, varint 1
    assert roundtrip(workspace, "Everything", known + unknown) == "ok " + known.hex()


def test_strict_messages_refuse_what_they_do_not_know(workspace):
    s = workspace["strict"]
    good = s.Rule(version=3, color=1, colors=[1, 2], limit=s.Limit(value=9)).SerializeToString()
    assert roundtrip(workspace, "Rule", good) == "ok " + good.hex()
    unknown_field = bytes([0x78, 0x01])  # field 15, varint 1
    assert roundtrip(workspace, "Rule", good + unknown_field) == "error unknown_fields"
    limit_with_unknown = s.Limit(value=1).SerializeToString() + unknown_field
    nested = bytes([0x22, len(limit_with_unknown)]) + limit_with_unknown
    assert roundtrip(workspace, "Rule", nested) == "error unknown_fields"
    assert roundtrip(workspace, "Rule", s.Rule(color=9).SerializeToString()) == "error unknown_fields"
    assert roundtrip(workspace, "Rule", s.Rule(colors=[1, 9]).SerializeToString()) == "error unknown_fields"


def test_bad_bytes_get_their_own_errors(workspace):
    k = workspace["kitchen"]
    assert roundtrip(workspace, "Inner", bytes([0x0A, 0x02, 0xC3, 0x28])) == "error invalid_utf8"
    whole = k.Everything(text="abc", u64=7).SerializeToString()
    for cut in range(1, len(whole)):
        answer = roundtrip(workspace, "Everything", whole[:cut])
        assert answer == "error malformed" or answer.startswith("ok "), (cut, answer)
    assert roundtrip(workspace, "Everything", bytes([0x0A, 0x05, 0x01])) == "error malformed"


def test_generated_files_name_their_source_and_service(workspace):
    generated = workspace["generated"]
    for path in ("Kitchen/kitchen.pb.swift", "Kitchen/strict.pb.swift", "KitchenClient/kitchen.client.swift", "KitchenRPC/kitchen.provider.swift"):
        with open(os.path.join(generated, path)) as f:
            head = f.readline()
        assert head.startswith("// Generated by protoc-gen-waiaas") and path.split("/")[1].split(".")[0] + ".proto" in head
    with open(os.path.join(generated, "KitchenClient", "kitchen.client.swift")) as f:
        client = f.read()
    with open(os.path.join(generated, "KitchenRPC", "kitchen.provider.swift")) as f:
        provider = f.read()
    # The client and the server protocol go to their own modules: a client never carries the server.
    for text in (client, provider):
        assert "import Kitchen\n" in text
    assert "public struct KitchenClient" in client and "public func cook(_ request: Everything" in client
    assert "/// Cooks everything." in client and "KitchenProvider" not in client
    assert "public protocol KitchenProvider: RPCService" in provider and "var taste: UnaryHandler<Inner, Inner>" in provider
    assert "KitchenClient" not in provider


@pytest.mark.parametrize("proto, parameter, message", [
    ('syntax = "proto3"; message M { map<string, int32> m = 1; }', "lang=swift", "only map<string, string>"),
    ('syntax = "proto3"; message M { optional uint32 x = 1; }', "lang=swift", "proto3 `optional` is not supported"),
    ('syntax = "proto3"; message M { uint32 x = 1; }', "lang=swift,strict=nope.proto", "strict= names files"),
    ('syntax = "proto3"; message M { uint32 x = 1; }', "lang=cobol", "unknown lang 'cobol'"),
])
def test_the_generator_refuses_what_it_cannot_do(workspace, proto, parameter, message):
    proto_dir = tempfile.mkdtemp(dir=workspace["tmp"])
    with open(os.path.join(proto_dir, "m.proto"), "w") as f:
        f.write(proto)
    result = run_plugin(workspace["plugin"], proto_dir, ["m.proto"], parameter, proto_dir)
    assert result.returncode != 0
    assert message in result.stderr
