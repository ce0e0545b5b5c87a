import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bs58check from 'bs58check';

import {
  checkedKeyPoint,
  hasPublicKeyShape,
  keyPoint,
  ledgerHashProblem,
  littleEndianToBigInt,
  publicKeyPoint,
  publicKeyProblem,
} from '../../src/protocol/keys.js';
import { isPallasX, LEDGER_HASHES, publicKeyWithX } from '../helpers.js';

const VALID = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';

function withPayload(edit: (payload: Uint8Array) => void): string {
  const payload = bs58check.decode(VALID);
  edit(payload);
  return bs58check.encode(payload);
}

describe('publicKeyProblem', () => {
  it('accepts real mainnet keys', () => {
    assert.equal(publicKeyProblem(VALID), null);
    assert.equal(publicKeyProblem('B62qiy32p8kAKnny8ZFwoMhYpBppM1DWVCqAPBYNcXnsAHhnfAAuXgg'), null);
  });

  it('finds a one-character typo through the checksum', () => {
    assert.match(publicKeyProblem(`${VALID.slice(0, -1)}5`) ?? '', /checksum/);
    assert.equal(hasPublicKeyShape(`${VALID.slice(0, -1)}5`), true);
  });

  it('refuses the wrong shape, version bytes, field range and parity', () => {
    assert.match(publicKeyProblem(VALID.slice(0, -1)) ?? '', /not a B62 public key/);
    assert.match(publicKeyProblem(`B62q${'0'.repeat(51)}`) ?? '', /not a B62 public key/);
    assert.match(publicKeyProblem(withPayload((p) => (p[35] = 2))) ?? '', /parity/);
    const outsideField = withPayload((p) => p.fill(0xff, 3, 35));
    assert.equal(hasPublicKeyShape(outsideField), true);
    assert.equal(publicKeyProblem(outsideField), 'has an x coordinate outside the field');
  });

  it('refuses a key of the B62 shape with a valid checksum whose field-version byte is 0, not 1', () => {
    const wrongVersion = withPayload((p) => (p[2] = 0x00));
    assert.equal(wrongVersion, 'B62qi4yvaTuNuWW544pJHhnjP1KcGa5BEWkiiVzZ5HAbJ8rPJHprYf6');
    assert.equal(hasPublicKeyShape(wrongVersion), true);
    assert.deepEqual([...bs58check.decode(wrongVersion).subarray(0, 3)], [0xcb, 0x01, 0x00], 'decodes, checksum and all, to version bytes cb 01 00');
    assert.equal(publicKeyProblem(wrongVersion), 'is not a public key (wrong version bytes)');
  });
});

describe('publicKeyProblem on the curve', () => {
  it('refuses a key whose checksum holds but whose x is not on the Pallas curve, and accepts its neighbours that are', () => {
    const xs = Array.from({ length: 40 }, (_, i) => 1000n + BigInt(i));
    const off = xs.filter((x) => !isPallasX(x));
    const on = xs.filter(isPallasX);
    assert.ok(off.length > 5 && on.length > 5);
    for (const x of off) assert.equal(publicKeyProblem(publicKeyWithX(x)), 'is not a point of the Pallas curve', `x = ${x}`);
    for (const x of on) assert.equal(publicKeyProblem(publicKeyWithX(x)), null, `x = ${x}`);
  });
});

describe('checkedKeyPoint', () => {
  it("gives a key's x and parity, as the bytes of publicKeyPoint hold them", () => {
    for (const key of [VALID, withPayload((p) => (p[35] = 1 - p[35]!))]) {
      const bytes = publicKeyPoint(key);
      assert.deepEqual(checkedKeyPoint(key), { x: littleEndianToBigInt(bytes.subarray(0, 32)), isOdd: bytes[32] === 1 });
      assert.deepEqual(keyPoint(key), checkedKeyPoint(key));
    }
  });

  it('refuses what publicKeyProblem refuses, with its words; keyPoint throws them with the key', () => {
    const off = publicKeyWithX(Array.from({ length: 40 }, (_, i) => 1000n + BigInt(i)).find((x) => !isPallasX(x))!);
    const bad = [`${VALID.slice(0, -1)}5`, withPayload((p) => (p[2] = 0x00)), withPayload((p) => (p[35] = 2)), off];
    for (const key of bad) {
      const problem = publicKeyProblem(key)!;
      assert.equal(checkedKeyPoint(key), problem);
      assert.throws(() => keyPoint(key), { message: `${key} ${problem}` });
    }
  });
});

describe('ledgerHashProblem', () => {
  const REAL = LEDGER_HASHES;

  it('accepts real mainnet ledger hashes', () => {
    for (const hash of REAL) assert.equal(ledgerHashProblem(hash), null, hash);
  });

  it('refuses a typo, a public key, a path and the wrong version byte', () => {
    assert.match(ledgerHashProblem(`${REAL[0]!.slice(0, -1)}g`) ?? '', /checksum/);
    assert.match(ledgerHashProblem(VALID) ?? '', /not a ledger hash/);
    assert.match(ledgerHashProblem('../../etc/passwd') ?? '', /not a ledger hash/);
    // Still a j... hash of 51 characters with a valid checksum: only its field-version byte (0, not 1) is wrong.
    const payload = bs58check.decode(REAL[0]!);
    payload[1] = 0x00;
    const wrongVersion = bs58check.encode(payload);
    assert.match(wrongVersion, /^j\w{50}$/);
    assert.equal(ledgerHashProblem(wrongVersion), 'is not a ledger hash (wrong version bytes)');
  });
});
