import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import type { BlockRecord } from '../../src/blocks/block.js';
import { MinapayError } from '../../src/errors.js';
import type { Delegator } from '../../src/ledger/delegators.js';
import { computePlan, type DelegatorTerms, type Plan, type PlanLine, type PlanSettings, type Program } from '../../src/payout/plan.js';
import { rational, type Rational } from '../../src/protocol/rational.js';
import { BURN, MINA, planSettings, POOL, poolBlock, sumOf, untimed } from './plan-inputs.js';

/** The rules operators migrate with (fee classes, split payouts, burns, the pool's own share, program terms), each against figures worked out here. */

const percent = (n: number): Rational => rational(BigInt(n), 100n);
const settings = planSettings;
const block = poolBlock;
/** Locked until slot `until`, then free. */
const lockedUntil = (pk: string, balance: bigint, until: number): Delegator => ({
  index: 0,
  pk,
  delegate: POOL,
  balance,
  timing: { initialMinimumBalance: balance, cliffTime: until, cliffAmount: balance, vestingPeriod: 1, vestingIncrement: 0n },
});
const lineOf = (plan: Plan, pk: string): PlanLine => plan.lines.find((line) => line.pk === pk)!;
const terms = (entries: Record<string, DelegatorTerms>) => new Map(Object.entries(entries));
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('fee classes', () => {
  it("pays the README's worked example: an account with fees: exclude shares the coinbase part only, its fee share goes to the others", () => {
    // F 2,000, A and B 1,000 each; 720 MINA coinbase less 0.5 of snark fees, 20 MINA of transaction fees; 5% commission.
    const delegators = [untimed('B62qA', 1000n * MINA), untimed('B62qB', 1000n * MINA), untimed('B62qF', 2000n * MINA)];
    const blocks = [block('B62qA', 720n * MINA, { feeTransferToReceiver: 20n * MINA, feeTransferViaCoinbase: 500_000_000n })];
    const plan = computePlan(delegators, blocks, settings({ overrides: terms({ B62qF: { fees: 'exclude' } }) }));
    // F: half of 719.5 = 359.75, x 0.95. A and B: a quarter of 719.5 plus half of 20 = 189.875, x 0.95.
    assert.deepEqual(
      plan.lines.map((l) => [l.pk, l.fees, l.gross, l.earned, l.commission]),
      [
        ['B62qA', 'share', 189_875_000_000n, 180_381_250_000n, 9_493_750_000n],
        ['B62qB', 'share', 189_875_000_000n, 180_381_250_000n, 9_493_750_000n],
        ['B62qF', 'exclude', 359_750_000_000n, 341_762_500_000n, 17_987_500_000n],
      ],
    );
    assert.equal(plan.totals.remainder, 0n);
  });

  it('leaves the fee part with the pool when every delegator is excluded from it, or under --fees keep', () => {
    const delegators = [untimed('B62qA', 1000n), untimed('B62qB', 3000n)];
    const blocks = [block('B62qA', 400n, { feeTransferToReceiver: 40n })];
    const excluded = computePlan(
      delegators,
      blocks,
      settings({ commission: percent(0), overrides: terms({ B62qA: { fees: 'exclude' }, B62qB: { fees: 'exclude' } }) }),
    );
    assert.deepEqual(
      excluded.lines.map((l) => l.earned),
      [100n, 300n],
    );
    assert.equal(excluded.totals.remainder, 40n);
    const kept = computePlan(delegators, blocks, settings({ commission: percent(0), fees: 'keep', overrides: terms({ B62qA: { fees: 'exclude' } }) }));
    assert.deepEqual(
      kept.lines.map((l) => l.earned),
      [100n, 300n],
    );
  });
});

describe('split payouts', () => {
  it('pays each address its floored share and the first the dust, one payment each; the account figures stay whole', () => {
    const delegators = [untimed('B62qA', 1000n)];
    const payTo = [
      { payTo: 'B62qfirst', weight: rational(70n) },
      { payTo: 'B62qsecond', weight: rational(30n) },
    ];
    const plan = computePlan(
      delegators,
      [block('B62qA', 1_000_000_001n)],
      settings({ commission: percent(0), txFee: 10_000_000n, overrides: terms({ B62qA: { payTo } }) }),
    );
    const line = lineOf(plan, 'B62qA');
    // 30% of 1,000,000,001 is 300,000,000.3: floored; the first address takes the other 700,000,001.
    assert.deepEqual(
      line.split?.map((p) => [p.payTo, p.amount, p.txFee]),
      [
        ['B62qfirst', 700_000_001n, 10_000_000n],
        ['B62qsecond', 300_000_000n, 10_000_000n],
      ],
    );
    assert.deepEqual([line.payTo, line.earned, line.amount, line.txFee], ['B62qfirst', 1_000_000_001n, 1_000_000_001n, 20_000_000n]);
  });

  it('deducts a fee from each payment when delegators pay fees, and carries the whole amount when a part would not cover its fee', () => {
    const payTo = [
      { payTo: 'B62qfirst', weight: rational(9n) },
      { payTo: 'B62qsecond', weight: rational(1n) },
    ];
    const run = (reward: bigint) =>
      lineOf(
        computePlan(
          [untimed('B62qA', 1n)],
          [block('B62qA', reward)],
          settings({ commission: percent(0), txFee: 10n, feePayer: 'delegator', overrides: terms({ B62qA: { payTo } }) }),
        ),
        'B62qA',
      );
    const paid = run(1000n);
    assert.deepEqual(
      paid.split?.map((p) => [p.amount, p.txFee]),
      [
        [890n, 10n],
        [90n, 10n],
      ],
    );
    assert.deepEqual([paid.amount, paid.txFee, paid.carriedOut], [980n, 20n, 0n]);
    // 100 splits into 90 and 10: the second part cannot pay its 10 fee, so nothing is sent.
    const carried = run(100n);
    assert.deepEqual([carried.amount, carried.txFee, carried.carriedOut], [0n, 0n, 100n]);
    assert.deepEqual(
      carried.split?.map((p) => p.amount),
      [0n, 0n],
    );
  });
});

describe('negotiated burn', () => {
  it("sends the burn rate's part of an account's commission to the burn address, on a line of its own whose fee the pool pays", () => {
    const delegators = [untimed('B62qA', 1000n), untimed('B62qB', 1000n)];
    const plan = computePlan(
      delegators,
      [block('B62qA', 2000n * MINA + 3n)],
      settings({ commission: percent(10), txFee: 7n, feePayer: 'delegator', overrides: terms({ B62qA: { burn: percent(25) } }) }),
    );
    const a = lineOf(plan, 'B62qA');
    // A's share 1,000 MINA + 1.5 nanomina; commission 100 MINA + 0.15, a quarter of it burned: 25 MINA + 0.0375, floored.
    assert.deepEqual([a.earned, a.commission, a.burned], [900n * MINA + 1n, 75n * MINA, 25n * MINA]);
    const burn = lineOf(plan, BURN);
    assert.deepEqual([burn.kind, burn.payTo, burn.amount, burn.txFee, burn.memo], ['burn', BURN, 25n * MINA, 7n, null]);
    assert.equal(plan.totals.burned, 25n * MINA);
    assert.equal(plan.totals.rewards, plan.totals.earned + plan.totals.commission + plan.totals.burned + plan.totals.remainder);
    assert.equal(plan.totals.paidDelegators, 2);
  });

  it('needs a burn address only when something is burned', () => {
    const delegators = [untimed('B62qA', 1000n)];
    const burning = settings({ burnAddress: null, overrides: terms({ B62qA: { burn: percent(50) } }) });
    assert.throws(
      () => computePlan(delegators, [block('B62qA', MINA)], burning),
      (e) => e instanceof MinapayError && e.code === 'ERA_START_UNKNOWN' && /burns 25000000 nanomina.*--burn-address/.test(e.message),
    );
    assert.equal(computePlan(delegators, [block('B62qA', MINA)], settings({ burnAddress: null })).lines.length, 1);
  });

  it("burns the supercharged extra of a block a Foundation or investor account won, before Berkeley, with the producer's MD5 memo", () => {
    const delegators = [untimed('B62qA', 1000n * MINA), untimed('B62qF', 1000n * MINA), lockedUntil('B62qL', 2000n * MINA, 5000)];
    const overrides = terms({ B62qF: { program: 'foundation' } });
    const blocks = [block('B62qF', 1440n * MINA), block('B62qA', 1440n * MINA)];
    const plan = computePlan(delegators, blocks, settings({ commission: percent(0), superchargeFactor: 2, overrides }));
    // F's block: 720 shared by all, its other 720 burned. A's block: 720 by all, 720 by the unlocked A and F.
    assert.equal(plan.totals.superchargeBurned, 720n * MINA);
    assert.deepEqual([lineOf(plan, BURN).amount, lineOf(plan, BURN).memo], [720n * MINA, md5(POOL)]);
    assert.deepEqual(
      ['B62qA', 'B62qL'].map((pk) => lineOf(plan, pk).earned),
      [720n * MINA, 720n * MINA],
    );
    // The foundation's guarantee: a quarter of the stake x 0.92 x 720 x 2 blocks.
    assert.equal(lineOf(plan, 'B62qF').earned, 331_200_000_000n);
    assert.equal(plan.totals.rewards, plan.totals.earned + plan.totals.commission + plan.totals.superchargeBurned + plan.totals.remainder);
  });
});

describe("the pool's own stake", () => {
  it('is paid whole to --self-pay-to, or at the commission an override names for the pool key; kept by the pool without it', () => {
    const delegators = [untimed(POOL, 1000n), untimed('B62qA', 3000n)];
    const blocks = [block('B62qA', 4000n)];
    const kept = lineOf(computePlan(delegators, blocks, settings()), POOL);
    assert.deepEqual([kept.kind, kept.amount, kept.gross], ['self', 0n, 1000n]);
    const paid = lineOf(computePlan(delegators, blocks, settings({ selfPayTo: 'B62qwallet' })), POOL);
    assert.deepEqual([paid.kind, paid.payTo, paid.earned, paid.commission, paid.amount], ['self', 'B62qwallet', 1000n, 0n, 1000n]);
    const charged = lineOf(
      computePlan(delegators, blocks, settings({ selfPayTo: 'B62qwallet', overrides: terms({ [POOL]: { commission: percent(5) } }) })),
      POOL,
    );
    assert.deepEqual([charged.earned, charged.commission, charged.amount], [950n, 50n, 950n]);
  });
});

describe('program terms', () => {
  it('pay investor and o1 accounts pro rata at their rates (8% and the pool default), the MD5 memo for investors', () => {
    const delegators = [untimed('B62qI', 1000n), untimed('B62qO', 1000n)];
    const overrides = terms({ B62qI: { program: 'investor' }, B62qO: { program: 'o1' } });
    const plan = computePlan(delegators, [block('B62qI', 1000n)], settings({ commission: percent(10), overrides }));
    assert.deepEqual(
      plan.lines.map((l) => [l.pk, l.program, l.earned, l.commission, l.memo]),
      [
        ['B62qI', 'investor', 460n, 40n, md5(POOL)],
        ['B62qO', 'o1', 450n, 50n, null],
      ],
    );
  });
});

/** What every plan must hold, whatever its rules: each nanomina of the rewards accounted for once, and what is due sent or carried. */
function assertConserves(plan: Plan, blocks: readonly BlockRecord[], feePayer: PlanSettings['feePayer']): void {
  const rewards = blocks.reduce((sum, b) => sum + b.coinbase + b.feeTransferToReceiver - b.feeTransferViaCoinbase, 0n);
  const accounts = plan.lines.filter((line) => line.kind !== 'burn');
  const burnLines = plan.lines.filter((line) => line.kind === 'burn');
  const [earned, commission, burned] = [sumOf(accounts, (l) => l.earned), sumOf(accounts, (l) => l.commission), sumOf(accounts, (l) => l.burned)];
  assert.equal(plan.totals.rewards, rewards);
  assert.equal(rewards, earned + commission + burned + plan.totals.superchargeBurned + plan.totals.remainder);
  assert.equal(
    sumOf(burnLines, (l) => l.amount),
    burned + plan.totals.superchargeBurned,
  );
  assert.ok(burnLines.length <= 1);
  const deducted = feePayer === 'delegator' ? sumOf(accounts, (l) => l.txFee) : 0n;
  assert.equal(earned + sumOf(accounts, (l) => l.carriedIn), sumOf(accounts, (l) => l.amount) + deducted + sumOf(accounts, (l) => l.carriedOut));
  for (const line of plan.lines) {
    for (const amount of [line.earned, line.commission, line.burned, line.amount, line.txFee, line.carriedOut, line.gross]) assert.ok(amount >= 0n, line.pk);
    if (line.split !== null) {
      assert.equal(
        sumOf(line.split, (p) => p.amount),
        line.amount,
      );
      assert.equal(
        sumOf(line.split, (p) => p.txFee),
        line.txFee,
      );
      assert.equal(line.split[0]!.payTo, line.payTo);
    }
    // Sent whole or carried whole.
    assert.ok(line.amount === 0n || line.carriedOut === 0n, line.pk);
  }
  if (!plan.lines.some((line) => line.program === 'foundation')) assert.ok(plan.totals.remainder >= 0n);
}

const PROGRAM_CHOICES: readonly (Program | undefined)[] = [undefined, undefined, 'foundation', 'o1', 'investor'];

/** Random terms for an account: any mix of the rules. */
const termsArbitrary = fc.record({
  commission: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  exclude: fc.boolean(),
  program: fc.constantFrom(...PROGRAM_CHOICES),
  fees: fc.constantFrom('share' as const, 'exclude' as const, undefined),
  burn: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  split: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 3 }),
});

const scenario = fc.record({
  delegators: fc.uniqueArray(
    fc.record({
      n: fc.integer({ min: 0, max: 30 }),
      balance: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      lockedUntil: fc.option(fc.integer({ min: 900, max: 1100 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 10, selector: (d) => d.n },
  ),
  blocks: fc.array(
    fc.record({
      supercharged: fc.boolean(),
      coinbase: fc.constantFrom(0n, 720n * MINA),
      fees: fc.bigInt({ min: 0n, max: 10n * MINA }),
      snark: fc.bigInt({ min: 0n, max: MINA }),
      slot: fc.integer({ min: 950, max: 1050 }),
      winner: fc.nat(),
    }),
    { maxLength: 6 },
  ),
  terms: fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), termsArbitrary), { maxLength: 6 }),
  commission: fc.integer({ min: 0, max: 100 }),
  fees: fc.constantFrom('share' as const, 'keep' as const),
  superchargeFactor: fc.constantFrom(1, 2),
  selfPayTo: fc.boolean(),
  feePayer: fc.constantFrom('pool' as const, 'delegator' as const),
  txFee: fc.bigInt({ min: 0n, max: 10_000_000n }),
  minPayout: fc.bigInt({ min: 0n, max: 100n * MINA }),
  carried: fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), fc.bigInt({ min: 1n, max: 5n * MINA })), { maxLength: 3 }),
});

/** Account n of a scenario; 31 is the pool's own key, 30 may have left the pool (a carry only). */
const accountKey = (n: number) => (n === 31 ? POOL : `B62q${n}`);

function scenarioPlan(input: typeof scenario extends fc.Arbitrary<infer T> ? T : never) {
  const delegators = [
    untimed(POOL, MINA),
    ...input.delegators
      .filter((d) => d.n < 30)
      .map((d) => (d.lockedUntil === undefined ? untimed(accountKey(d.n), d.balance) : lockedUntil(accountKey(d.n), d.balance, d.lockedUntil))),
  ];
  const blocks = input.blocks
    .filter((b) => b.coinbase + b.fees >= b.snark)
    .map((b) =>
      block(delegators[b.winner % delegators.length]!.pk, b.supercharged && b.coinbase > 0n ? b.coinbase * BigInt(input.superchargeFactor) : b.coinbase, {
        feeTransferToReceiver: b.fees,
        feeTransferViaCoinbase: b.snark,
        globalSlotSinceGenesis: b.slot,
      }),
    );
  const overrides = new Map(
    input.terms.map(([n, t]) => [
      accountKey(n),
      {
        commission: t.commission === undefined ? undefined : percent(t.commission),
        exclude: t.exclude,
        program: t.program,
        fees: t.fees,
        burn: t.burn === undefined ? undefined : percent(t.burn),
        payTo: t.split.map((weight, index) => ({ payTo: `B62qpayee${n}x${index}`, weight: rational(BigInt(weight)) })),
      } satisfies DelegatorTerms,
    ]),
  );
  const planSettings = settings({
    commission: percent(input.commission),
    overrides,
    fees: input.fees,
    superchargeFactor: input.superchargeFactor,
    selfPayTo: input.selfPayTo ? 'B62qwallet' : null,
    feePayer: input.feePayer,
    txFee: input.txFee,
    minPayout: input.minPayout,
    carriedIn: new Map(input.carried.map(([n, amount]) => [accountKey(n), amount])),
  });
  return { delegators, blocks, planSettings };
}

describe('conservation', () => {
  it('holds for any mix of fee classes, splits, burns, self pay, programs and carries, and the split parts are the floors of their weights', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { delegators, blocks, planSettings } = scenarioPlan(input);
        const plan = computePlan(delegators, blocks, planSettings);
        assertConserves(plan, blocks, planSettings.feePayer);
        for (const line of plan.lines) {
          const split = line.split;
          if (split === null || line.amount === 0n) continue;
          const deducted = planSettings.feePayer === 'delegator' ? planSettings.txFee : 0n;
          const due = line.earned + line.carriedIn;
          const total = split.reduce((sum, p) => sum + p.weight.num, 0n);
          const rest = split.slice(1).map((p) => (due * p.weight.num) / total);
          assert.deepEqual(
            split.map((p) => p.amount + deducted),
            [due - rest.reduce((sum, part) => sum + part, 0n), ...rest],
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('carries each amount into the next epoch, which pays it: two epochs together conserve what both owed', () => {
    fc.assert(
      fc.property(scenario, fc.bigInt({ min: 0n, max: 100n * MINA }), (input, nextMinPayout) => {
        const { delegators, blocks, planSettings } = scenarioPlan(input);
        const first = computePlan(delegators, blocks, planSettings);
        const carried = new Map(first.lines.filter((l) => l.carriedOut > 0n).map((l) => [l.pk, l.carriedOut]));
        const second = computePlan(delegators, [], { ...planSettings, carriedIn: carried, minPayout: nextMinPayout });
        assertConserves(second, [], planSettings.feePayer);
        assert.equal(second.totals.carriedIn, first.totals.carriedOut);
        // Every carried account has a line in the next plan, even one no longer in the pool.
        for (const pk of carried.keys()) assert.ok(second.lines.some((l) => l.pk === pk && l.carriedIn === carried.get(pk)));
      }),
      { numRuns: 200 },
    );
  });

  it('shares fees only among fee-sharing accounts: with no commission, each account earns its floored share part by part', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const { delegators, blocks, planSettings } = scenarioPlan({ ...input, superchargeFactor: 1, carried: [] });
        const plain = new Map([...planSettings.overrides].map(([pk, t]) => [pk, { fees: t.fees }]));
        const plan = computePlan(delegators, blocks, { ...planSettings, commission: percent(0), overrides: plain, selfPayTo: 'B62qwallet' });
        const staked = delegators.reduce((sum, d) => sum + d.balance, 0n);
        const sharers = delegators.filter((d) => plain.get(d.pk)?.fees !== 'exclude');
        const sharing = sharers.reduce((sum, d) => sum + d.balance, 0n);
        const coinbase = blocks.reduce((sum, b) => sum + (b.coinbase > b.feeTransferViaCoinbase ? b.coinbase - b.feeTransferViaCoinbase : 0n), 0n);
        const rewards = blocks.reduce((sum, b) => sum + b.coinbase + b.feeTransferToReceiver - b.feeTransferViaCoinbase, 0n);
        const fees = planSettings.fees === 'share' ? rewards - coinbase : 0n;
        for (const d of delegators) {
          const sharesFees = sharing > 0n && sharers.includes(d);
          // coinbase x b / S + fees x b / S' over the common denominator S x S', floored once.
          const numerator = coinbase * d.balance * (sharesFees ? sharing : 1n) + (sharesFees ? fees * d.balance * staked : 0n);
          const denominator = staked * (sharesFees ? sharing : 1n);
          assert.equal(lineOf(plan, d.pk).earned, staked === 0n ? 0n : numerator / denominator, d.pk);
        }
      }),
      { numRuns: 300 },
    );
  });
});
