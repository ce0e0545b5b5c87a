import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bs58check from 'bs58check';
import fc from 'fast-check';

import { hasPublicKeyShape, jacobiSymbol, ledgerHashProblem, pointOfCheckedKey, publicKeyPoint, publicKeyProblem } from '../../src/protocol/keys.js';
import { PALLAS_P } from '../../src/protocol/pasta/parameters.js';
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

describe('pointOfCheckedKey', () => {
  it("gives a checked key's point as publicKeyPoint does, and still refuses a bad checksum, version or parity", () => {
    assert.deepEqual(pointOfCheckedKey(VALID), publicKeyPoint(VALID));
    assert.throws(() => pointOfCheckedKey(`${VALID.slice(0, -1)}5`), /checksum/);
    assert.throws(() => pointOfCheckedKey(withPayload((p) => (p[2] = 0x00))), /wrong version bytes/);
    assert.throws(() => pointOfCheckedKey(withPayload((p) => (p[35] = 2))), /parity/);
  });

  it('leaves out only the curve check, which publicKeyPoint makes', () => {
    const off = publicKeyWithX(Array.from({ length: 40 }, (_, i) => 1000n + BigInt(i)).find((x) => !isPallasX(x))!);
    assert.throws(() => publicKeyPoint(off), /not a point of the Pallas curve/);
    assert.equal(pointOfCheckedKey(off).length, 33);
  });
});

describe('jacobiSymbol', () => {
  /** Euler's criterion: a^((p-1)/2) mod p is 1 for a square, p-1 for a non-square, 0 for 0. */
  const euler = (value: bigint, prime: bigint): number => {
    let result = 1n;
    let base = value % prime;
    for (let exponent = (prime - 1n) / 2n; exponent > 0n; exponent >>= 1n) {
      if (exponent & 1n) result = (result * base) % prime;
      base = (base * base) % prime;
    }
    return result === prime - 1n ? -1 : Number(result);
  };

  it("agrees with Euler's criterion modulo the Pallas prime and small primes, on any value", () => {
    // Small primes, the largest prime below 2^53 and a Mersenne prime above it, besides the one public keys use.
    const prime = fc.constantFrom(PALLAS_P, 3n, 5n, 7n, 1_000_000_007n, 9_007_199_254_740_881n, (1n << 61n) - 1n);
    fc.assert(
      fc.property(prime, fc.bigInt({ min: 0n, max: PALLAS_P * 2n }), fc.nat({ max: 200 }), (p, value, shift) => {
        // Values with many factors of two, and multiples of p, take the rarer branches.
        for (const a of [value, (value << BigInt(shift)) % p, p, (value % 1_000n) * p]) assert.equal(jacobiSymbol(a, p), euler(a, p), `${a} mod ${p}`);
      }),
      { numRuns: 300 },
    );
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
