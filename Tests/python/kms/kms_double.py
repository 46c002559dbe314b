#!/usr/bin/env python3
"""A small AWS KMS double for ED25519 keys, plus the EC2 instance metadata
service (IMDSv2) credential flow, on one loopback HTTP server.

KMS side: AWS JSON 1.1 (`POST /`, `X-Amz-Target: TrentService.<Op>`,
`Content-Type: application/x-amz-json-1.1`). Every KMS request's SigV4
signature is recomputed with botocore's own `SigV4Auth` (the same oracle as
the golden vectors) against the credentials the double knows; a mismatch is
answered 400 InvalidSignatureException, a malformed or missing Authorization
400 IncompleteSignatureException / MissingAuthenticationTokenException, an
unknown access key 400 UnrecognizedClientException, and an X-Amz-Date more
than five minutes from the double's clock 400 InvalidSignatureException
("Signature expired"), as AWS does.

Operations: CreateKey (KeySpec ECC_NIST_EDWARDS25519, KeyUsage SIGN_VERIFY),
GetPublicKey, Sign, DescribeKey, CreateAlias. Sign follows the KMS model:
ED25519_SHA_512 needs MessageType RAW, ED25519_PH_SHA_512 needs DIGEST of 64
bytes (not implemented here: answered UnsupportedOperationException, since
no Solana verifier accepts Ed25519ph), Message 1..4096 bytes.

Fault injection, from the test's Python (methods on KMSDouble) or from the
constructor / command line / environment (KMS_DOUBLE_FAULTS, e.g.
"throttle=2,corrupt,deny=KEYID,disable=KEYID,internal=1"):
  throttle_next(n)          the next n KMS responses: 400 ThrottlingException
  internal_error_next(n)    the next n KMS responses: 500 KMSInternalException
  deny(key_id)              AccessDeniedException for that key
  disable(key_id)           the key is Disabled: DisabledException
  corrupt_signatures(True)  Sign returns a wrong (but 64-byte) signature
The request log (`requests`, list of dicts: kind, op, method, path, headers,
body, status, error) lets tests inspect what was sent.

IMDSv2 side:
  PUT /latest/api/token                  needs X-aws-ec2-metadata-token-ttl-seconds (1..21600); returns a token
  GET /latest/meta-data/iam/security-credentials/         needs X-aws-ec2-metadata-token; the role name
  GET /latest/meta-data/iam/security-credentials/<role>   the role's credentials JSON
A GET without a (valid) token is answered 401. The role's credentials (with a
session token) are known to the KMS side, so a client can use them.

Manual use:
  python3 kms_double.py --port-file F [--create-key] [--seed-hex HEX] [--faults throttle=2]
prints one JSON line (endpoint, credentials, key ids) and serves until killed.
"""
from __future__ import annotations

import argparse
import base64
import datetime
import hmac
import json
import os
import secrets
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ACCOUNT = "111122223333"
DEFAULT_REGION = "us-east-1"
ACCESS_KEY = "AKIDWAIAASKMSDOUBLE"
SECRET_KEY = "waiaas/kms/double/secret+KEY/EXAMPLE0000"
IMDS_ROLE = "waiaas-test-role"
IMDS_ACCESS_KEY = "ASIAWAIAASIMDSDOUBLE"
IMDS_SECRET_KEY = "imds/double/secret+KEY/EXAMPLE1111111111"
MAX_SKEW_SECONDS = 300
ED25519_ALGORITHMS = ["ED25519_SHA_512", "ED25519_PH_SHA_512"]
AMZ_JSON = "application/x-amz-json-1.1"


class KMSFault(Exception):
    def __init__(self, status: int, aws_type: str, message: str):
        super().__init__(message)
        self.status = status
        self.aws_type = aws_type
        self.message = message


def _validation(message: str) -> KMSFault:
    return KMSFault(400, "ValidationException", message)


class Key:
    def __init__(self, key_id: str, region: str, private: Ed25519PrivateKey, description: str = ""):
        self.key_id = key_id
        self.arn = f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}"
        self.private = private
        self.description = description
        self.enabled = True
        self.created = time.time()

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def public_spki(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.DER,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)

    def metadata(self) -> dict:
        return {
            "AWSAccountId": ACCOUNT, "KeyId": self.key_id, "Arn": self.arn, "CreationDate": self.created,
            "Enabled": self.enabled, "Description": self.description, "KeyUsage": "SIGN_VERIFY",
            "KeyState": "Enabled" if self.enabled else "Disabled", "Origin": "AWS_KMS", "KeyManager": "CUSTOMER",
            "CustomerMasterKeySpec": "ECC_NIST_EDWARDS25519", "KeySpec": "ECC_NIST_EDWARDS25519",
            "SigningAlgorithms": list(ED25519_ALGORITHMS), "MultiRegion": False,
        }


class KMSDouble:
    """The server object. `start()` binds 127.0.0.1 on a free port."""

    def __init__(self, region: str = DEFAULT_REGION, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY,
                 throttle: int = 0, corrupt: bool = False, faults: str | None = None,
                 clock=time.time, imds_role: str = IMDS_ROLE):
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.clock = clock  # seconds since the epoch; tests may replace it to test stale dates
        self.imds_role = imds_role
        self._lock = threading.Lock()
        self._keys: dict[str, Key] = {}
        self._aliases: dict[str, str] = {}
        # access key -> (secret, required session token or None)
        self._credentials: dict[str, tuple[str, str | None]] = {access_key: (secret_key, None)}
        self._imds_tokens: dict[str, float] = {}
        self.imds_credentials = {
            "AccessKeyId": IMDS_ACCESS_KEY, "SecretAccessKey": IMDS_SECRET_KEY,
            "Token": "IMDS-SESSION-TOKEN/" + secrets.token_urlsafe(24),
        }
        self._credentials[IMDS_ACCESS_KEY] = (IMDS_SECRET_KEY, self.imds_credentials["Token"])
        self._throttle = throttle
        self._internal = 0
        self._denied: set[str] = set()
        self._corrupt = corrupt
        self.requests: list[dict] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._apply_faults(faults if faults is not None else os.environ.get("KMS_DOUBLE_FAULTS", ""))

    # ------------------------------------------------------------ lifecycle

    def start(self) -> "KMSDouble":
        double = self

        class Handler(_Handler):
            pass

        Handler.double = double
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="kms-double", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "KMSDouble":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return self._server.server_address[1]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """AWS environment variables naming this double's static credentials."""
        return {"AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region}

    # ------------------------------------------------------------ keys and faults

    def create_key(self, seed: bytes | None = None, description: str = "") -> Key:
        private = Ed25519PrivateKey.from_private_bytes(seed) if seed is not None else Ed25519PrivateKey.generate()
        key = Key(str(uuid.uuid4()), self.region, private, description)
        with self._lock:
            self._keys[key.key_id] = key
        return key

    def key(self, key_id: str) -> Key:
        with self._lock:
            return self._resolve(key_id)

    def add_alias(self, alias: str, key_id: str) -> None:
        if not alias.startswith("alias/"):
            raise ValueError("an alias name starts with alias/")
        with self._lock:
            self._aliases[alias] = self._resolve(key_id).key_id

    def add_credentials(self, access_key: str, secret_key: str, session_token: str | None = None) -> None:
        with self._lock:
            self._credentials[access_key] = (secret_key, session_token)

    def throttle_next(self, n: int) -> None:
        with self._lock:
            self._throttle = n

    def internal_error_next(self, n: int) -> None:
        with self._lock:
            self._internal = n

    def deny(self, key_id: str, denied: bool = True) -> None:
        with self._lock:
            real = self._resolve(key_id).key_id
            (self._denied.add if denied else self._denied.discard)(real)

    def disable(self, key_id: str, disabled: bool = True) -> None:
        with self._lock:
            self._resolve(key_id).enabled = not disabled

    def corrupt_signatures(self, corrupt: bool = True) -> None:
        with self._lock:
            self._corrupt = corrupt

    def ops(self) -> list[str]:
        """The KMS operations received, in order (including refused ones)."""
        with self._lock:
            return [r["op"] for r in self.requests if r["kind"] == "kms"]

    def _apply_faults(self, spec: str) -> None:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, _, value = item.partition("=")
            if name == "throttle":
                self._throttle = int(value or 1)
            elif name == "internal":
                self._internal = int(value or 1)
            elif name == "corrupt":
                self._corrupt = value not in ("0", "false")
            elif name in ("deny", "disable"):
                # Applied when the key exists (keys made later by --create-key are covered in main()).
                self._pending = getattr(self, "_pending", []) + [(name, value)]
            else:
                raise ValueError(f"unknown fault {name!r} in {spec!r}")

    def _resolve(self, key_id: str) -> Key:
        """KeyId as key id, key ARN, alias name or alias ARN. Caller holds the lock."""
        if not isinstance(key_id, str) or not key_id:
            raise _validation("KeyId is required")
        name = key_id
        if name.startswith("arn:aws:kms:"):
            parts = name.split(":", 5)
            if len(parts) != 6:
                raise KMSFault(400, "NotFoundException", f"Invalid arn {key_id}")
            name = parts[5]
            if name.startswith("key/"):
                name = name[4:]
        if name.startswith("alias/"):
            if name not in self._aliases:
                raise KMSFault(400, "NotFoundException", f"Alias {self._alias_arn(name)} is not found.")
            name = self._aliases[name]
        key = self._keys.get(name)
        if key is None:
            raise KMSFault(400, "NotFoundException", f"Key '{self._key_arn(name)}' does not exist")
        return key

    def _key_arn(self, key_id: str) -> str:
        return f"arn:aws:kms:{self.region}:{ACCOUNT}:key/{key_id}"

    def _alias_arn(self, alias: str) -> str:
        return f"arn:aws:kms:{self.region}:{ACCOUNT}:{alias}"

    # ------------------------------------------------------------ SigV4

    def check_signature(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes) -> None:
        auth = _header(headers, "authorization")
        if auth is None:
            raise KMSFault(400, "MissingAuthenticationTokenException", "Missing Authentication Token")
        if not auth.startswith("AWS4-HMAC-SHA256 "):
            raise KMSFault(400, "IncompleteSignatureException", f"Unsupported Authorization scheme: {auth.split(' ')[0]}")
        fields = {}
        for part in auth[len("AWS4-HMAC-SHA256 "):].split(","):
            name, sep, value = part.strip().partition("=")
            if not sep:
                raise KMSFault(400, "IncompleteSignatureException", f"Authorization header requires existence of "
                               f"'Credential', 'SignedHeaders' and 'Signature': {auth}")
            fields[name] = value
        if set(fields) != {"Credential", "SignedHeaders", "Signature"}:
            raise KMSFault(400, "IncompleteSignatureException",
                           f"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters: {auth}")
        scope = fields["Credential"].split("/")
        if len(scope) != 5 or scope[4] != "aws4_request":
            raise KMSFault(400, "IncompleteSignatureException", f"Credential should be scoped correctly: {fields['Credential']}")
        access_key, day, region, service, _ = scope
        amz_date = _header(headers, "x-amz-date")
        if amz_date is None:
            raise KMSFault(400, "IncompleteSignatureException", "Authorization header requires the X-Amz-Date header")
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise KMSFault(400, "IncompleteSignatureException", f"Malformed X-Amz-Date: {amz_date}")
        if day != amz_date[:8]:
            raise KMSFault(400, "InvalidSignatureException", f"Credential date {day} does not match X-Amz-Date {amz_date}")
        if service != "kms":
            raise KMSFault(400, "InvalidSignatureException", f"Credential should be scoped to correct service: 'kms', not '{service}'")
        if region != self.region:
            raise KMSFault(400, "InvalidSignatureException",
                           f"Credential should be scoped to a valid region, not '{region}' (this double is {self.region})")
        now = self.clock()
        if abs(now - when.timestamp()) > MAX_SKEW_SECONDS:
            now_text = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            raise KMSFault(400, "InvalidSignatureException",
                           f"Signature expired: {amz_date} is now earlier or later than {now_text} (5 min skew allowed)")
        with self._lock:
            known = self._credentials.get(access_key)
        if known is None:
            raise KMSFault(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
        secret, required_token = known
        token = _header(headers, "x-amz-security-token")
        if required_token is not None and token != required_token:
            raise KMSFault(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
        signed = fields["SignedHeaders"].split(";")
        if signed != sorted(signed) or "host" not in signed or "x-amz-date" not in signed:
            raise KMSFault(400, "IncompleteSignatureException",
                           f"SignedHeaders must be sorted and include host and x-amz-date: {fields['SignedHeaders']}")
        host = _header(headers, "host")
        if host is None:
            raise KMSFault(400, "IncompleteSignatureException", "No Host header")
        # Rebuild the request as botocore would see it: only the signed headers,
        # in the order received (repeated names kept), the body as received.
        request = AWSRequest(method=method, url=f"http://{host}{path}", data=body)
        for name, value in headers:
            if name.lower() in signed:
                request.headers[name] = value
        missing = [name for name in signed if _header(headers, name) is None]
        if missing:
            raise KMSFault(400, "IncompleteSignatureException", f"Signed header(s) not in the request: {';'.join(missing)}")
        request.context["timestamp"] = amz_date
        signer = botocore.auth.SigV4Auth(Credentials(access_key, secret, token), service, region)
        canonical = signer.canonical_request(request)
        string_to_sign = signer.string_to_sign(request, canonical)
        expected = signer.signature(string_to_sign, request)
        if not hmac.compare_digest(expected, fields["Signature"]):
            raise KMSFault(400, "InvalidSignatureException",
                           "The request signature we calculated does not match the signature you provided. "
                           "Check your AWS Secret Access Key and signing method. Consult the service documentation "
                           f"for details.\n\nThe Canonical String for this request should have been\n'{canonical}'\n\n"
                           f"The String-to-Sign should have been\n'{string_to_sign}'\n")

    # ------------------------------------------------------------ KMS operations

    def handle_kms(self, op: str, request: dict) -> dict:
        with self._lock:
            if self._throttle > 0:
                self._throttle -= 1
                raise KMSFault(400, "ThrottlingException", "Rate exceeded")
            if self._internal > 0:
                self._internal -= 1
                raise KMSFault(500, "KMSInternalException", "An internal error occurred (injected)")
        handler = getattr(self, f"_op_{op}", None)
        if handler is None:
            raise KMSFault(400, "UnknownOperationException", f"Operation {op} is not supported by the KMS double")
        return handler(request)

    def _usable(self, key_id) -> Key:
        """The key for a request that uses it (lock held by the caller)."""
        key = self._resolve(key_id)
        if key.key_id in self._denied:
            raise KMSFault(400, "AccessDeniedException",
                           f"User: arn:aws:sts::{ACCOUNT}:assumed-role/waiaas/test is not authorized to perform: "
                           f"kms:* on resource: {key.arn} because no identity-based policy allows the kms:* action")
        if not key.enabled:
            raise KMSFault(400, "DisabledException", f"{key.arn} is disabled.")
        return key

    def _op_CreateKey(self, request: dict) -> dict:
        spec = request.get("KeySpec", request.get("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"))
        usage = request.get("KeyUsage", "ENCRYPT_DECRYPT")
        if spec != "ECC_NIST_EDWARDS25519":
            raise KMSFault(400, "UnsupportedOperationException",
                           f"KeySpec {spec} is not supported by the KMS double (ECC_NIST_EDWARDS25519 only)")
        if usage != "SIGN_VERIFY":
            raise _validation(f"KeyUsage {usage} is not compatible with KeySpec {spec}")
        key = self.create_key(description=request.get("Description", ""))
        return {"KeyMetadata": key.metadata()}

    def _op_CreateAlias(self, request: dict) -> dict:
        alias = request.get("AliasName", "")
        if not alias.startswith("alias/"):
            raise _validation("AliasName must begin with alias/")
        with self._lock:
            if alias in self._aliases:
                raise KMSFault(400, "AlreadyExistsException", f"An alias with the name {self._alias_arn(alias)} already exists")
            self._aliases[alias] = self._resolve(request.get("TargetKeyId")).key_id
        return {}

    def _op_DescribeKey(self, request: dict) -> dict:
        with self._lock:
            key = self._resolve(request.get("KeyId"))
            if key.key_id in self._denied:
                self._usable(key.key_id)
            return {"KeyMetadata": key.metadata()}

    def _op_GetPublicKey(self, request: dict) -> dict:
        with self._lock:
            key = self._usable(request.get("KeyId"))
            return {"KeyId": key.arn, "PublicKey": base64.b64encode(key.public_spki).decode(),
                    "CustomerMasterKeySpec": "ECC_NIST_EDWARDS25519", "KeySpec": "ECC_NIST_EDWARDS25519",
                    "KeyUsage": "SIGN_VERIFY", "SigningAlgorithms": list(ED25519_ALGORITHMS)}

    def _op_Sign(self, request: dict) -> dict:
        for member in ("KeyId", "Message", "SigningAlgorithm"):
            if member not in request:
                raise _validation(f"1 validation error detected: Value null at '{member[0].lower() + member[1:]}' "
                                  "failed to satisfy constraint: Member must not be null")
        try:
            message = base64.b64decode(request["Message"], validate=True)
        except (ValueError, TypeError):
            raise KMSFault(400, "SerializationException", "Message is not valid base64")
        if not 1 <= len(message) <= 4096:
            raise _validation(f"1 validation error detected: Value at 'message' failed to satisfy constraint: "
                              f"Member must have length between 1 and 4096 (was {len(message)})")
        algorithm = request["SigningAlgorithm"]
        message_type = request.get("MessageType", "RAW")
        if message_type not in ("RAW", "DIGEST", "EXTERNAL_MU"):
            raise _validation(f"Value '{message_type}' at 'messageType' failed to satisfy constraint")
        with self._lock:
            key = self._usable(request["KeyId"])
            corrupt = self._corrupt
        if algorithm not in ED25519_ALGORITHMS:
            raise KMSFault(400, "InvalidKeyUsageException",
                           f"Signing algorithm {algorithm} is not valid for the key {key.arn} (ECC_NIST_EDWARDS25519)")
        if algorithm == "ED25519_SHA_512" and message_type != "RAW":
            raise _validation("The ED25519_SHA_512 signing algorithm requires MessageType RAW")
        if algorithm == "ED25519_PH_SHA_512":
            if message_type != "DIGEST":
                raise _validation("The ED25519_PH_SHA_512 signing algorithm requires MessageType DIGEST")
            if len(message) != 64:
                raise _validation("Digest is invalid length for algorithm ED25519_PH_SHA_512.")
            raise KMSFault(400, "UnsupportedOperationException", "ED25519_PH_SHA_512 (Ed25519ph) is not implemented by the KMS double")
        signature = key.private.sign(message)
        if corrupt:
            # Still 64 bytes and well formed, but over other bytes: only a local verify catches it.
            signature = key.private.sign(message + b"\x00")
        return {"KeyId": key.arn, "Signature": base64.b64encode(signature).decode(), "SigningAlgorithm": algorithm}

    # ------------------------------------------------------------ IMDSv2

    def imds_token(self, ttl: int) -> str:
        token = "IMDS-" + secrets.token_urlsafe(32)
        with self._lock:
            self._imds_tokens[token] = self.clock() + ttl
        return token

    def imds_token_valid(self, token: str | None) -> bool:
        with self._lock:
            expiry = self._imds_tokens.get(token or "")
        return expiry is not None and expiry > self.clock()

    def imds_role_credentials(self) -> dict:
        now = datetime.datetime.fromtimestamp(self.clock(), datetime.timezone.utc).replace(microsecond=0)
        return {"Code": "Success", "LastUpdated": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Type": "AWS-HMAC",
                **self.imds_credentials,
                "Expiration": (now + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")}


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class _Handler(BaseHTTPRequestHandler):
    double: KMSDouble
    protocol_version = "HTTP/1.1"
    server_version = "kms-double/1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _body(self) -> bytes:
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _log(self, **entry) -> dict:
        entry.setdefault("headers", {k: v for k, v in self.headers.items()})
        entry.setdefault("method", self.command)
        entry.setdefault("path", self.path)
        with self.double._lock:
            self.double.requests.append(entry)
        return entry

    # IMDS: PUT for the token, GET for the metadata.
    def do_PUT(self) -> None:
        body = self._body()
        if self.path != "/latest/api/token":
            self._log(kind="imds", op="PUT " + self.path, body=body, status=404, error="NotFound")
            return self._send(404, b"Not Found", "text/plain")
        ttl_text = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if self.headers.get("X-Forwarded-For") is not None:
            self._log(kind="imds", op="token", body=body, status=403, error="Forbidden")
            return self._send(403, b"Forbidden", "text/plain")
        try:
            ttl = int(ttl_text or "")
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= 21600:
            self._log(kind="imds", op="token", body=body, status=400, error="BadRequest")
            return self._send(400, b"Bad Request", "text/plain")
        token = self.double.imds_token(ttl)
        self._log(kind="imds", op="token", body=body, status=200, error=None)
        self._send(200, token.encode(), "text/plain", {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})

    def do_GET(self) -> None:
        prefix = "/latest/meta-data/iam/security-credentials/"
        if not self.path.startswith("/latest/"):
            self._log(kind="imds", op="GET " + self.path, body=b"", status=404, error="NotFound")
            return self._send(404, b"Not Found", "text/plain")
        if not self.double.imds_token_valid(self.headers.get("X-aws-ec2-metadata-token")):
            self._log(kind="imds", op="GET " + self.path, body=b"", status=401, error="Unauthorized")
            return self._send(401, b"Unauthorized", "text/plain")
        if self.path == prefix:
            self._log(kind="imds", op="role", body=b"", status=200, error=None)
            return self._send(200, self.double.imds_role.encode(), "text/plain")
        if self.path == prefix + self.double.imds_role:
            self._log(kind="imds", op="credentials", body=b"", status=200, error=None)
            return self._send(200, json.dumps(self.double.imds_role_credentials(), indent=2).encode(), "text/plain")
        self._log(kind="imds", op="GET " + self.path, body=b"", status=404, error="NotFound")
        self._send(404, b"Not Found", "text/plain")

    def do_POST(self) -> None:
        body = self._body()
        headers = [(k, v) for k, v in self.headers.items()]
        target = self.headers.get("X-Amz-Target") or ""
        op = target[len("TrentService."):] if target.startswith("TrentService.") else target
        entry = self._log(kind="kms", op=op, body=body, status=None, error=None)
        try:
            if self.path != "/":
                raise KMSFault(404, "UnknownOperationException", f"KMS is at POST /, not {self.path}")
            self.double.check_signature("POST", self.path, headers, body)
            if not target.startswith("TrentService."):
                raise KMSFault(400, "UnknownOperationException", f"X-Amz-Target {target!r} is not a TrentService operation")
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if content_type != AMZ_JSON:
                raise KMSFault(400, "UnknownOperationException", f"Content-Type {content_type!r}, not {AMZ_JSON}")
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                raise KMSFault(400, "SerializationException", "The request body is not JSON")
            if not isinstance(request, dict):
                raise KMSFault(400, "SerializationException", "The request body is not a JSON object")
            entry["request"] = request
            answer = self.double.handle_kms(op, request)
        except KMSFault as fault:
            entry["status"], entry["error"] = fault.status, fault.aws_type
            payload = json.dumps({"__type": fault.aws_type, "message": fault.message}).encode()
            return self._send(fault.status, payload, AMZ_JSON)
        entry["status"] = 200
        self._send(200, json.dumps(answer).encode(), AMZ_JSON)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-file", help="write the port number here once listening")
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--create-key", action="store_true", help="create one ED25519 key at startup")
    parser.add_argument("--seed-hex", help="the 32-byte seed of that key, hex (implies --create-key)")
    parser.add_argument("--faults", default=None, help="e.g. throttle=2,corrupt,deny=KEYID,disable=KEYID")
    args = parser.parse_args(argv)
    double = KMSDouble(region=args.region, faults=args.faults)
    keys = []
    if args.create_key or args.seed_hex:
        keys.append(double.create_key(bytes.fromhex(args.seed_hex) if args.seed_hex else None))
    for name, value in getattr(double, "_pending", []):
        target = value or (keys[0].key_id if keys else "")
        (double.deny if name == "deny" else double.disable)(target)
    double.start()
    print(json.dumps({"endpoint": double.endpoint, **double.env(),
                      "keys": [{"KeyId": k.key_id, "Arn": k.arn, "PublicKeyHex": k.public_raw.hex()} for k in keys]}),
          flush=True)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{double.port}\n")
        os.replace(tmp, args.port_file)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
