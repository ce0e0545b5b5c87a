import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';

import { formatMina, MAX_UINT64, parseMina, sharePercent } from '../../src/protocol/amounts.js';

function nanomina(text: string): bigint {
  const parsed = parseMina(text);
  assert.ok(parsed.ok, `expected ${text} to parse`);
  return parsed.nanomina;
}

function reason(text: string): string {
  const parsed = parseMina(text);
  assert.ok(!parsed.ok, `expected ${text} to be refused`);
  return parsed.reason;
}

describe('parseMina', () => {
  it('reads the export forms exactly: whole, stripped trailing zeros, 9 decimals', () => {
    assert.equal(nanomina('17000'), 17_000_000_000_000n);
    assert.equal(nanomina('148837.2'), 148_837_200_000_000n);
    assert.equal(nanomina('0.008680556'), 8_680_556n);
    assert.equal(nanomina('0.000000001'), 1n);
    assert.equal(nanomina('0'), 0n);
  });

  it('accepts the largest u64 amount and refuses one nanomina more', () => {
    assert.equal(nanomina('18446744073.709551615'), MAX_UINT64);
    assert.match(reason('18446744073.709551616'), /exceeds 2\^64-1/);
  });

  it('refuses a balance of millions of digits at once, quoting only its start', () => {
    const started = Date.now();
    const refusal = reason('1'.repeat(5_000_000));
    assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    assert.match(refusal, /^exceeds 2\^64-1 nanomina \(1{60}\.\.\. \(5000000 characters\)\)$/);
    assert.match(reason(`1.${'1'.repeat(1000)}`), /^has more than 9 decimals \(1\.1{58}\.\.\. \(1002 characters\)\)$/);
    assert.match(reason(`x${'1'.repeat(1000)}`), /^is not a decimal MINA amount \("x1{59}"\.\.\. \(1001 characters\)\)$/);
  });

  it('refuses negatives, extra decimals and anything not a plain decimal', () => {
    assert.match(reason('-1'), /negative/);
    assert.match(reason('1.0000000001'), /more than 9 decimals/);
    for (const bad of ['', '1e3', '1.', '.5', ' 1', '1,5', '0x10', 'NaN', '+1']) {
      assert.match(reason(bad), /not a decimal/, bad);
    }
  });

  it('reads amounts on both sides of 9,007,199 MINA, where the reading leaves small integers for BigInt', () => {
    assert.equal(nanomina('9007198.999999999'), 9_007_198_999_999_999n);
    assert.equal(nanomina('09007198.1'), 9_007_198_100_000_000n);
    assert.equal(nanomina('9007199.000000001'), 9_007_199_000_000_001n);
    assert.equal(nanomina('9999999.999999999'), 9_999_999_999_999_999n);
    assert.equal(nanomina('10000000'), 10_000_000_000_000_000n);
  });

  it('agrees with a plain regular-expression and BigInt reading on any string of digits, points and signs', () => {
    const reference = (text: string): bigint | null => {
      const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
      if (match === null) return null;
      const value = BigInt(match[1] as string) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
      return value <= MAX_UINT64 ? value : null;
    };
    const text = fc.array(fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' ', '٣'), { maxLength: 25 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.bigInt({ min: 0n, max: MAX_UINT64 * 2n }).map(String)), (input) => {
        const parsed = parseMina(input);
        assert.equal(parsed.ok ? parsed.nanomina : null, reference(input), input);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every u64 amount through formatMina', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT64 }), (amount) => {
        assert.equal(nanomina(formatMina(amount)), amount);
      }),
    );
  });
});

describe('formatMina', () => {
  it('always shows 9 decimals', () => {
    assert.equal(formatMina(1_500_000_000n), '1.500000000');
    assert.equal(formatMina(1n), '0.000000001');
    assert.equal(formatMina(0n), '0.000000000');
    assert.equal(formatMina(-2n), '-0.000000002');
  });
});

describe('sharePercent', () => {
  /** The share by decimal.js at a precision no quotient here exhausts, rounded half-even once. */
  const byDecimal = (part: bigint, total: bigint) =>
    new (Decimal.clone({ precision: 100 }))(part.toString()).times(100).div(total.toString()).toFixed(6, Decimal.ROUND_HALF_EVEN);

  it('is the exact share in percent, rounded half-even to 6 decimals, for every part of every total', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_UINT64 }), fc.bigInt({ min: 0n, max: MAX_UINT64 }), (total, fraction) => {
        const part = (total * fraction) / MAX_UINT64;
        assert.equal(sharePercent(part, total), byDecimal(part, total));
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds a tie to the even digit, and writes the whole, none and a total of zero', () => {
    // 1 / 2e8 is 0.0000005%: a tie, down to even; 3 / 2e8 is 0.0000015%: up to even.
    assert.equal(sharePercent(1n, 200_000_000n), '0.000000');
    assert.equal(sharePercent(3n, 200_000_000n), '0.000002');
    assert.equal(sharePercent(7n, 7n), '100.000000');
    assert.equal(sharePercent(0n, 7n), '0.000000');
    assert.equal(sharePercent(0n, 0n), '0.000000');
    assert.equal(sharePercent(1n, 3n), '33.333333');
    assert.equal(sharePercent(2n, 3n), '66.666667');
    assert.throws(() => sharePercent(-1n, 1000n), RangeError);
  });
});
