// proto3 wire codec, driven by the field tables in messages.js.
//   64-bit integers are BigInt (numbers are accepted when encoding),
//   bytes are Uint8Array, maps are plain objects, enums are numbers,
//   an absent message field is undefined, a oneof member is present only when set.

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const EMPTY = new Uint8Array(0);
const U64 = (1n << 64n) - 1n;

const WIRE = {
  double: 1, float: 5, int64: 0, uint64: 0, int32: 0, fixed64: 1, fixed32: 5, bool: 0, string: 2,
  bytes: 2, uint32: 0, enum: 0, sfixed32: 5, sfixed64: 1, sint32: 0, sint64: 0, message: 2,
};
const IS64 = { int64: true, uint64: true, fixed64: true, sfixed64: true, sint64: true };

class Writer {
  constructor() { this.buf = new Uint8Array(64); this.pos = 0; }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  byte(b) { this.ensure(1); this.buf[this.pos++] = b; }
  varint(n) { // n: a non-negative Number below 2^53
    this.ensure(10);
    while (n > 0x7f) { this.buf[this.pos++] = (n % 128) | 0x80; n = Math.floor(n / 128); }
    this.buf[this.pos++] = n;
  }
  varint64(v) { // v: BigInt, taken modulo 2^64
    v = BigInt.asUintN(64, v);
    if (v <= 0x1fffffffffffffn) { this.varint(Number(v)); return; }
    this.ensure(10);
    while (v > 0x7fn) { this.buf[this.pos++] = Number(v & 0x7fn) | 0x80; v >>= 7n; }
    this.buf[this.pos++] = Number(v);
  }
  tag(no, wire) { this.varint(no * 8 + wire); }
  bytes(b) { this.varint(b.length); this.ensure(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
  fixed32(n) { this.ensure(4); new DataView(this.buf.buffer).setUint32(this.pos, n >>> 0, true); this.pos += 4; }
  fixed64(v) { this.ensure(8); new DataView(this.buf.buffer).setBigUint64(this.pos, BigInt.asUintN(64, v), true); this.pos += 8; }
  finish() { return this.buf.slice(0, this.pos); }
}

class Reader {
  constructor(bytes) { this.buf = bytes; this.pos = 0; this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); }
  get done() { return this.pos >= this.buf.length; }
  varint64() {
    let result = 0n, shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new Error('varint longer than 10 bytes');
  }
  varint32() { // the low 32 bits, unsigned
    let result = 0, shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      if (shift < 32) result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result % 2 ** 32;
      shift += 7;
    }
    throw new Error('varint longer than 10 bytes');
  }
  bytes() {
    const n = this.varint32();
    if (this.pos + n > this.buf.length) throw new Error('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  fixed32() { if (this.pos + 4 > this.buf.length) throw new Error('truncated fixed32'); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  fixed64() { if (this.pos + 8 > this.buf.length) throw new Error('truncated fixed64'); const v = this.view.getBigUint64(this.pos, true); this.pos += 8; return v; }
  skip(wire) {
    switch (wire) {
      case 0: this.varint64(); break;
      case 1: this.fixed64(); break;
      case 2: this.bytes(); break;
      case 5: this.fixed32(); break;
      default: throw new Error(`unsupported wire type ${wire}`);
    }
  }
}

function writeScalar(w, type, v) {
  switch (type) {
    case 'double': { w.ensure(8); new DataView(w.buf.buffer).setFloat64(w.pos, v, true); w.pos += 8; return; }
    case 'float': { w.ensure(4); new DataView(w.buf.buffer).setFloat32(w.pos, v, true); w.pos += 4; return; }
    case 'int64': case 'uint64': w.varint64(BigInt(v)); return;
    case 'sint64': { const b = BigInt.asIntN(64, BigInt(v)); w.varint64((b << 1n) ^ (b >> 63n)); return; }
    case 'int32': case 'enum': { const n = Number(v) | 0; if (n >= 0) w.varint(n); else w.varint64(BigInt(n)); return; }
    case 'uint32': w.varint(Number(v) >>> 0); return;
    case 'sint32': { const n = Number(v) | 0; w.varint(((n << 1) ^ (n >> 31)) >>> 0); return; }
    case 'bool': w.varint(v ? 1 : 0); return;
    case 'fixed32': case 'sfixed32': w.fixed32(Number(v)); return;
    case 'fixed64': case 'sfixed64': w.fixed64(BigInt(v)); return;
    case 'string': w.bytes(textEncoder.encode(String(v))); return;
    case 'bytes': w.bytes(v); return;
    default: throw new Error(`unknown scalar type ${type}`);
  }
}

function readScalar(r, type) {
  switch (type) {
    case 'double': { const v = r.view.getFloat64(r.pos, true); r.pos += 8; return v; }
    case 'float': { const v = r.view.getFloat32(r.pos, true); r.pos += 4; return v; }
    case 'int64': return BigInt.asIntN(64, r.varint64());
    case 'uint64': return r.varint64();
    case 'sint64': { const u = r.varint64(); return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n)); }
    case 'int32': case 'enum': return r.varint32() | 0;
    case 'uint32': return r.varint32();
    case 'sint32': { const u = r.varint32(); return (u >>> 1) ^ -(u & 1); }
    case 'bool': return r.varint64() !== 0n;
    case 'fixed32': return r.fixed32();
    case 'sfixed32': return r.fixed32() | 0;
    case 'fixed64': return r.fixed64();
    case 'sfixed64': return BigInt.asIntN(64, r.fixed64());
    case 'string': return textDecoder.decode(r.bytes());
    case 'bytes': return r.bytes().slice();
    default: throw new Error(`unknown scalar type ${type}`);
  }
}

function defaultOf(type) {
  if (IS64[type]) return 0n;
  switch (type) {
    case 'bool': return false;
    case 'string': return '';
    case 'bytes': return EMPTY;
    case 'message': return undefined;
    default: return 0;
  }
}

function isDefault(type, v) {
  if (v === undefined || v === null) return true;
  if (IS64[type]) return BigInt(v) === 0n;
  switch (type) {
    case 'bool': return !v;
    case 'string': return v === '';
    case 'bytes': return v.length === 0;
    default: return Number(v) === 0 && !Object.is(v, -0);
  }
}

function mapKey(type, key) { // object keys are strings; the wire wants the key's own type
  if (IS64[type]) return BigInt(key);
  if (type === 'bool') return key === 'true';
  if (type === 'string') return key;
  return Number(key);
}

function encodeInto(w, type, value) {
  for (const f of type.fields) {
    const v = value[f.name];
    if (f.map) {
      if (v == null) continue;
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      for (const [k, val] of entries) {
        const e = new Writer();
        e.tag(1, WIRE[f.map.key]); writeScalar(e, f.map.key, mapKey(f.map.key, k));
        if (f.map.value === 'message') { e.tag(2, 2); e.bytes(f.message().encode(val)); }
        else { e.tag(2, WIRE[f.map.value]); writeScalar(e, f.map.value, val); }
        w.tag(f.no, 2); w.bytes(e.finish());
      }
    } else if (f.repeated) {
      if (v == null || v.length === 0) continue;
      if (f.packed) {
        const p = new Writer();
        for (const x of v) writeScalar(p, f.type, x);
        w.tag(f.no, 2); w.bytes(p.finish());
      } else {
        for (const x of v) {
          w.tag(f.no, WIRE[f.type]);
          if (f.type === 'message') w.bytes(f.message().encode(x)); else writeScalar(w, f.type, x);
        }
      }
    } else if (f.type === 'message') {
      if (v == null) continue;
      w.tag(f.no, 2); w.bytes(f.message().encode(v));
    } else if (f.oneof !== undefined || f.optional) {
      if (v == null) continue;
      w.tag(f.no, WIRE[f.type]); writeScalar(w, f.type, v);
    } else {
      if (isDefault(f.type, v)) continue;
      w.tag(f.no, WIRE[f.type]); writeScalar(w, f.type, v);
    }
  }
}

function checkOneofs(type, value) {
  for (const name of type.oneofs) {
    const set = type.fields.filter((f) => f.oneof === name && value[f.name] != null);
    if (set.length > 1) throw new TypeError(`${type.typeName}: oneof ${name} has more than one member set (${set.map((f) => f.name).join(', ')})`);
  }
}

function decodeFrom(type, bytes) {
  const r = new Reader(bytes);
  const out = type.create();
  while (!r.done) {
    const key = r.varint32();
    const no = Math.floor(key / 8), wire = key & 7;
    const f = type.byNumber.get(no);
    if (!f) { r.skip(wire); continue; }
    if (f.map) {
      const er = new Reader(r.bytes());
      let k = defaultOf(f.map.key), val = f.map.value === 'message' ? f.message().create() : defaultOf(f.map.value);
      while (!er.done) {
        const ek = er.varint32();
        if (ek >>> 3 === 1) k = readScalar(er, f.map.key);
        else if (ek >>> 3 === 2) val = f.map.value === 'message' ? f.message().decode(er.bytes()) : readScalar(er, f.map.value);
        else er.skip(ek & 7);
      }
      out[f.name][String(k)] = val;
    } else if (f.repeated) {
      if (f.type === 'message') out[f.name].push(f.message().decode(r.bytes()));
      else if (wire === 2 && WIRE[f.type] !== 2) {
        const pr = new Reader(r.bytes());
        while (!pr.done) out[f.name].push(readScalar(pr, f.type));
      } else out[f.name].push(readScalar(r, f.type));
    } else {
      if (wire !== WIRE[f.type]) throw new Error(`${type.typeName}.${f.name}: wire type ${wire}, expected ${WIRE[f.type]}`);
      if (f.oneof !== undefined) for (const g of type.fields) if (g.oneof === f.oneof) delete out[g.name];
      out[f.name] = f.type === 'message' ? f.message().decode(r.bytes()) : readScalar(r, f.type);
    }
  }
  return out;
}

/** Builds a message type from its generated field table. */
export function messageType(typeName, fields, oneofs = []) {
  const type = {
    typeName,
    fields: [...fields].sort((a, b) => a.no - b.no),
    oneofs,
    byNumber: new Map(fields.map((f) => [f.no, f])),
    /** A message with every field at its default, then `init`'s fields. */
    create(init = {}) {
      const m = {};
      for (const f of type.fields) {
        if (f.map) m[f.name] = {};
        else if (f.repeated) m[f.name] = [];
        else if (f.oneof === undefined && !f.optional) m[f.name] = defaultOf(f.type);
      }
      for (const [k, v] of Object.entries(init)) if (v !== undefined) m[k] = v;
      return m;
    },
    /** The proto3 encoding of a message or plain object of its fields (fields by number). */
    encode(value = {}) {
      checkOneofs(type, value);
      const w = new Writer();
      encodeInto(w, type, value);
      return w.finish();
    },
    /** A message from its encoding; unknown fields are skipped. */
    decode(bytes) { return decodeFrom(type, bytes); },
  };
  return type;
}
