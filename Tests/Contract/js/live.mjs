// A live waiaasd for the JavaScript contract scenarios and the benchmark:
// `waiaasd serve --dev --home TMP/home`, its agent read from the banner.
// WAIAAS_BIN names the directory holding waiaasd (default: .build/debug).
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('../../../', import.meta.url).pathname;
export const SCENARIOS = JSON.parse(readFileSync(new URL('../scenarios.json', import.meta.url), 'utf8'));

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export function b58decode(s) {
  let n = 0n;
  for (const ch of s) n = n * 58n + BigInt(BASE58.indexOf(ch));
  const bytes = [];
  while (n > 0n) { bytes.unshift(Number(n & 0xffn)); n >>= 8n; }
  const zeros = s.length - s.replace(/^1+/, '').length;
  return new Uint8Array([...new Array(zeros).fill(0), ...bytes]);
}

export class Daemon {
  static async start(binDir = process.env.WAIAAS_BIN || join(ROOT, '.build', 'debug')) {
    const d = new Daemon();
    d.tmp = mkdtempSync(join(tmpdir(), 'waiaas-contract-js-'));
    d.home = join(d.tmp, 'home');
    d.socket = join(d.home, 'waiaasd.sock');
    d.logPath = join(d.tmp, 'daemon.log');
    const log = openSync(d.logPath, 'w');
    d.proc = spawn(join(binDir, 'waiaasd'), ['serve', '--dev', '--home', d.home], { stdio: ['ignore', log, log] });
    d.exited = new Promise((resolve) => d.proc.on('exit', resolve));
    const deadline = Date.now() + 60000;
    let text = '';
    while (Date.now() < deadline) {
      text = readFileSync(d.logPath, 'utf8');
      if (text.includes('listening on') && existsSync(d.socket)) break;
      if (d.proc.exitCode !== null) throw new Error(`waiaasd exited with ${d.proc.exitCode}:\n${text}`);
      await sleep(50);
    }
    const m = /^agent: (\w+)/m.exec(text);
    if (!m) { await d.stop(); throw new Error(`waiaasd did not start:\n${text}`); }
    d.agent = b58decode(m[1]);
    d.ownerKeypair = new Uint8Array(JSON.parse(readFileSync(join(d.home, 'owner-dev.json'), 'utf8')));
    return d;
  }

  // SIGSTOP takes effect asynchronously: wait until every thread of the
  // daemon is stopped, so no call sent after pause() can be answered.
  pause() {
    process.kill(this.proc.pid, 'SIGSTOP');
    const taskDir = `/proc/${this.proc.pid}/task`;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const states = [];
      for (const tid of readdirSync(taskDir)) {
        try { states.push(readFileSync(`${taskDir}/${tid}/stat`, 'utf8').split(')').pop().trim().split(' ')[0]); } catch { /* thread gone */ }
      }
      if (states.length > 0 && states.every((s) => s === 'T' || s === 't')) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
    throw new Error(`daemon ${this.proc.pid} did not stop within 5 s`);
  }
  resume() { process.kill(this.proc.pid, 'SIGCONT'); }

  async stop() {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGCONT');
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
      await this.exited;
      clearTimeout(t);
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

const DESTINATION = new Uint8Array(32).fill(0x33);
const BLOCKHASH = new Uint8Array(32).fill(0x42);

/** A legacy System transfer from the agent: { transaction (one zeroed signature slot), message }. */
export function transfer(agent, lamports) {
  const data = Buffer.alloc(12);
  data.writeUInt32LE(2, 0);
  data.writeBigUInt64LE(BigInt(lamports), 4);
  const message = Buffer.concat([Buffer.from([1, 0, 1, 3]), agent, DESTINATION, Buffer.alloc(32), BLOCKHASH,
    Buffer.from([1, 2, 2, 0, 1, 12]), data]);
  const transaction = Buffer.concat([Buffer.from([1]), Buffer.alloc(64), message]);
  return { transaction: new Uint8Array(transaction), message: new Uint8Array(message) };
}

export function setPolicyMessage(agent, version, policy) {
  const v = Buffer.alloc(8);
  v.writeBigUInt64BE(BigInt(version));
  return Buffer.concat([Buffer.from([0xff]), Buffer.from('waiaas set-policy v1'), Buffer.from([0]), agent, v,
    createHash('sha256').update(policy).digest()]);
}

/** ed25519 with raw keys: the 32-byte seed wrapped as PKCS#8, the public key as SPKI. */
export function ed25519Sign(keypair64, message) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), keypair64.subarray(0, 32)]);
  return new Uint8Array(sign(null, message, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })));
}

export function ed25519Verify(publicKey32, message, signature) {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey32]);
  return verify(null, message, createPublicKey({ key: der, format: 'der', type: 'spki' }), signature);
}
