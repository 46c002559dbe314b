// scenarios.json against a live daemon with the generated JavaScript client
// (clients/js), on one connection to a fresh daemon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AttestationReport, WaiaasError, WalletClient } from '../../../clients/js/index.js';
import { Daemon, SCENARIOS, ed25519Sign, ed25519Verify, setPolicyMessage, transfer } from './live.mjs';

let daemon, client;
const ctx = { policy: new Uint8Array(), txMessage: {} };
const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1);
const equalBytes = (a, b) => Buffer.from(a).equals(Buffer.from(b));

before(async () => {
  daemon = await Daemon.start();
  client = new WalletClient(daemon.socket);
});
after(async () => {
  client?.close();
  await daemon?.stop();
});

function buildRequest(step) {
  const r = { ...step.request };
  if ('transfer_lamports' in r) {
    const { transaction, message } = transfer(daemon.agent, r.transfer_lamports);
    delete r.transfer_lamports;
    ctx.txMessage[step.name] = message;
    r.transaction = transaction;
  }
  if ('dry_run' in r) { r.dryRun = r.dry_run; delete r.dry_run; }
  if (r.policy === 'current') {
    r.policy = ctx.policy;
    const owner = daemon.ownerKeypair;
    const signature = r.sign_with === 'owner' ? ed25519Sign(owner, setPolicyMessage(daemon.agent, r.version, ctx.policy)) : new Uint8Array(64);
    delete r.sign_with;
    r.signatures = [{ publicKey: owner.subarray(32), signature }];
    r.agentPublicKey = daemon.agent;
  }
  if ('nonce_hex' in r) { r.nonce = new Uint8Array(Buffer.from(r.nonce_hex, 'hex')); delete r.nonce_hex; }
  return r;
}

async function one(step, request) {
  const options = step.timeout_ms ? { timeoutMs: step.timeout_ms } : {};
  try {
    if (step.method_path) return { response: await client.callRaw(step.method_path, new Uint8Array(), options) };
    return { response: await client[lowerFirst(step.method)](request, options) };
  } catch (error) {
    if (!(error instanceof WaiaasError)) throw error;
    return { error };
  }
}

function check(step, { response, error }) {
  const e = step.expect;
  assert.equal(error ? error.code : 0, e.status, `${step.name}: ${error?.message}`);
  if (error) {
    const codes = error.reasons.map((r) => r.code);
    if (e.reasons) assert.deepEqual(codes, e.reasons);
    for (const c of e.reasons_include ?? []) assert.ok(codes.includes(c), `${c} in ${codes}`);
    if ('client_side' in e) assert.equal(error.clientSide, e.client_side);
    return;
  }
  if (e.reasons) assert.deepEqual(response.reasons.map((r) => r.code), e.reasons);
  if (e.agent_is_banner_agent) assert.ok(equalBytes(response.agentPublicKey, daemon.agent));
  if ('platform' in e) assert.equal(response.platform, e.platform);
  if ('owner_threshold' in e) assert.equal(response.ownerThreshold, e.owner_threshold);
  if ('policy_version' in e) assert.equal(response.policyVersion ?? response.version, BigInt(e.policy_version));
  if ('signature_count' in e) {
    assert.equal(response.signatures.length, e.signature_count);
    ctx.policy = response.policy;
  }
  if ('decision' in e) assert.equal(response.decision, e.decision);
  if (e.signature_verifies) {
    assert.ok(ed25519Verify(daemon.agent, ctx.txMessage[step.name], response.signature));
    assert.ok(equalBytes(response.signedTransaction.subarray(1, 65), response.signature));
  }
  if (e.signer_is_agent) assert.ok(equalBytes(response.signer, daemon.agent));
  if (e.signature_empty) assert.equal(response.signature.length, 0);
  if (e.report_nonce_echoed) {
    const report = AttestationReport.decode(response.report);
    assert.equal(Buffer.from(report.nonce).toString('hex'), step.request.nonce_hex);
    if (e.report_agent_is_agent) assert.ok(equalBytes(report.agentPublicKey, daemon.agent));
  }
  if ('signature_length' in e) assert.equal(response.signature.length, e.signature_length);
}

for (const step of SCENARIOS.steps) {
  test(step.name, async () => {
    const request = buildRequest(step);
    let outcomes;
    if (step.pause_daemon) {
      daemon.pause();
      try { outcomes = [await one(step, request)]; } finally { daemon.resume(); }
    } else if (step.concurrent) {
      outcomes = await Promise.all(Array.from({ length: step.concurrent }, () => one(step, request)));
    } else {
      outcomes = [await one(step, request)];
    }
    for (const o of outcomes) check(step, o);
  });
}
