// Framing, call multiplexing and deadlines over the daemon's Unix socket
// (docs/PROTOCOL.md): each frame is a 4-byte big-endian length and a
// serialized Envelope; answers echo the call id and may arrive in any
// order; call id 0 from the server is a connection error, then close.
import net from 'node:net';
import { Envelope } from './messages.js';

/** The largest answer frame accepted (the daemon's default maximum). */
export const MAX_FRAME_BYTES = 262144;
/** The daemon caps call deadlines at 300 s. */
export const MAX_TIMEOUT_MS = 300000;

/** gRPC's status codes, as the daemon uses them. */
export const StatusCode = Object.freeze({
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5,
  ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14,
  DATA_LOSS: 15, UNAUTHENTICATED: 16,
});
const CODE_NAMES = Object.fromEntries(Object.entries(StatusCode).map(([k, v]) => [v, k]));

/**
 * A call that did not succeed: the daemon's status, or one this client made up
 * (DEADLINE_EXCEEDED when its own timer fired, UNAVAILABLE when the connection is gone).
 */
export class WaiaasError extends Error {
  constructor(code, message, reasons = [], { method = '', clientSide = false } = {}) {
    const name = CODE_NAMES[code] ?? `CODE_${code}`;
    const why = reasons.length ? ` [${reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}]` : '';
    super(`${name}: ${message}${why}`);
    this.name = 'WaiaasError';
    this.code = code;
    this.codeName = name;
    this.details = message;
    this.reasons = reasons.map((r) => ({ code: r.code, message: r.message }));
    this.method = method;
    this.clientSide = clientSide;
  }
}

/** One socket shared by every call of a client; answers are routed by call id. */
export class Connection {
  constructor(socketPath) {
    this.socketPath = socketPath;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    this.buffer = Buffer.alloc(0);
    this.socket = net.createConnection(socketPath);
    this.socket.unref();
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (e) => this.fail(new WaiaasError(StatusCode.UNAVAILABLE, `connection to ${socketPath}: ${e.message}`, [], { clientSide: true })));
    this.socket.on('close', () => this.fail(new WaiaasError(StatusCode.UNAVAILABLE, 'the daemon closed the connection', [], { clientSide: true })));
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length === 0 || length > MAX_FRAME_BYTES) {
        this.fail(new WaiaasError(StatusCode.UNAVAILABLE, `answer frame of ${length} bytes is out of bounds`, [], { clientSide: true }));
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < 4 + length) return;
      const body = new Uint8Array(this.buffer.subarray(4, 4 + length));
      this.buffer = this.buffer.subarray(4 + length);
      let env;
      try {
        env = Envelope.decode(body);
      } catch (e) {
        this.fail(new WaiaasError(StatusCode.UNAVAILABLE, `undecodable answer: ${e.message}`, [], { clientSide: true }));
        this.socket.destroy();
        return;
      }
      if (env.callId === 0n) {
        const s = env.status ?? { code: StatusCode.UNKNOWN, message: 'connection error', reasons: [] };
        this.fail(new WaiaasError(s.code, s.message, s.reasons));
        this.socket.destroy();
        return;
      }
      const call = this.pending.get(Number(env.callId));
      if (!call) continue;
      this.settle(Number(env.callId));
      if (env.status && env.status.code !== 0) {
        call.reject(new WaiaasError(env.status.code, env.status.message, env.status.reasons, { method: call.method }));
      } else {
        call.resolve(env.payload);
      }
    }
  }

  settle(id) {
    const call = this.pending.get(id);
    if (!call) return;
    clearTimeout(call.timer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.socket.unref();
  }

  fail(error) {
    if (!this.failure) this.failure = error;
    for (const [id, call] of [...this.pending]) {
      this.settle(id);
      call.reject(new WaiaasError(error.code, error.details, error.reasons, { method: call.method, clientSide: error.clientSide }));
    }
  }

  /** Sends one call; resolves with the answer's payload bytes or rejects with a WaiaasError. */
  call(method, payload, { timeoutMs, metadata } = {}) {
    if (this.failure) {
      const f = this.failure;
      return Promise.reject(new WaiaasError(f.code, f.details, f.reasons, { method, clientSide: f.clientSide }));
    }
    const id = this.nextId++;
    const deadline = timeoutMs == null ? 0 : Math.max(1, Math.min(MAX_TIMEOUT_MS, Math.ceil(timeoutMs)));
    const body = Envelope.encode({ callId: BigInt(id), method, payload, timeoutMs: deadline, metadata: metadata ?? {} });
    const frame = Buffer.alloc(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    frame.set(body, 4);
    return new Promise((resolve, reject) => {
      const call = { method, resolve, reject, timer: undefined };
      if (timeoutMs != null) {
        call.timer = setTimeout(() => {
          this.settle(id);
          reject(new WaiaasError(StatusCode.DEADLINE_EXCEEDED, `no answer within ${timeoutMs} ms (client-side deadline)`, [], { method, clientSide: true }));
        }, timeoutMs);
      }
      this.pending.set(id, call);
      this.socket.ref();
      this.socket.write(frame);
    });
  }

  /** Closes the connection; calls in flight reject with UNAVAILABLE. */
  close() {
    this.fail(new WaiaasError(StatusCode.UNAVAILABLE, 'client closed', [], { clientSide: true }));
    this.socket.destroy();
  }
}
