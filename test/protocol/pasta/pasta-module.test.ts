import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { legendreSymbol } from '../../../src/protocol/pasta/pasta-module.js';
import { PALLAS_P } from '../../../src/protocol/pasta/parameters.js';

/** Euler's criterion: a^((p-1)/2) mod p is 1 for a square, p-1 for a non-square, 0 for 0. */
function euler(value: bigint): number {
  let result = 1n;
  let base = value % PALLAS_P;
  for (let exponent = (PALLAS_P - 1n) / 2n; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % PALLAS_P;
    base = (base * base) % PALLAS_P;
  }
  return result === PALLAS_P - 1n ? -1 : Number(result);
}

describe('legendreSymbol', () => {
  it("agrees with Euler's criterion on any element of the field", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: PALLAS_P - 1n }), fc.nat({ max: 260 }), (value, shift) => {
        // Values with many factors of two (whole 64-bit limbs of them too) and small ones take the rarer branches.
        for (const a of [value, (value << BigInt(shift)) % PALLAS_P, value >> BigInt(shift), PALLAS_P - 1n - (value >> BigInt(shift))]) {
          assert.equal(legendreSymbol(a), euler(a), `${a}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives 0 for 0, 1 for 1 and 4, and refuses what is not a field element', () => {
    assert.equal(legendreSymbol(0n), 0);
    assert.equal(legendreSymbol(1n), 1);
    assert.equal(legendreSymbol(4n), 1);
    assert.equal(legendreSymbol(1n << 64n), euler(1n << 64n));
    assert.throws(() => legendreSymbol(PALLAS_P), RangeError);
    assert.throws(() => legendreSymbol(-1n), RangeError);
  });
});
