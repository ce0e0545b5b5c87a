import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { formatDecimal, parseDecimal, rational } from '../../src/protocol/rational.js';

describe('formatDecimal', () => {
  it('writes terminating fractions exactly and refuses the others', () => {
    assert.equal(formatDecimal(rational(8n, 100n)), '0.08');
    assert.equal(formatDecimal(rational(1n)), '1');
    assert.equal(formatDecimal(rational(0n)), '0');
    assert.equal(formatDecimal(rational(-3n, 8n)), '-0.375');
    assert.equal(formatDecimal(rational(1n, 3n)), null);
  });

  it('reads back every decimal parseDecimal reads', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }), (units, places) => {
        const value = rational(units, 10n ** BigInt(places));
        assert.deepEqual(parseDecimal(formatDecimal(value)!), value);
      }),
    );
  });
});
