import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import fc from 'fast-check';

import { anyWins, blockSpread, floatSlotProbability, Probability, stakeShare, wonOdds } from '../../src/protocol/odds.js';

const MINA = 1_000_000_000n;

/** P(X <= k) for Binomial(n, p) summed term by term from exact binomial coefficients. */
function cumulativeByHand(n: number, p: Probability, k: number): Probability {
  let sum = new Probability(0);
  let choose = 1n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    sum = sum.plus(new Probability(choose.toString()).times(p.pow(i)).times(new Probability(1).minus(p).pow(n - i)));
  }
  return sum;
}

const probability = fc.integer({ min: 0, max: 999_999 }).map((n) => new Probability(n).div(1_000_000));

describe('floatSlotProbability', () => {
  it("reproduces the staking guide's example: 10^6 of 8x10^8 MINA", () => {
    const p = floatSlotProbability(stakeShare(1_000_000n * MINA, 800_000_000n * MINA));
    assert.equal(p.toFixed(10), '0.0017313674');
    assert.equal(blockSpread(7140, p).expected.toFixed(2), '12.36');
  });

  it('is 1 - (1/4)^alpha to 38 places for simple stake shares: 0, 1/2 (1/2), 1 (3/4), 1/4 (1 - 1/sqrt 2), 1/8 (1 - 2^(-1/4))', () => {
    // Worked out here at 60 digits from square roots, not from a power of 1/4.
    const Exact = Decimal.clone({ precision: 60 });
    const sqrt2 = new Exact(2).sqrt();
    const cases: [bigint, bigint, Decimal][] = [
      [0n, 1n, new Exact(0)],
      [1n, 2n, new Exact('0.5')],
      [1n, 1n, new Exact('0.75')],
      [1n, 4n, new Exact(1).minus(new Exact(1).div(sqrt2))],
      [1n, 8n, new Exact(1).minus(new Exact(1).div(sqrt2.sqrt()))],
    ];
    for (const [stake, total, expected] of cases) {
      const phi = floatSlotProbability(stakeShare(stake * MINA, total * MINA));
      assert.ok(new Exact(phi.toString()).minus(expected).abs().lt('1e-38'), `phi(${stake}/${total}) = ${phi}, not ${expected}`);
    }
    // 1 - 1/sqrt 2 to 40 significant digits.
    assert.equal(floatSlotProbability(stakeShare(1n, 4n)).toString(), '0.2928932188134524755991556378951509607152');
  });

  it('adds up over delegators: phi(a + b) = 1 - (1 - phi(a)) (1 - phi(b))', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.bigInt({ min: 0n, max: 10n ** 17n }), (a, b) => {
        const total = 10n ** 18n;
        const together = floatSlotProbability(stakeShare(a + b, total));
        const apart = anyWins([
          [floatSlotProbability(stakeShare(a, total)), 1],
          [floatSlotProbability(stakeShare(b, total)), 1],
        ]);
        assert.ok(together.minus(apart).abs().lt('1e-35'));
      }),
    );
  });
});

describe('blockSpread and wonOdds', () => {
  it('match a term-by-term binomial sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), probability, fc.integer({ min: 0, max: 60 }), (n, p, won) => {
        const odds = wonOdds(n, p, won);
        assert.ok(
          odds.pAtMost
            .minus(won >= n ? 1 : cumulativeByHand(n, p, won))
            .abs()
            .lt('1e-30'),
        );
        const below = won === 0 ? new Probability(0) : cumulativeByHand(n, p, Math.min(won - 1, n));
        assert.ok(odds.pAtLeast.minus(new Probability(1).minus(below)).abs().lt('1e-30'));
      }),
      { numRuns: 200 },
    );
  });

  it('gives percentiles as the first counts whose cumulative reaches 5% and 95%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), probability, (n, p) => {
        const spread = blockSpread(n, p);
        for (const [k, q] of [
          [spread.p5, '0.05'],
          [spread.p95, '0.95'],
        ] as const) {
          assert.ok(cumulativeByHand(n, p, k).gte(q) || k === n);
          if (k > 0) assert.ok(cumulativeByHand(n, p, k - 1).lt(q));
        }
        assert.ok(spread.pZero.minus(new Probability(1).minus(p).pow(n)).abs().lt('1e-35'));
        assert.ok(
          spread.stdDev
            .pow(2)
            .minus(p.times(new Probability(1).minus(p)).times(n))
            .abs()
            .lt('1e-30'),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('tells bad luck from a broken node for the guide example', () => {
    const p = floatSlotProbability(stakeShare(1_000_000n * MINA, 800_000_000n * MINA));
    const spread = blockSpread(7140, p);
    assert.deepEqual([spread.p5, spread.p95], [7, 18]);
    assert.equal(spread.stdDev.toFixed(3), '3.513');
    assert.equal(wonOdds(7140, p, 0).pAtMost.toExponential(3), '4.233e-6');
  });
});
