"""The Swift binaries against AWS KMS doubles: the owner key held in KMS
(ED25519, the KMS double) and the keystore's key-encryption key in KMS
(symmetric, moto's server).

Interface under test (flags as agreed for issue 16):
  waiaas owner pubkey --kms-key KEY_ID --kms-endpoint URL [--kms-region R]
  waiaas policy sign --owner-kms-key KEY_ID --kms-endpoint URL [--kms-region R] --version N --agent B58 --out F POLICY.json
  waiaasd init --home H --kek aws-kms:KEY_ID --kms-endpoint URL --owner-pubkey X
  waiaasd serve --home H --kms-endpoint URL
Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION), ~/.aws is not read (HOME is a temporary directory), IMDS is off.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import pathlib
import re
import subprocess
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from solders.signature import Signature

from conftest import Daemon, bin_dir
from wallet_helpers import policy_signing_message

POLICY = {"format": 1, "assets": [{"asset": "SOL", "per_transaction": "0.5", "windows": [{"period": "24h", "limit": "5"}]}]}


def run(tool: str, *args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir() / tool), *args], capture_output=True, text=True, timeout=timeout, env=env)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{' '.join(result.args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result


def use_env(monkeypatch, env: dict) -> None:
    """Make `env` the test process's environment, so that Daemon (which does
    not take an env) starts waiaasd with it."""
    for name in list(os.environ):
        if name not in env:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def address(key) -> str:
    return str(Pubkey(key.public_raw))


def write_policy(directory: pathlib.Path) -> pathlib.Path:
    path = directory / "policy.json"
    path.write_text(json.dumps(POLICY))
    return path


def init_home(home: pathlib.Path, env: dict, *extra: str) -> str:
    """`waiaasd init`; returns the agent address it prints."""
    result = ok(run("waiaasd", "init", "--home", str(home), *extra, env=env))
    found = re.search(r"agent: (\w+)", result.stdout)
    assert found, result.stdout
    return found.group(1)


def start_daemon(home: pathlib.Path, *extra: str) -> Daemon:
    d = Daemon(home, list(extra))
    d.args.remove("--dev")
    return d.start()


# ---------------------------------------------------------------- owner key in KMS (ED25519)


def test_owner_pubkey_prints_the_kms_keys_address(kms_double, kms_env):
    key = kms_double.create_key()
    result = ok(run("waiaas", "owner", "pubkey", "--kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint,
                    "--kms-region", "us-east-1", env=kms_env))
    assert result.stdout.split()[-1] == address(key), result.stdout
    assert "GetPublicKey" in kms_double.ops()
    for request in kms_double.requests:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert request["method"] == "POST" and request["path"] == "/"
        assert headers["content-type"] == "application/x-amz-json-1.1"
        assert headers["x-amz-target"].startswith("TrentService.")
        assert request["status"] == 200, request


def test_owner_pubkey_by_alias_and_arn(kms_double, kms_env):
    key = kms_double.create_key()
    kms_double.add_alias("alias/waiaas-owner", key.key_id)
    for key_id in ("alias/waiaas-owner", key.arn):
        result = ok(run("waiaas", "owner", "pubkey", "--kms-key", key_id, "--kms-endpoint", kms_double.endpoint, env=kms_env))
        assert result.stdout.split()[-1] == address(key)


def test_owner_pubkey_with_a_wrong_secret_fails_with_the_aws_error(kms_double, kms_env):
    key = kms_double.create_key()
    env = {**kms_env, "AWS_SECRET_ACCESS_KEY": "not-the-secret"}
    result = run("waiaas", "owner", "pubkey", "--kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint, env=env)
    assert result.returncode in (1, 2), result
    assert "InvalidSignatureException" in result.stdout + result.stderr
    assert "not-the-secret" not in result.stdout + result.stderr


def test_owner_pubkey_with_session_token_credentials(kms_double, kms_env):
    key = kms_double.create_key()
    kms_double.add_credentials("ASIAWAIAASCLI", "cli/temp/secret", "CLI+SESSION/TOKEN=")
    env = {**kms_env, "AWS_ACCESS_KEY_ID": "ASIAWAIAASCLI", "AWS_SECRET_ACCESS_KEY": "cli/temp/secret",
           "AWS_SESSION_TOKEN": "CLI+SESSION/TOKEN="}
    result = ok(run("waiaas", "owner", "pubkey", "--kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint, env=env))
    assert result.stdout.split()[-1] == address(key)
    headers = {k.lower(): v for k, v in kms_double.requests[-1]["headers"].items()}
    assert headers["x-amz-security-token"] == "CLI+SESSION/TOKEN="


def test_owner_pubkey_with_credentials_from_imds(kms_double, kms_env):
    """No credentials in the environment: the chain falls back to IMDSv2 (the
    double serves it; AWS_EC2_METADATA_SERVICE_ENDPOINT points there)."""
    key = kms_double.create_key()
    env = {k: v for k, v in kms_env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    env.update({"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": kms_double.endpoint + "/"})
    result = ok(run("waiaas", "owner", "pubkey", "--kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint, env=env))
    assert result.stdout.split()[-1] == address(key)
    imds = [r["op"] for r in kms_double.requests if r["kind"] == "imds"]
    assert imds[:3] == ["token", "role", "credentials"], imds
    headers = {k.lower(): v for k, v in [r for r in kms_double.requests if r["kind"] == "kms"][-1]["headers"].items()}
    assert headers["x-amz-security-token"] == kms_double.imds_credentials["Token"]


def sign_policy(kms_double, env, key_id: str, agent: str, directory: pathlib.Path, out: pathlib.Path,
                version: int = 1) -> subprocess.CompletedProcess:
    return run("waiaas", "policy", "sign", "--owner-kms-key", key_id, "--kms-endpoint", kms_double.endpoint,
               "--version", str(version), "--agent", agent, "--out", str(out), str(write_policy(directory)), env=env)


def test_policy_sign_with_a_kms_owner_key_verifies_and_the_daemon_accepts_it(kms_double, kms_env, kms_tmp, monkeypatch):
    key = kms_double.create_key()
    home = kms_tmp / "home"
    agent = init_home(home, kms_env, "--owner-pubkey", address(key))
    signed = kms_tmp / "signed.json"
    ok(sign_policy(kms_double, kms_env, key.key_id, agent, kms_tmp, signed))

    document = json.loads(signed.read_text())
    assert document["agent"] == agent and document["version"] == 1
    assert [s["public_key"] for s in document["signatures"]] == [address(key)]
    policy_bytes = base64.b64decode(document["policy"])
    message = policy_signing_message(bytes(Pubkey.from_string(agent)), 1, policy_bytes)
    signature = bytes(Signature.from_string(document["signatures"][0]["signature"]))
    Ed25519PublicKey.from_public_bytes(key.public_raw).verify(signature, message)

    # KMS was asked for exactly PureEdDSA over the policy message.
    sign_requests = [r for r in kms_double.requests if r["op"] == "Sign"]
    assert len(sign_requests) == 1
    request = sign_requests[0]["request"]
    assert request["SigningAlgorithm"] == "ED25519_SHA_512" and request["MessageType"] == "RAW"
    assert base64.b64decode(request["Message"]) == message
    assert hashlib.sha256(policy_bytes).digest() in message

    use_env(monkeypatch, kms_env)
    d = start_daemon(home)
    try:
        result = ok(run("waiaas", "policy", "set", "--socket", d.socket_path, "--json", str(signed), env=kms_env))
        assert json.loads(result.stdout)["version"] == 1
        status = json.loads(ok(run("waiaas", "status", "--socket", d.socket_path, "--json", env=kms_env)).stdout)
        assert status["owners"] == [address(key)] and status["policy_version"] == 1
    finally:
        d.stop()


def test_policy_sign_adds_a_kms_signature_beside_a_file_owner(kms_double, kms_env, kms_tmp):
    key = kms_double.create_key()
    local_file = kms_tmp / "local-owner.json"
    ok(run("waiaas", "owner", "keygen", "--out", str(local_file), env=kms_env))
    local = Keypair.from_json(local_file.read_text())
    agent = str(Keypair().pubkey())
    signed = kms_tmp / "signed.json"
    policy = write_policy(kms_tmp)
    ok(run("waiaas", "policy", "sign", "--owner-key", str(local_file), "--version", "3", "--agent", agent,
           "--out", str(signed), str(policy), env=kms_env))
    ok(run("waiaas", "policy", "sign", "--owner-kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint,
           "--version", "3", "--agent", agent, "--out", str(signed), str(policy), env=kms_env))
    document = json.loads(signed.read_text())
    assert sorted(s["public_key"] for s in document["signatures"]) == sorted([str(local.pubkey()), address(key)])
    message = policy_signing_message(bytes(Pubkey.from_string(agent)), 3, base64.b64decode(document["policy"]))
    for entry in document["signatures"]:
        Ed25519PublicKey.from_public_bytes(bytes(Pubkey.from_string(entry["public_key"]))).verify(
            bytes(Signature.from_string(entry["signature"])), message)


def test_policy_sign_refuses_a_wrong_kms_signature_and_writes_nothing(kms_double, kms_env, kms_tmp):
    key = kms_double.create_key()
    kms_double.corrupt_signatures(True)
    signed = kms_tmp / "signed.json"
    result = sign_policy(kms_double, kms_env, key.key_id, str(Keypair().pubkey()), kms_tmp, signed)
    assert result.returncode in (1, 2), result
    assert not signed.exists()
    assert "Sign" in kms_double.ops()


def test_policy_sign_retries_after_throttling(kms_double, kms_env, kms_tmp):
    key = kms_double.create_key()
    kms_double.throttle_next(2)
    signed = kms_tmp / "signed.json"
    ok(sign_policy(kms_double, kms_env, key.key_id, str(Keypair().pubkey()), kms_tmp, signed))
    assert signed.exists()
    throttled = [r for r in kms_double.requests if r["error"] == "ThrottlingException"]
    assert len(throttled) == 2
    assert kms_double.requests[-1]["op"] == "Sign" and kms_double.requests[-1]["status"] == 200


def test_policy_sign_with_access_denied_names_the_aws_error(kms_double, kms_env, kms_tmp):
    key = kms_double.create_key()
    kms_double.deny(key.key_id)
    signed = kms_tmp / "signed.json"
    result = sign_policy(kms_double, kms_env, key.key_id, str(Keypair().pubkey()), kms_tmp, signed)
    assert result.returncode in (1, 2), result
    assert "AccessDeniedException" in result.stdout + result.stderr
    assert not signed.exists()
    # Not retryable: one attempt per operation.
    assert len([r for r in kms_double.requests if r["error"] == "AccessDeniedException"]) == 1


def test_policy_sign_with_a_disabled_key_names_the_aws_error(kms_double, kms_env, kms_tmp):
    key = kms_double.create_key()
    kms_double.disable(key.key_id)
    signed = kms_tmp / "signed.json"
    result = sign_policy(kms_double, kms_env, key.key_id, str(Keypair().pubkey()), kms_tmp, signed)
    assert result.returncode in (1, 2), result
    assert "DisabledException" in result.stdout + result.stderr
    assert not signed.exists()


# ---------------------------------------------------------------- key-encryption key in KMS (symmetric, moto)


def snapshot(directory: pathlib.Path) -> dict:
    """Every file under `directory` with its bytes and mtime: what "nothing written" compares."""
    return {str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if p.is_file()}


def sign_transfer(d: Daemon, agent: str, lamports: int, env: dict) -> dict:
    """`waiaas sign --json` of a SOL transfer; the agent's signature is checked over the message."""
    from wallet_helpers import transfer_tx, verify_agent_signature, tx_message_bytes
    agent_key = Pubkey.from_string(agent)
    transaction = transfer_tx(agent_key, Keypair().pubkey(), lamports)
    answer = json.loads(ok(run("waiaas", "sign", "--socket", d.socket_path, "--json",
                               "--tx", base64.b64encode(transaction).decode(), env=env)).stdout)
    signed = base64.b64decode(answer["transaction"])
    verify_agent_signature(signed[1:65], agent_key, tx_message_bytes(transaction))
    return answer


def kms_home(moto_kms, aws_env, kms_tmp, name: str = "home") -> tuple[pathlib.Path, str, pathlib.Path]:
    """A home sealed by moto's key, owned by a local owner key; returns (home, agent, owner key file)."""
    owner_file = kms_tmp / f"{name}-owner.json"
    ok(run("waiaas", "owner", "keygen", "--out", str(owner_file), env=aws_env))
    owner = Keypair.from_json(owner_file.read_text())
    home = kms_tmp / name
    agent = init_home(home, aws_env, "--kek", f"aws-kms:{moto_kms.symmetric_key_id}",
                      "--kms-endpoint", moto_kms.endpoint, "--owner-pubkey", str(owner.pubkey()))
    return home, agent, owner_file


def serve_failure(home: pathlib.Path, env: dict, *extra: str) -> str:
    """Starts `waiaasd serve`, which must exit non-zero before listening; returns its output."""
    process = subprocess.Popen([str(bin_dir() / "waiaasd"), "serve", "--home", str(home), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"waiaasd serve kept running:\n{output}")
    assert process.returncode != 0, output
    assert "listening on" not in output
    return output


def test_init_and_serve_with_an_aws_kms_kek_survive_a_restart(moto_kms, aws_env, kms_tmp, monkeypatch):
    home, agent, owner_file = kms_home(moto_kms, aws_env, kms_tmp)
    owner = str(Keypair.from_json(owner_file.read_text()).pubkey())
    keystore = json.loads((home / "keystore.json").read_text())
    assert keystore["kek"] == "aws-kms", keystore
    assert keystore["kms"]["keyId"] == moto_kms.symmetric_key_id
    # No key-encryption key on disk: only KMS can unseal the agent key.
    assert sorted(p.name for p in home.iterdir()) == ["config.json", "config.tag", "keystore.json"], sorted(home.iterdir())
    # The stored data key is KMS's own ciphertext, bound to this agent: KMS opens it only under that context.
    blob = base64.b64decode(keystore["kms"]["encryptedDataKey"])
    opened = moto_kms.client().decrypt(CiphertextBlob=blob, KeyId=moto_kms.symmetric_key_id,
                                       EncryptionContext={"waiaas:agent": agent, "waiaas:purpose": "agent-keystore-kek"})
    assert len(opened["Plaintext"]) == 32

    use_env(monkeypatch, aws_env)
    policy = kms_tmp / "policy.json"
    policy.write_text(json.dumps(POLICY))
    signed_policy = kms_tmp / "policy.signed.json"
    ok(run("waiaas", "policy", "sign", "--owner-key", str(owner_file), "--version", "1", "--agent", agent,
           "--out", str(signed_policy), str(policy), env=aws_env))
    d = start_daemon(home, "--kms-endpoint", moto_kms.endpoint)
    try:
        status = json.loads(ok(run("waiaas", "status", "--socket", d.socket_path, "--json", env=aws_env)).stdout)
        assert status["agent"] == agent
        assert status["owners"] == [owner]
        ok(run("waiaas", "policy", "set", "--socket", d.socket_path, str(signed_policy), env=aws_env))
        sign_transfer(d, agent, 200_000_000, env=aws_env)
    finally:
        d.stop()
    # A restart unseals the same key through KMS again, and the window remembers the first transfer.
    d = start_daemon(home, "--kms-endpoint", moto_kms.endpoint)
    try:
        sign_transfer(d, agent, 300_000_000, env=aws_env)
        status = json.loads(ok(run("waiaas", "status", "--socket", d.socket_path, "--json", env=aws_env)).stdout)
        assert status["agent"] == agent and status["policy_version"] == 1
    finally:
        d.stop()


def test_serve_with_the_keystore_pointed_at_another_kms_key_fails_and_writes_nothing(moto_kms, aws_env, kms_tmp):
    home, _, _ = kms_home(moto_kms, aws_env, kms_tmp)
    other = moto_kms.client().create_key(Description="another key", KeySpec="SYMMETRIC_DEFAULT", KeyUsage="ENCRYPT_DECRYPT")
    other_id = other["KeyMetadata"]["KeyId"]
    path = home / "keystore.json"
    path.write_text(path.read_text().replace(moto_kms.symmetric_key_id, other_id))
    before = snapshot(home)
    output = serve_failure(home, aws_env, "--kms-endpoint", moto_kms.endpoint)
    # KMS refuses the data key under the other key (real KMS: IncorrectKeyException;
    # moto 5 answers AccessDeniedException), and were it opened, the keystore's AEAD,
    # which binds the key id, would refuse the edited record.
    assert any(name in output for name in ("IncorrectKeyException", "AccessDeniedException", "wrong_key")), output
    assert snapshot(home) == before


def test_serve_with_another_homes_data_key_fails(moto_kms, aws_env, kms_tmp):
    """The encryption context names the agent: a data key moved from another
    keystore is refused by KMS itself, before the AEAD is even tried."""
    home, _, _ = kms_home(moto_kms, aws_env, kms_tmp, "home")
    other, _, _ = kms_home(moto_kms, aws_env, kms_tmp, "other")
    mine = json.loads((home / "keystore.json").read_text())
    theirs = json.loads((other / "keystore.json").read_text())
    text = (home / "keystore.json").read_text().replace(mine["kms"]["encryptedDataKey"], theirs["kms"]["encryptedDataKey"])
    (home / "keystore.json").write_text(text)
    before = snapshot(home)
    output = serve_failure(home, aws_env, "--kms-endpoint", moto_kms.endpoint)
    assert "InvalidCiphertextException" in output or "wrong_key" in output, output
    assert snapshot(home) == before


def test_serve_with_kms_unreachable_fails_and_says_why(moto_kms, aws_env, kms_tmp):
    home, _, _ = kms_home(moto_kms, aws_env, kms_tmp)
    before = snapshot(home)
    output = serve_failure(home, aws_env, "--kms-endpoint", "http://127.0.0.1:9")
    assert "kms_transport" in output, output
    assert snapshot(home) == before


def test_serve_with_a_disabled_kek_exits_nonzero(moto_kms, aws_env, kms_tmp):
    """Note: moto 5.2.1 does not refuse Decrypt/GenerateDataKey on a disabled key
    (real KMS answers DisabledException); it does report KeyState "Disabled"
    in DescribeKey. So with moto this passes only if the daemon checks the
    key's state (DescribeKey) or its Decrypt fails."""
    home = kms_tmp / "home"
    init_home(home, aws_env, "--kek", f"aws-kms:{moto_kms.symmetric_key_id}", "--kms-endpoint", moto_kms.endpoint,
              "--owner-pubkey", str(Keypair().pubkey()))
    moto_kms.client().disable_key(KeyId=moto_kms.symmetric_key_id)
    before = snapshot(home)
    output = serve_failure(home, aws_env, "--kms-endpoint", moto_kms.endpoint)
    assert "DisabledException" in output or "disabled" in output.lower(), output
    assert snapshot(home) == before


def test_init_with_a_missing_kek_fails_and_writes_nothing(moto_kms, aws_env, kms_tmp):
    home = kms_tmp / "home"
    missing = str(uuid.uuid4())
    result = run("waiaasd", "init", "--home", str(home), "--kek", f"aws-kms:{missing}", "--kms-endpoint", moto_kms.endpoint,
                 "--owner-pubkey", str(Keypair().pubkey()), env=aws_env)
    assert result.returncode != 0, result
    assert "NotFoundException" in result.stdout + result.stderr
    assert not home.exists(), sorted(str(p) for p in home.rglob("*"))


def test_unfreeze_signed_with_a_kms_owner_key_is_accepted(kms_double, kms_env, kms_tmp, monkeypatch):
    key = kms_double.create_key()
    home = kms_tmp / "home"
    agent = init_home(home, kms_env, "--owner-pubkey", address(key))
    use_env(monkeypatch, kms_env)
    d = start_daemon(home)
    try:
        frozen = json.loads(ok(run("waiaas", "freeze", "--socket", d.socket_path, "--reason", "owner drill", "--json", env=kms_env)).stdout)
        out = kms_tmp / "unfreeze.json"
        ok(run("waiaas", "unfreeze", "sign", "--owner-kms-key", key.key_id, "--kms-endpoint", kms_double.endpoint, "--agent", agent,
               "--sequence", str(frozen["sequence"]), "--out", str(out), env=kms_env))
        sign_requests = [r for r in kms_double.requests if r["op"] == "Sign"]
        assert sign_requests and sign_requests[-1]["request"]["SigningAlgorithm"] == "ED25519_SHA_512"
        message = base64.b64decode(sign_requests[-1]["request"]["Message"])
        assert message.startswith(b"\xffwaiaas unfreeze v1\x00") and message[-8:] == frozen["sequence"].to_bytes(8, "big")
        ok(run("waiaas", "unfreeze", "set", "--socket", d.socket_path, str(out), env=kms_env))
        status = json.loads(ok(run("waiaas", "status", "--socket", d.socket_path, "--json", env=kms_env)).stdout)
        assert status["frozen"] is False
    finally:
        d.stop()
