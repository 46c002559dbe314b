"""botocore stays the independent SigV4 oracle: the committed golden vectors
(Tests/WaiaasKMSTests/Fixtures/sigv4-botocore.json, read by the Swift tests)
must be exactly what botocore computes now."""
from __future__ import annotations

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import gen_sigv4_vectors as gen  # noqa: E402


def test_committed_vectors_equal_botocore_byte_for_byte():
    committed = gen.FIXTURE.read_bytes()
    regenerated = gen.render(gen.generate()).encode()
    assert committed == regenerated, (
        "sigv4-botocore.json differs from what botocore computes now; "
        "run python3 Tests/python/kms/gen_sigv4_vectors.py and review the diff"
    )


def test_aws_suite_post_vanilla_is_reproduced():
    vector = gen.sign_case(gen.CASES[0])
    assert vector["name"] == "post-vanilla"
    assert vector["expected"]["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + gen.POST_VANILLA_SIGNATURE
    )
    # The suite's own canonical request and string to sign (post-vanilla.creq / .sts).
    assert vector["expected"]["canonical_request"] == (
        "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert vector["expected"]["string_to_sign"] == (
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"
    )


def test_vectors_have_the_documented_shape():
    vectors = json.loads(gen.FIXTURE.read_text())
    assert len(vectors) >= 8
    assert len({v["name"] for v in vectors}) == len(vectors)
    keys = {"name", "method", "url", "headers", "body_base64", "access_key", "secret_key",
            "session_token", "region", "service", "time", "expected"}
    for v in vectors:
        assert set(v) == keys, v["name"]
        assert set(v["expected"]) == {"canonical_request", "string_to_sign", "authorization", "signed_headers"}
        added = v["expected"]["signed_headers"]
        want = ["X-Amz-Date"] + (["X-Amz-Security-Token"] if v["session_token"] else []) + ["Authorization"]
        assert list(added) == want, v["name"]
        assert added["X-Amz-Date"] == v["time"] == "20150830T123600Z"
        assert added["Authorization"] == v["expected"]["authorization"]
        assert not any(name.lower() == "host" for name, _ in v["headers"])
