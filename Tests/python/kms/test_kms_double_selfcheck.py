"""The KMS double checked with botocore's real KMS client (the wire format,
the SigV4 check, the fault injection, retries) and the IMDSv2 flow with
plain urllib."""
from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request

import botocore.config
import botocore.exceptions
import botocore.session
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def kms_client(double, secret: str | None = None, token: str | None = None, access_key: str | None = None,
               retries: int = 4, region: str | None = None, validate: bool = True):
    session = botocore.session.get_session()
    return session.create_client(
        "kms", region_name=region or double.region, endpoint_url=double.endpoint,
        aws_access_key_id=access_key or double.access_key,
        aws_secret_access_key=secret or double.secret_key, aws_session_token=token,
        config=botocore.config.Config(retries={"mode": "standard", "max_attempts": retries},
                                      connect_timeout=5, read_timeout=10,
                                      parameter_validation=validate))


def error_code(info) -> str:
    return info.value.response["Error"]["Code"]


def test_create_get_public_key_sign_and_verify(kms_double):
    kms = kms_client(kms_double)
    created = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY", Description="owner")
    key_id = created["KeyMetadata"]["KeyId"]
    assert created["KeyMetadata"]["KeySpec"] == "ECC_NIST_EDWARDS25519"

    public = kms.get_public_key(KeyId=key_id)
    assert public["KeySpec"] == "ECC_NIST_EDWARDS25519" and public["KeyUsage"] == "SIGN_VERIFY"
    assert public["SigningAlgorithms"] == ["ED25519_SHA_512", "ED25519_PH_SHA_512"]
    spki = public["PublicKey"]  # botocore has already base64-decoded the blob
    assert len(spki) == 44 and spki.startswith(SPKI_PREFIX)
    verifier = load_der_public_key(spki)
    assert isinstance(verifier, Ed25519PublicKey)
    assert spki[12:] == kms_double.key(key_id).public_raw

    message = b"a solana message " * 20
    signed = kms.sign(KeyId=key_id, Message=message, MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    assert signed["SigningAlgorithm"] == "ED25519_SHA_512"
    assert signed["KeyId"] == kms_double.key(key_id).arn
    assert len(signed["Signature"]) == 64
    verifier.verify(signed["Signature"], message)

    # The key ARN and an alias name work as KeyId too.
    kms.create_alias(AliasName="alias/owner", TargetKeyId=key_id)
    by_alias = kms.sign(KeyId="alias/owner", Message=b"x", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    verifier.verify(by_alias["Signature"], b"x")
    described = kms.describe_key(KeyId=kms_double.key(key_id).arn)["KeyMetadata"]
    assert described["KeyState"] == "Enabled" and described["SigningAlgorithms"] == ["ED25519_SHA_512", "ED25519_PH_SHA_512"]

    # The wire: AWS JSON 1.1, POST /, signed with the session's credentials.
    sign_request = [r for r in kms_double.requests if r["op"] == "Sign"][0]
    headers = {k.lower(): v for k, v in sign_request["headers"].items()}
    assert sign_request["method"] == "POST" and sign_request["path"] == "/"
    assert headers["x-amz-target"] == "TrentService.Sign"
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-target" in headers["authorization"]
    assert json.loads(sign_request["body"])["Message"] == base64.b64encode(message).decode()
    assert kms_double.ops() == ["CreateKey", "GetPublicKey", "Sign", "CreateAlias", "Sign", "DescribeKey"]


def test_sign_rules_follow_the_kms_model(kms_double):
    kms = kms_client(kms_double, retries=1)
    key_id = kms_double.create_key().key_id
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.sign(KeyId=key_id, Message=b"\x00" * 64, MessageType="DIGEST", SigningAlgorithm="ED25519_SHA_512")
    assert error_code(info) == "ValidationException"
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.sign(KeyId=key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_PH_SHA_512")
    assert error_code(info) == "ValidationException"
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.sign(KeyId=key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")
    assert error_code(info) == "InvalidKeyUsageException"
    # botocore validates the model's min/max lengths itself; the double checks them too.
    unchecked = kms_client(kms_double, retries=1, validate=False)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        unchecked.sign(KeyId=key_id, Message=b"m" * 4097, MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    assert error_code(info) == "ValidationException"
    ok = kms.sign(KeyId=key_id, Message=b"m" * 4096, MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    kms_double.key(key_id).private.public_key().verify(ok["Signature"], b"m" * 4096)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.get_public_key(KeyId="00000000-0000-0000-0000-000000000000")
    assert error_code(info) == "NotFoundException"


def test_a_wrong_secret_an_unknown_key_or_a_wrong_region_is_refused(kms_double):
    key_id = kms_double.create_key().key_id
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, secret="not-the-secret", retries=1).get_public_key(KeyId=key_id)
    assert error_code(info) == "InvalidSignatureException"
    assert "The Canonical String for this request should have been" in info.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, access_key="AKIDUNKNOWN", retries=1).get_public_key(KeyId=key_id)
    assert error_code(info) == "UnrecognizedClientException"
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, region="eu-west-1", retries=1).get_public_key(KeyId=key_id)
    assert error_code(info) == "InvalidSignatureException"
    assert [r["status"] for r in kms_double.requests] == [400, 400, 400]


def test_a_stale_date_and_an_unsigned_request_are_refused(kms_double):
    key_id = kms_double.create_key().key_id
    real_clock = kms_double.clock
    kms_double.clock = lambda: real_clock() + 600  # the double is 10 minutes ahead
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, retries=1).get_public_key(KeyId=key_id)
    assert error_code(info) == "InvalidSignatureException"
    assert "Signature expired" in info.value.response["Error"]["Message"]
    kms_double.clock = real_clock

    request = urllib.request.Request(kms_double.endpoint + "/", data=json.dumps({"KeyId": key_id}).encode(), method="POST",
                                     headers={"X-Amz-Target": "TrentService.GetPublicKey",
                                              "Content-Type": "application/x-amz-json-1.1"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 400
    assert json.loads(info.value.read())["__type"] == "MissingAuthenticationTokenException"
    request.add_header("Authorization", "AWS4-HMAC-SHA256 Credential=x")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert json.loads(info.value.read())["__type"] == "IncompleteSignatureException"


def test_a_tampered_body_is_refused(kms_double):
    """A body changed after signing: the payload hash no longer matches."""
    key_id = kms_double.create_key().key_id
    kms = kms_client(kms_double, retries=1)

    def tamper(request, **kwargs):
        request.body = request.body.replace(b'"RAW"', b'"raw"')  # same length, other bytes

    kms.meta.events.register_last("before-send.kms.Sign", tamper)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.sign(KeyId=key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    assert error_code(info) == "InvalidSignatureException"


def test_session_token_credentials_are_signed_and_checked(kms_double):
    key_id = kms_double.create_key().key_id
    kms_double.add_credentials("ASIAWAIAASTEMP", "temp/secret", "SESSION+TOKEN/=")
    public = kms_client(kms_double, access_key="ASIAWAIAASTEMP", secret="temp/secret", token="SESSION+TOKEN/=").get_public_key(KeyId=key_id)
    assert public["PublicKey"][12:] == kms_double.key(key_id).public_raw
    headers = {k.lower(): v for k, v in kms_double.requests[-1]["headers"].items()}
    assert headers["x-amz-security-token"] == "SESSION+TOKEN/="
    assert "x-amz-security-token" in headers["authorization"]
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, access_key="ASIAWAIAASTEMP", secret="temp/secret", retries=1).get_public_key(KeyId=key_id)
    assert error_code(info) == "UnrecognizedClientException"


def test_throttling_then_success_after_botocore_retries(kms_double):
    key_id = kms_double.create_key().key_id
    kms_double.throttle_next(2)
    signed = kms_client(kms_double, retries=4).sign(KeyId=key_id, Message=b"retry me", MessageType="RAW",
                                                    SigningAlgorithm="ED25519_SHA_512")
    kms_double.key(key_id).private.public_key().verify(signed["Signature"], b"retry me")
    assert kms_double.ops() == ["Sign", "Sign", "Sign"]
    assert [r["error"] for r in kms_double.requests] == ["ThrottlingException", "ThrottlingException", None]

    kms_double.throttle_next(5)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms_client(kms_double, retries=2).get_public_key(KeyId=key_id)
    assert error_code(info) == "ThrottlingException"

    kms_double.throttle_next(0)
    kms_double.internal_error_next(1)
    kms_client(kms_double, retries=3).get_public_key(KeyId=key_id)
    assert kms_double.requests[-2]["error"] == "KMSInternalException" and kms_double.requests[-2]["status"] == 500


def test_deny_disable_and_corrupt_signatures(kms_double):
    kms = kms_client(kms_double, retries=1)
    key = kms_double.create_key()
    kms_double.deny(key.key_id)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.sign(KeyId=key.key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")
    assert error_code(info) == "AccessDeniedException"
    kms_double.deny(key.key_id, False)

    kms_double.disable(key.key_id)
    with pytest.raises(botocore.exceptions.ClientError) as info:
        kms.get_public_key(KeyId=key.key_id)
    assert error_code(info) == "DisabledException"
    assert kms.describe_key(KeyId=key.key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    kms_double.disable(key.key_id, False)

    kms_double.corrupt_signatures(True)
    bad = kms.sign(KeyId=key.key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")["Signature"]
    assert len(bad) == 64
    with pytest.raises(InvalidSignature):
        key.private.public_key().verify(bad, b"m")
    kms_double.corrupt_signatures(False)
    good = kms.sign(KeyId=key.key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")["Signature"]
    key.private.public_key().verify(good, b"m")


def test_faults_from_the_constructor():
    from kms_double import KMSDouble

    with KMSDouble(faults="throttle=1,corrupt") as double:
        key = double.create_key(seed=bytes(range(32)))
        kms = kms_client(double, retries=3)
        bad = kms.sign(KeyId=key.key_id, Message=b"m", MessageType="RAW", SigningAlgorithm="ED25519_SHA_512")["Signature"]
        with pytest.raises(InvalidSignature):
            key.private.public_key().verify(bad, b"m")
        assert [r["error"] for r in double.requests] == ["ThrottlingException", None]


def imds(double, method: str, path: str, headers: dict | None = None):
    request = urllib.request.Request(double.endpoint + path, method=method, headers=headers or {},
                                     data=b"" if method == "PUT" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_imds_v2_flow(kms_double):
    role_path = "/latest/meta-data/iam/security-credentials/"
    assert imds(kms_double, "GET", role_path)[0] == 401
    assert imds(kms_double, "PUT", "/latest/api/token")[0] == 400  # no TTL header
    assert imds(kms_double, "PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "0"})[0] == 400
    status, token = imds(kms_double, "PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "21600"})
    assert status == 200 and token
    assert imds(kms_double, "GET", role_path, {"X-aws-ec2-metadata-token": "not-a-token"})[0] == 401
    status, role = imds(kms_double, "GET", role_path, {"X-aws-ec2-metadata-token": token})
    assert status == 200 and role == "waiaas-test-role"
    status, body = imds(kms_double, "GET", role_path + role, {"X-aws-ec2-metadata-token": token})
    assert status == 200
    creds = json.loads(body)
    assert creds["Code"] == "Success" and creds["Type"] == "AWS-HMAC"
    assert set(creds) >= {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "LastUpdated"}
    assert time.strptime(creds["Expiration"], "%Y-%m-%dT%H:%M:%SZ")
    assert imds(kms_double, "GET", role_path + "other-role", {"X-aws-ec2-metadata-token": token})[0] == 404
    assert imds(kms_double, "GET", role_path + role)[0] == 401

    # The role's credentials are good for the KMS side, with their session token.
    key_id = kms_double.create_key().key_id
    kms = kms_client(kms_double, access_key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["Token"])
    assert kms.get_public_key(KeyId=key_id)["PublicKey"][12:] == kms_double.key(key_id).public_raw
    assert [r["op"] for r in kms_double.requests if r["kind"] == "imds"] == [
        "GET " + role_path, "token", "token", "token", "GET " + role_path, "role", "credentials",
        "GET " + role_path + "other-role", "GET " + role_path + role]


def test_imds_through_botocore_credential_provider(kms_double):
    """botocore's own IMDSv2 fetcher against the double (same paths and headers as EC2)."""
    from botocore.utils import InstanceMetadataFetcher

    fetcher = InstanceMetadataFetcher(timeout=2, num_attempts=1, base_url=kms_double.endpoint, env={})
    creds = fetcher.retrieve_iam_role_credentials()
    assert creds["role_name"] == "waiaas-test-role"
    assert creds["access_key"] == kms_double.imds_credentials["AccessKeyId"]
    assert creds["token"] == kms_double.imds_credentials["Token"]


def test_runnable_as_a_program(tmp_path):
    import subprocess
    import sys

    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, __file__.replace("test_kms_double_selfcheck.py", "kms_double.py"),
                                "--port-file", str(port_file), "--seed-hex", "00" * 32, "--faults", "throttle=1"],
                               stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(process.stdout.readline())
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text())
        assert info["endpoint"] == f"http://127.0.0.1:{port}"
        key = info["keys"][0]
        assert key["PublicKeyHex"] == "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"  # the Ed25519 public key of the all-zero seed

        class Double:
            endpoint = info["endpoint"]
            region = info["AWS_REGION"]
            access_key = info["AWS_ACCESS_KEY_ID"]
            secret_key = info["AWS_SECRET_ACCESS_KEY"]

        public = kms_client(Double, retries=3).get_public_key(KeyId=key["KeyId"])
        assert public["PublicKey"][12:].hex() == key["PublicKeyHex"]
    finally:
        process.terminate()
        process.wait(timeout=10)
