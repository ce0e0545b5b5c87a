import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { legendreSymbol } from '../../../src/protocol/pasta/pasta-module.js';
import { PALLAS_P } from '../../../src/protocol/pasta/parameters.js';
import { eulerCriterion } from '../../helpers.js';

describe('legendreSymbol', () => {
  it("agrees with Euler's criterion on any element of the field", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: PALLAS_P - 1n }), fc.nat({ max: 260 }), (value, shift) => {
        // Values with many factors of two (whole 64-bit limbs of them too) and small ones take the rarer branches.
        for (const a of [value, (value << BigInt(shift)) % PALLAS_P, value >> BigInt(shift), PALLAS_P - 1n - (value >> BigInt(shift))]) {
          assert.equal(legendreSymbol(a), eulerCriterion(a), `${a}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives 0 for 0, 1 for 1 and 4, and refuses what is not a field element', () => {
    assert.equal(legendreSymbol(0n), 0);
    assert.equal(legendreSymbol(1n), 1);
    assert.equal(legendreSymbol(4n), 1);
    assert.equal(legendreSymbol(1n << 64n), eulerCriterion(1n << 64n));
    assert.throws(() => legendreSymbol(PALLAS_P), RangeError);
    assert.throws(() => legendreSymbol(-1n), RangeError);
  });
});
