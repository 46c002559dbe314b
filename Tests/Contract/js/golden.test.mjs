// golden.json, byte for byte, for the generated JavaScript codec (clients/js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPES, cases, fromGolden, toGolden, hex, unhex, GOLDEN } from './golden.mjs';

for (const [label, c] of cases()) {
  const type = TYPES.get(c.type);
  test(`encode ${label} to its exact bytes`, () => {
    assert.ok(type, `no generated type ${c.type}`);
    assert.equal(hex(type.encode(fromGolden(type, c.fields))), c.hex);
  });
  test(`decode ${label} back to its fields`, () => {
    const msg = type.decode(unhex(c.hex));
    assert.deepEqual(toGolden(type, msg), c.fields);
    // and a decoded message re-encodes to the same bytes
    assert.equal(hex(type.encode(msg)), c.hex);
  });
}

test('envelopes carry the golden messages', () => {
  for (const m of Object.values(GOLDEN.methods)) {
    assert.equal(m.request_envelope.fields.payload ?? '', m.request.hex);
    assert.equal(m.response_envelope.fields.payload ?? '', m.response.hex);
  }
});

test('a oneof with two members set is refused', () => {
  const SignRequest = TYPES.get('waiaas.v1.SignRequest');
  assert.throws(() => SignRequest.encode({ transaction: new Uint8Array([1]), offchainMessage: new Uint8Array([2]) }), /oneof/);
});

test('truncated input is refused, unknown fields are skipped', () => {
  const Status = TYPES.get('waiaas.v1.Status');
  assert.throws(() => Status.decode(unhex('1205616263')));
  const withUnknown = unhex('08077a03616263' + '1203616263');
  assert.deepEqual(toGolden(Status, Status.decode(withUnknown)), { code: 7, message: 'abc' });
});
