#!/usr/bin/env python3
"""Golden SigV4 vectors for the Swift signer, made by botocore's SigV4Auth.

botocore is the independent oracle: every value under "expected" is what
botocore itself computes at the fixed time 2015-08-30T12:36:00Z (the AWS
SigV4 test suite's time), with `botocore.auth.get_current_datetime` patched.

    python3 Tests/python/kms/gen_sigv4_vectors.py            # rewrite the fixture
    python3 Tests/python/kms/gen_sigv4_vectors.py --check    # exit 1 if it differs

Fields of each case:
  name, method, url (as given to botocore; the query part is already
  percent-encoded the way botocore's serializer would put it on the wire),
  headers: [[name, value], ...] in the order given to botocore (a repeated
  name appears twice), excluding the headers botocore adds itself;
  body_base64, access_key, secret_key, session_token (or null), region,
  service, time, expected: {canonical_request, string_to_sign,
  authorization, signed_headers: {the headers botocore added, by name}}.
botocore derives `host` from the URL (lowercased, non-default port kept) and
signs it; it is not in `headers`.
"""
from __future__ import annotations

import base64
import datetime
import json
import pathlib
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

REPO = pathlib.Path(__file__).resolve().parents[3]
FIXTURE = REPO / "Tests" / "WaiaasKMSTests" / "Fixtures" / "sigv4-botocore.json"

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TIME = datetime.datetime(2015, 8, 30, 12, 36, 0)
TIME_TEXT = "20150830T123600Z"

POST_VANILLA_SIGNATURE = "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"

KMS_SIGN_BODY = (
    b'{"KeyId": "alias/owner", "Message": "aGVsbG8gc29sYW5h", '
    b'"MessageType": "RAW", "SigningAlgorithm": "ED25519_SHA_512"}'
)
KMS_HEADERS = [
    ["X-Amz-Target", "TrentService.Sign"],
    ["Content-Type", "application/x-amz-json-1.1"],
]


def _query(pairs):
    return percent_encode_sequence(pairs)


CASES = [
    # The AWS suite's post-vanilla, as a self-check of the whole generator.
    dict(name="post-vanilla", method="POST", url="https://example.amazonaws.com/", headers=[],
         body=b"", token=None, region="us-east-1", service="service"),
    dict(name="kms-sign", method="POST", url="https://kms.us-east-1.amazonaws.com/", headers=KMS_HEADERS,
         body=KMS_SIGN_BODY, token=None, region="us-east-1", service="kms"),
    dict(name="kms-sign-session-token", method="POST", url="https://kms.us-east-1.amazonaws.com/",
         headers=KMS_HEADERS, body=KMS_SIGN_BODY,
         token="IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+TOKEN/with+slash=",
         region="us-east-1", service="kms"),
    dict(name="kms-get-public-key-eu", method="POST", url="https://kms.eu-west-1.amazonaws.com/",
         headers=[["X-Amz-Target", "TrentService.GetPublicKey"], ["Content-Type", "application/x-amz-json-1.1"]],
         body=b'{"KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}', token=None, region="eu-west-1", service="kms"),
    dict(name="get-query-encoding", method="GET",
         url="https://example.amazonaws.com/?" + _query([
             ("Param2", "value2"), ("Param1", "value 1"), ("path", "a/b"), ("eq", "x=y"),
             ("unicode", "\u00e9\u4e2d"), ("rep", "b"), ("rep", "a"), ("tilde~", "-_.~"), ("empty", ""),
         ]),
         headers=[], body=b"", token=None, region="us-east-1", service="service"),
    dict(name="get-query-raw-order", method="GET",
         url="https://example.amazonaws.com/?b=2&a=2&a=1&A=3&c",
         headers=[], body=b"", token=None, region="us-east-1", service="service"),
    dict(name="get-path-encoding", method="GET",
         url="https://example.amazonaws.com/a%20b/%41/caf%C3%A9/x=y/./z/../w//v/",
         headers=[], body=b"", token=None, region="us-east-1", service="service"),
    dict(name="get-path-dot-segments-only", method="GET",
         url="https://example.amazonaws.com/example/..",
         headers=[], body=b"", token=None, region="us-east-1", service="service"),
    dict(name="put-empty-body", method="PUT", url="https://example.amazonaws.com/resource",
         headers=[["Content-Length", "0"]], body=b"", token=None, region="us-east-1", service="service"),
    dict(name="headers-whitespace-case-repeat", method="POST", url="https://example.amazonaws.com/",
         headers=[["My-Header1", "   value1   with    spaces  "], ["MY-HEADER2", "\tTab\tvalue "],
                  ["X-Repeat", " one  two "], ["x-repeat", "three"], ["User-Agent", "not-signed/1.0"],
                  ["Zeta", "last"], ["Alpha", "first"]],
         body=b"payload", token="TOKEN", region="us-east-1", service="service"),
    dict(name="host-with-port", method="POST", url="http://127.0.0.1:4566/",
         headers=KMS_HEADERS, body=KMS_SIGN_BODY, token="SESSIONTOKEN", region="us-east-1", service="kms"),
    dict(name="host-default-port-dropped", method="POST", url="https://KMS.us-east-1.amazonaws.com:443/",
         headers=KMS_HEADERS, body=KMS_SIGN_BODY, token=None, region="us-east-1", service="kms"),
]


class _RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's own SigV4Auth; only records the two intermediate strings it
    computes inside add_auth (recomputing them afterwards would be wrong: the
    Authorization header is then on the request)."""

    recorded: tuple[str, str]

    def string_to_sign(self, request, canonical_request):
        result = super().string_to_sign(request, canonical_request)
        self.recorded = (canonical_request, result)
        return result


def sign_case(case: dict) -> dict:
    request = AWSRequest(method=case["method"], url=case["url"], data=case["body"])
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders: assignment appends, keeping repeats
    given = [name.lower() for name, _ in case["headers"]]
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, case["token"])
    signer = _RecordingSigV4Auth(credentials, case["service"], case["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=TIME):
        signer.add_auth(request)
    canonical_request, string_to_sign = signer.recorded
    added = {name: value for name, value in request.headers.items() if name.lower() not in given}
    assert request.context["timestamp"] == TIME_TEXT
    return {
        "name": case["name"],
        "method": case["method"],
        "url": case["url"],
        "headers": [[name, value] for name, value in case["headers"]],
        "body_base64": base64.b64encode(case["body"]).decode(),
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "session_token": case["token"],
        "region": case["region"],
        "service": case["service"],
        "time": TIME_TEXT,
        "expected": {
            "canonical_request": canonical_request,
            "string_to_sign": string_to_sign,
            "authorization": request.headers["Authorization"],
            "signed_headers": added,
        },
    }


def generate() -> list[dict]:
    return [sign_case(case) for case in CASES]


def render(vectors: list[dict]) -> str:
    return json.dumps(vectors, indent=2, ensure_ascii=True) + "\n"


def main(argv: list[str]) -> int:
    text = render(generate())
    if "--check" in argv:
        if FIXTURE.read_text() != text:
            print(f"{FIXTURE} differs from botocore {botocore.__version__}", file=sys.stderr)
            return 1
        return 0
    FIXTURE.write_text(text)
    print(f"wrote {len(CASES)} vectors to {FIXTURE} (botocore {botocore.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
