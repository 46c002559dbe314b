"""Fixtures for the KMS tests: the KMS double (ED25519 + IMDSv2), moto's KMS
server (symmetric keys), and the AWS environment for the binaries under test.

Compatibility with Tests/python/conftest.py: conftest.py files outside a
package are all imported under the module name `conftest`, and pytest drops
the previous one from sys.modules before importing the next. Test modules in
Tests/python collected after this directory do `from conftest import Daemon,
FrameSocket, bin_dir, REPO`, so this module re-exports those names (from the
parent conftest, loaded once more under a private module name). No fixture
names clash with the parent's (proto, daemon_home, daemon).
"""
from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _parent_conftest():
    name = "waiaas_tests_python_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE.parent / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_parent = _parent_conftest()
REPO = _parent.REPO
Daemon = _parent.Daemon
FrameSocket = _parent.FrameSocket
bin_dir = _parent.bin_dir

from kms_double import KMSDouble  # noqa: E402

MOTO_ACCESS_KEY = "AKIDWAIAASMOTO"
MOTO_SECRET_KEY = "moto/secret/EXAMPLE"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kms_double():
    """A started KMS double (see kms_double.py); stopped after the test."""
    double = KMSDouble(region=REGION).start()
    yield double
    double.stop()


@pytest.fixture
def kms_tmp():
    """A short private directory (Unix socket paths have at most 107 bytes)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="waiaas-kms-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def aws_env(kms_tmp):
    """The environment for the binaries under test: fake static credentials,
    region us-east-1, IMDS off, HOME (and so ~/.aws) in a temporary directory,
    no AWS_PROFILE / config files / web identity from the caller's shell.
    Tests that talk to the KMS double replace the credentials with
    `kms_double.env()` (see kms_env)."""
    home = kms_tmp / "user-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
    })
    return env


@pytest.fixture
def kms_env(aws_env, kms_double):
    """aws_env with the KMS double's credentials."""
    return {**aws_env, **kms_double.env()}


class MotoKMS:
    def __init__(self, endpoint: str, process: subprocess.Popen):
        self.endpoint = endpoint
        self.process = process
        self.symmetric_key_id = ""

    def client(self):
        import botocore.session

        session = botocore.session.get_session()
        return session.create_client("kms", region_name=REGION, endpoint_url=self.endpoint,
                                     aws_access_key_id=MOTO_ACCESS_KEY, aws_secret_access_key=MOTO_SECRET_KEY)


@pytest.fixture
def moto_kms(kms_tmp):
    """moto's server on loopback (a separate process, `python3 -m moto.server`),
    with one symmetric (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) key made through
    botocore; yields a MotoKMS (endpoint, symmetric_key_id, client())."""
    port = free_port()
    log = open(kms_tmp / "moto.log", "w")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": str(kms_tmp), "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY})
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"moto.server exited {process.returncode}:\n{(kms_tmp / 'moto.log').read_text()}")
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise AssertionError(f"moto.server did not answer on {endpoint}:\n{(kms_tmp / 'moto.log').read_text()}")
                time.sleep(0.1)
        moto = MotoKMS(endpoint, process)
        created = moto.client().create_key(Description="waiaas test KEK", KeySpec="SYMMETRIC_DEFAULT",
                                           KeyUsage="ENCRYPT_DECRYPT")
        moto.symmetric_key_id = created["KeyMetadata"]["KeyId"]
        yield moto
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
