// golden.json's JSON convention for the generated JavaScript messages (clients/js):
// keys are proto field names, bytes hex, 64-bit integers decimal strings, enums
// numbers, defaults left out, a oneof member present when set.
import { readFileSync } from 'node:fs';
import * as waiaas from '../../../clients/js/index.js';

export const GOLDEN = JSON.parse(readFileSync(new URL('../golden.json', import.meta.url), 'utf8'));

export const TYPES = new Map(Object.values(waiaas).filter((x) => x && typeof x.typeName === 'string').map((t) => [t.typeName, t]));

const IS64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
export const hex = (b) => Buffer.from(b).toString('hex');
export const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));

function scalarFrom(type, v) {
  if (type === 'bytes') return unhex(v);
  if (IS64.has(type)) return BigInt(v);
  return v;
}
function scalarTo(type, v) {
  if (type === 'bytes') return hex(v);
  if (IS64.has(type)) return v.toString();
  return v;
}
function isDefault(type, v) {
  if (v === undefined || v === null) return true;
  if (type === 'bytes') return v.length === 0;
  if (IS64.has(type)) return v === 0n;
  if (type === 'string') return v === '';
  if (type === 'bool') return v === false;
  return v === 0;
}

/** A plain object for `type` from golden field values. */
export function fromGolden(type, fields) {
  const out = {};
  for (const [k, v] of Object.entries(fields)) {
    const f = type.fields.find((x) => x.name === camel(k));
    if (!f) throw new Error(`${type.typeName} has no field ${k}`);
    if (f.map) {
      out[f.name] = Object.fromEntries(Object.entries(v).map(([mk, mv]) => [mk, f.map.value === 'message' ? fromGolden(f.message(), mv) : scalarFrom(f.map.value, mv)]));
    } else if (f.repeated) {
      out[f.name] = v.map((x) => (f.type === 'message' ? fromGolden(f.message(), x) : scalarFrom(f.type, x)));
    } else if (f.type === 'message') {
      out[f.name] = fromGolden(f.message(), v);
    } else {
      out[f.name] = scalarFrom(f.type, v);
    }
  }
  return out;
}

/** Golden field values (proto names, set fields only) from a decoded message. */
export function toGolden(type, msg) {
  const out = {};
  for (const f of type.fields) {
    const v = msg[f.name];
    const key = f.protoName ?? f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (f.map) {
      if (Object.keys(v).length) out[key] = Object.fromEntries(Object.entries(v).map(([mk, mv]) => [mk, f.map.value === 'message' ? toGolden(f.message(), mv) : scalarTo(f.map.value, mv)]));
    } else if (f.repeated) {
      if (v.length) out[key] = v.map((x) => (f.type === 'message' ? toGolden(f.message(), x) : scalarTo(f.type, x)));
    } else if (f.type === 'message') {
      if (v !== undefined) out[key] = toGolden(f.message(), v);
    } else if (f.oneof !== undefined) {
      if (v !== undefined) out[key] = scalarTo(f.type, v);
    } else if (!isDefault(f.type, v)) {
      out[key] = scalarTo(f.type, v);
    }
  }
  return out;
}

export function* cases() {
  for (const [name, m] of Object.entries(GOLDEN.methods)) {
    for (const part of ['request', 'response', 'request_envelope', 'response_envelope']) yield [`${name}.${part}`, m[part]];
  }
  for (const group of ['errors', 'messages']) {
    for (const [name, e] of Object.entries(GOLDEN[group])) yield [`${group}.${name}`, e];
  }
}
