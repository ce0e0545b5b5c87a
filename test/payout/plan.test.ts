import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import type { BlockRecord } from '../../src/blocks/block.js';
import { MinapayError } from '../../src/errors.js';
import { computePlan, type PlanSettings } from '../../src/payout/plan.js';
import { parseDecimal, rational, type Rational } from '../../src/protocol/rational.js';
import { MINA, planSettings, POOL, poolBlock, sumOf, untimed } from './plan-inputs.js';

const settings = (fields: Partial<PlanSettings> = {}) => planSettings({ commission: parseDecimal('0.6') as Rational, ...fields });
const block = poolBlock;

const earnedBy = (plan: ReturnType<typeof computePlan>) => Object.fromEntries(plan.lines.map((l) => [l.pk, l.earned]));
/** The blocks' rewards (coinbase + fees - snark fees), summed here. */
const blockRewards = (blocks: readonly BlockRecord[]) => sumOf(blocks, (b) => b.coinbase + b.feeTransferToReceiver - b.feeTransferViaCoinbase);

/** The plan's totals against the lines and blocks they come from: rewards, earned and commission summed here, and what is left. */
function assertTotals(plan: ReturnType<typeof computePlan>, blocks: readonly BlockRecord[]): void {
  const rewards = blockRewards(blocks);
  const earned = sumOf(plan.lines, (l) => l.earned);
  const commission = sumOf(plan.lines, (l) => l.commission);
  assert.deepEqual(
    [plan.totals.rewards, plan.totals.earned, plan.totals.commission, plan.totals.remainder],
    [rewards, earned, commission, rewards - earned - commission],
  );
}

describe('computePlan', () => {
  it('pays the worked example of a 60% commission pool: 10 MINA over five delegators of 1,400', () => {
    const delegators = [1, 2, 3, 4, 5].map((n) => untimed(`B62q${n}`, 1400n * MINA));
    const plan = computePlan(delegators, [block('B62q1', 10n * MINA)], settings());
    for (const line of plan.lines) assert.equal(line.amount, 800_000_000n);
    assert.equal(plan.totals.commission, 6n * MINA);
    assert.equal(plan.totals.remainder, 0n);
  });

  it('pays 0.466666666 per 1,400 and 1.666666666 to a sixth delegator of 5,000, the 4 nanomina of rounding to the pool', () => {
    const delegators = [...[1, 2, 3, 4, 5].map((n) => untimed(`B62q${n}`, 1400n * MINA)), untimed('B62q6', 5000n * MINA)];
    const blocks = [block('B62q6', 10n * MINA)];
    const plan = computePlan(delegators, blocks, settings());
    assert.deepEqual(earnedBy(plan), {
      B62q1: 466_666_666n,
      B62q2: 466_666_666n,
      B62q3: 466_666_666n,
      B62q4: 466_666_666n,
      B62q5: 466_666_666n,
      B62q6: 1_666_666_666n,
    });
    // 60% of 1,400/12,000 and 5,000/12,000 of 10 MINA: commissions without rounding, 6 MINA in all.
    assert.deepEqual(
      plan.lines.map((l) => l.commission),
      [...Array(5).fill(700_000_000n), 2_500_000_000n],
    );
    assertTotals(plan, blocks);
    // 10 MINA - 5 x 0.466666666 - 1.666666666 - 6 MINA.
    assert.equal(plan.totals.remainder, 4n);
  });

  it("shares a supercharged coinbase's extra part only among accounts unlocked at the block", () => {
    const locked = {
      index: 1,
      pk: 'B62qlocked',
      delegate: POOL,
      balance: 1000n * MINA,
      timing: { initialMinimumBalance: 1000n * MINA, cliffTime: 10_000, cliffAmount: 0n, vestingPeriod: 1, vestingIncrement: MINA },
    };
    const free = untimed('B62qfree', 1000n * MINA);
    const plan = computePlan([locked, free], [block('B62qfree', 1440n * MINA)], settings({ commission: rational(0n), superchargeFactor: 2 }));
    // 720 shared by both, the other 720 only by the unlocked account.
    assert.deepEqual(earnedBy(plan), { B62qfree: 1080n * MINA, B62qlocked: 360n * MINA });
  });

  it("keeps fees with the pool under --fees keep, and never pays the pool's own key or an excluded account", () => {
    const delegators = [untimed(POOL, 1000n), untimed('B62qa', 1000n), untimed('B62qx', 1000n)];
    const plan = computePlan(
      [...delegators],
      [block('B62qa', 300n, { feeTransferToReceiver: 90n, feeTransferViaCoinbase: 30n })],
      settings({
        commission: rational(0n),
        fees: 'keep',
        overrides: new Map([['B62qx', { exclude: true }]]),
      }),
    );
    assert.deepEqual(
      plan.lines.map((l) => [l.pk, l.kind, l.amount]),
      [
        ['B62qa', 'delegator', 90n],
        ['B62qpool', 'self', 0n],
        ['B62qx', 'excluded', 0n],
      ],
    );
    assert.equal(plan.totals.rewards, 360n);
    assert.equal(plan.totals.remainder, 270n);
  });

  it('carries amounts under --min-payout, adds what was carried in, and deducts fees when delegators pay them', () => {
    const delegators = [untimed('B62qa', 1n), untimed('B62qb', 99n)];
    const plan = computePlan(
      delegators,
      [block('B62qb', 100n * MINA)],
      settings({
        commission: rational(0n),
        minPayout: 2n * MINA,
        txFee: 10_000_000n,
        feePayer: 'delegator',
        carriedIn: new Map([['B62qa', 500_000_000n]]),
      }),
    );
    assert.deepEqual(
      plan.lines.map((l) => [l.pk, l.carriedIn, l.amount, l.txFee, l.carriedOut]),
      [
        ['B62qa', 500_000_000n, 0n, 0n, 1_500_000_000n],
        ['B62qb', 0n, 98_990_000_000n, 10_000_000n, 0n],
      ],
    );
  });

  it('still pays what was carried for an account that has left the pool or is now excluded', () => {
    const plan = computePlan(
      [untimed('B62qa', 1n), untimed('B62qx', 1n)],
      [block('B62qa', 10n)],
      settings({
        carriedIn: new Map([
          ['B62qgone', 3n * MINA],
          ['B62qx', MINA],
        ]),
        overrides: new Map([['B62qx', { exclude: true }]]),
      }),
    );
    assert.deepEqual(
      plan.lines.map((l) => [l.pk, l.stake, l.carriedIn, l.amount]),
      [
        ['B62qa', 1n, 0n, 2n],
        ['B62qgone', 0n, 3n * MINA, 3n * MINA],
        ['B62qx', 1n, MINA, MINA],
      ],
    );
  });

  it('refuses blocks won by an account outside the ledger, and a block listed twice', () => {
    const delegators = [untimed('B62qa', 1n)];
    assert.throws(
      () => computePlan(delegators, [block('B62qstranger', MINA)], settings()),
      (e) => e instanceof MinapayError && e.code === 'PLAN_LEDGER_MISMATCH',
    );
    const twice = block('B62qa', MINA);
    assert.throws(
      () => computePlan(delegators, [twice, twice], settings()),
      (e) => e instanceof MinapayError && e.code === 'BLOCKS_INVALID',
    );
  });

  it("pays a foundation account its share of the producer key's stake x 0.92 x the base coinbase per block, with the MD5 memo", () => {
    const OTHER_KEY = 'B62qpool2';
    const delegators = [untimed('B62qfoundation', 1000n * MINA), untimed('B62qa', 3000n * MINA), { ...untimed('B62qb', 4000n * MINA), delegate: OTHER_KEY }];
    const blocks = [
      block('B62qa', 720n * MINA, { feeTransferToReceiver: 40n * MINA }),
      block('B62qa', 720n * MINA),
      block('B62qb', 720n * MINA, { creator: OTHER_KEY }),
    ];
    const overrides = new Map([['B62qfoundation', { program: 'foundation' as const }]]);
    const plan = computePlan(delegators, blocks, settings({ pools: [POOL, OTHER_KEY], overrides }));
    const foundation = plan.lines.find((l) => l.pk === 'B62qfoundation')!;
    // 1,000 of the 4,000 delegated to its key x 2 blocks of that key x 0.92 x 720.
    assert.equal(foundation.earned, 331_200_000_000n);
    assert.deepEqual(foundation.commissionRate, rational(8n, 100n));
    // Its pool-wide share is 1/8 of 2,200: 275; the guarantee exceeds it, so the pool pays the rest.
    assert.equal(foundation.gross, 275n * MINA);
    assert.equal(foundation.commission, 0n);
    assert.equal(foundation.memo, '2bb0ba8baf14d2aab6f6fb46eb3c392f');
    assert.equal(plan.lines.find((l) => l.pk === 'B62qa')!.memo, null);
    // The others: 3,000 and 4,000 of the 8,000 staked share the 2,200 MINA of rewards, 60% to the pool.
    assert.deepEqual(
      plan.lines.filter((l) => l.pk !== 'B62qfoundation').map((l) => [l.pk, l.earned, l.commission]),
      [
        ['B62qa', 330n * MINA, 495n * MINA],
        ['B62qb', 440n * MINA, 660n * MINA],
      ],
    );
    assertTotals(plan, blocks);
    // The pool pays the foundation's shortfall: 331.2 guaranteed against a share of 275.
    assert.equal(plan.totals.remainder, -56_200_000_000n);
  });

  it('counts only blocks with a non-zero reward for a foundation account: a block without coinbase or fees owes it nothing', () => {
    const delegators = [untimed('B62qfoundation', 1000n * MINA), untimed('B62qa', 1000n * MINA)];
    const overrides = new Map([['B62qfoundation', { program: 'foundation' as const }]]);
    const blocks = [block('B62qa', 720n * MINA), block('B62qa', 0n), block('B62qa', 0n, { feeTransferToReceiver: MINA })];
    const plan = computePlan(delegators, blocks, settings({ overrides }));
    // Two blocks with a reward (one of fees only) of the three: 1/2 x 0.92 x 720 x 2.
    assert.equal(plan.lines.find((l) => l.pk === 'B62qfoundation')!.earned, 662_400_000_000n);
  });

  it("lets the pool keep a foundation account's share beyond the guarantee as commission", () => {
    const delegators = [untimed('B62qfoundation', 1000n * MINA), untimed('B62qa', 1000n * MINA)];
    const overrides = new Map([['B62qfoundation', { program: 'foundation' as const, commission: rational(5n, 100n) }]]);
    const plan = computePlan(delegators, [block('B62qa', 720n * MINA, { feeTransferToReceiver: 80n * MINA })], settings({ overrides }));
    const foundation = plan.lines.find((l) => l.pk === 'B62qfoundation')!;
    assert.equal(foundation.earned, 342n * MINA); // 1/2 x 0.95 x 720
    assert.equal(foundation.commission, 58n * MINA); // 400 - 342
    assert.ok(plan.totals.remainder >= 0n);
  });

  it('conserves every nanomina, pays nothing negative, and pays more stake at least as much, for any input', () => {
    const delegatorList = fc.uniqueArray(
      fc.record({ pk: fc.integer({ min: 0, max: 50 }).map((n) => `B62q${n}`), balance: fc.bigInt({ min: 0n, max: 10n ** 16n }) }),
      {
        minLength: 1,
        maxLength: 12,
        selector: (d) => d.pk,
      },
    );
    fc.assert(
      fc.property(
        delegatorList,
        fc.array(
          fc.record({
            coinbase: fc.bigInt({ min: 0n, max: 1440n * MINA }),
            fees: fc.bigInt({ min: 0n, max: 10n * MINA }),
            snark: fc.bigInt({ min: 0n, max: MINA }),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }), fc.boolean(), fc.boolean()), { maxLength: 5 }),
        fc.constantFrom('share' as const, 'keep' as const),
        (raw, rawBlocks, percent, rawOverrides, fees) => {
          const delegators = raw.map((d) => untimed(d.pk, d.balance));
          const blocks = rawBlocks
            .filter((b) => b.coinbase + b.fees >= b.snark)
            .map((b, i) =>
              block(delegators[i % delegators.length]?.pk as string, b.coinbase, { feeTransferToReceiver: b.fees, feeTransferViaCoinbase: b.snark }),
            );
          const overrides = new Map(
            rawOverrides.map(([n, rate, exclude, foundation]) => [
              `B62q${n}`,
              { commission: rational(BigInt(rate), 100n), exclude, program: foundation ? ('foundation' as const) : undefined },
            ]),
          );
          const plan = computePlan(delegators, blocks, settings({ commission: rational(BigInt(percent), 100n), overrides, fees }));
          assertTotals(plan, blocks);
          // Each line but a foundation account's, from the pro-rata formula here: its stake's exact share of what is shared, floored once.
          const shared =
            fees === 'share'
              ? blockRewards(blocks)
              : sumOf(blocks, (b) => (b.coinbase > b.feeTransferViaCoinbase ? b.coinbase - b.feeTransferViaCoinbase : 0n));
          const staked = sumOf(delegators, (d) => d.balance);
          const termsOf = new Map(rawOverrides.map(([n, rate, exclude, foundation]) => [`B62q${n}`, { rate, exclude, foundation }]));
          for (const line of plan.lines) {
            const terms = termsOf.get(line.pk);
            if (terms?.foundation === true && !terms.exclude) continue;
            const rate = BigInt(terms?.rate ?? percent);
            const share = (part: bigint) => (staked === 0n ? 0n : (line.stake * shared * part) / (100n * staked));
            const expected = terms?.exclude === true ? [0n, 0n, 0n] : [share(100n - rate), share(rate), share(100n - rate)];
            assert.deepEqual([line.earned, line.commission, line.amount], expected, line.pk);
          }
          // Only a foundation account's guarantee can make the pool pay in.
          if (!rawOverrides.some(([, , exclude, foundation]) => foundation && !exclude)) assert.ok(plan.totals.remainder >= 0n);
          for (const line of plan.lines) for (const amount of [line.earned, line.commission, line.amount, line.gross]) assert.ok(amount >= 0n);
          const plain = plan.lines.filter((l) => l.kind === 'delegator' && !overrides.has(l.pk));
          for (const a of plain) for (const b of plain) if (a.stake <= b.stake) assert.ok(a.earned <= b.earned);
        },
      ),
      { numRuns: 300 },
    );
  });
});
