import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';

import { daemonSlotProbability, floatSlotProbability, stakeShare } from '../../src/protocol/odds.js';
import { daemonThreshold, thresholdParams } from '../../src/protocol/vrf-threshold.js';

/**
 * An independent evaluation of the daemon's series: decimal.js at 200 digits
 * instead of exact rationals, following snarky_taylor's definitions directly.
 */
const Wide = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_DOWN });
const P = 20;
const TWO_P = new Wide(2).pow(P);

const absLog4 = (() => {
  const a = new Wide(-3).div(4);
  let sum = new Wide(0);
  for (let i = 1; i <= 100; i++) {
    const term = a.pow(i).div(i);
    sum = i % 2 === 0 ? sum.minus(term) : sum.plus(term);
  }
  return sum.neg();
})();

const wideCoefficients = Array.from({ length: 11 }, (_, index) => {
  const i = index + 1;
  let factorial = new Wide(1);
  for (let j = 2; j <= i; j++) factorial = factorial.times(j);
  const c = absLog4.pow(i).div(factorial);
  return (i === 1 ? c.minus(c.floor()) : c).times(TWO_P).floor();
});

function wideThreshold(stake: bigint, total: bigint): Decimal {
  const x = new Wide(((stake << BigInt(P)) / total).toString()).div(TWO_P);
  let sum = x.times(absLog4.floor());
  wideCoefficients.forEach((c, index) => {
    const term = c.div(TWO_P).times(x.pow(index + 1));
    sum = index % 2 === 0 ? sum.plus(term) : sum.minus(term);
  });
  return sum;
}

const TOTAL = 1_000_000_000n * 1_000_000_000n; // 10^9 MINA

describe('daemon threshold', () => {
  it('has snarky_taylor parameters for base 1/4 in a 255-bit field: 11 terms, 20 bits', () => {
    const params = thresholdParams();
    assert.deepEqual(
      { total: params.totalPrecision, perTerm: params.perTermPrecision, terms: params.terms, whole: params.linearTermWholePart },
      { total: 16, perTerm: 20, terms: 11, whole: 1n },
    );
    assert.deepEqual(params.coefficients, [405058n, 1007582n, 465602n, 161365n, 44739n, 10337n, 2047n, 354n, 54n, 7n, 0n]);
    assert.deepEqual(
      params.coefficients.map(String),
      wideCoefficients.map((c) => c.toFixed(0)),
    );
  });

  it('equals an independent 200-digit evaluation of the same series for any stake', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: TOTAL }), (stake) => {
        const exact = daemonSlotProbability(stake, TOTAL);
        const wide = wideThreshold(stake, TOTAL);
        // Within 38 significant digits (the exact value is rounded to 40). Comparing both rounded to 35 digits failed
        // whenever the value sat on a rounding boundary, as at stake 980154037475585938: ...4800|5002 against ...4800|4999.
        assert.ok(new Wide(exact.toString()).minus(wide).abs().lte(wide.abs().times('1e-38')), `${exact} against ${wide.toSignificantDigits(45)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('pins reference values', () => {
    const at = (stake: bigint) => daemonSlotProbability(stake, TOTAL).toSignificantDigits(25).toString();
    assert.equal(at(10_000n * 1_000_000_000n), '0.00001322063681974755475339549');
    assert.equal(at(1_000_000n * 1_000_000_000n), '0.001384572491004842883067152');
    assert.equal(at(TOTAL / 2n), '0.4999997364357113838195801');
  });

  it('gives 0 below 1/2^20 of total currency: such an account never wins', () => {
    const floor = TOTAL / 2n ** 20n;
    assert.equal(daemonThreshold(floor - 1n, TOTAL).truncatedAlpha, 0n);
    assert.ok(daemonSlotProbability(floor - 1n, TOTAL).isZero());
    assert.ok(daemonSlotProbability(floor + 1n, TOTAL).gt(0));
  });

  it('sits 4.6% under the float formula at alpha 1e-5 and 0.055% under at 1e-3', () => {
    const shortfall = (stake: bigint) =>
      daemonSlotProbability(stake, TOTAL)
        .div(floatSlotProbability(stakeShare(stake, TOTAL)))
        .minus(1)
        .times(100)
        .toFixed(3);
    assert.equal(shortfall(TOTAL / 100_000n), '-4.633');
    assert.equal(shortfall(TOTAL / 1000n), '-0.055');
  });
});
