import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { add, formatDecimal, multiply, parseDecimal, parseRate, rational, subtract } from '../../src/protocol/rational.js';

/** The reduced fraction by the book: the whole numerator and denominator divided by their gcd, the denominator positive. */
function reducedByTheBook(num: bigint, den: bigint): { num: bigint; den: bigint } {
  let [a, b] = [num < 0n ? -num : num, den < 0n ? -den : den];
  while (b !== 0n) [a, b] = [b, a % b];
  const sign = den < 0n ? -1n : 1n;
  return { num: (sign * num) / a, den: (sign * den) / a };
}

describe('add, subtract and multiply', () => {
  it('give the reduced fraction of the exact result, for any fractions', () => {
    // Small factors in common are what the shortcuts must get right: terms are drawn from products of a few small primes.
    const term = fc.array(fc.constantFrom(2n, 3n, 5n, 7n, 19n, 10n ** 9n + 7n), { maxLength: 6 }).map((factors) => factors.reduce((p, f) => p * f, 1n));
    const fraction = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant(0n), term, fc.bigInt({ min: 1n, max: 2n ** 130n })), term)
      .map(([negative, num, den]) => rational(negative ? -num : num, den));
    fc.assert(
      fc.property(fraction, fraction, (a, b) => {
        assert.deepEqual(add(a, b), reducedByTheBook(a.num * b.den + b.num * a.den, a.den * b.den));
        assert.deepEqual(subtract(a, b), reducedByTheBook(a.num * b.den - b.num * a.den, a.den * b.den));
        assert.deepEqual(multiply(a, b), reducedByTheBook(a.num * b.num, a.den * b.den));
      }),
      { numRuns: 500 },
    );
  });
});

describe('rational', () => {
  it('reduces any fraction, with terms on either side of 2^53 and common factors as large', () => {
    const around = (bits: bigint) => fc.bigInt({ min: 1n, max: 2n ** bits });
    const term = fc.oneof(around(20n), around(53n), around(54n), around(64n), around(120n));
    fc.assert(
      fc.property(term, term, term, fc.boolean(), (num, den, common, negative) => {
        const [n, d] = [(negative ? -num : num) * common, den * common];
        assert.deepEqual(rational(n, d), reducedByTheBook(n, d));
        assert.deepEqual(rational(n, -d), reducedByTheBook(n, -d));
      }),
      { numRuns: 1000 },
    );
  });
});

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
