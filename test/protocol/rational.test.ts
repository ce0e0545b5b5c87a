import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { formatDecimal, parseDecimal, parseRate, rational } from '../../src/protocol/rational.js';

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

describe('parseRate', () => {
  it('takes rates from 0 to 1 as exact decimals only', () => {
    assert.deepEqual(parseRate('0.05'), rational(1n, 20n));
    assert.deepEqual(parseRate('1'), rational(1n));
    for (const bad of ['1.01', '-0.1', '5%', '1e-2', '']) assert.equal(parseRate(bad), null, bad);
  });
});
