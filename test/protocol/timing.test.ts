import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { fileInput, readLedger } from '../../src/ledger/read.js';
import { lockedAt, MAX_GLOBAL_SLOT, timingAfterSlotHalving, unlockSlot, type Timing } from '../../src/protocol/timing.js';
import { collectAccounts, REAL_LEDGER } from '../helpers.js';

const MINA = 1_000_000_000n;

const timing = (fields: Partial<Timing>): Timing => ({
  initialMinimumBalance: 0n,
  cliffTime: 0,
  cliffAmount: 0n,
  vestingPeriod: 1,
  vestingIncrement: 0n,
  ...fields,
});

const slot = fc.integer({ min: 0, max: MAX_GLOBAL_SLOT });
// Small amounts and periods as well as huge ones, so schedules end inside the slot range often.
const amount = fc.oneof(fc.bigInt({ min: 0n, max: 10_000n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const anyTiming = fc.record({
  initialMinimumBalance: amount,
  cliffTime: fc.oneof(fc.integer({ min: 0, max: 1000 }), slot),
  cliffAmount: amount,
  vestingPeriod: fc.oneof(fc.integer({ min: 0, max: 10 }), slot),
  vestingIncrement: amount,
});

describe('lockedAt', () => {
  it('is the whole initial minimum balance before the cliff', () => {
    const t = timing({ initialMinimumBalance: 6000n * MINA, cliffTime: 100, cliffAmount: 1500n * MINA });
    assert.equal(lockedAt(t, 99), 6000n * MINA);
    assert.equal(lockedAt(t, 100), 4500n * MINA);
  });

  it('is 0 from the cliff on when the vesting period is 0', () => {
    const t = timing({ initialMinimumBalance: 5n * MINA, cliffTime: 10, vestingPeriod: 0, vestingIncrement: MINA });
    assert.equal(lockedAt(t, 9), 5n * MINA);
    assert.equal(lockedAt(t, 10), 0n);
  });

  it('releases one increment per whole vesting period after the cliff', () => {
    const t = timing({ initialMinimumBalance: 100n, cliffTime: 10, cliffAmount: 10n, vestingPeriod: 5, vestingIncrement: 20n });
    assert.deepEqual(
      [10, 14, 15, 29, 30, 34, 35].map((s) => lockedAt(t, s)),
      [90n, 90n, 70n, 30n, 10n, 10n, 0n],
    );
    assert.equal(lockedAt(t, 40), 0n);
  });

  it('never increases as slots pass', () => {
    fc.assert(
      fc.property(anyTiming, slot, slot, (t, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        assert.ok(lockedAt(t, late) <= lockedAt(t, early));
      }),
    );
  });
});

describe('unlockSlot', () => {
  it('gives slot 691200 for the staking guide example its formula gets wrong', () => {
    const t = timing({
      initialMinimumBalance: 6000n * MINA,
      cliffTime: 172_800,
      cliffAmount: 1500n * MINA,
      vestingPeriod: 1,
      vestingIncrement: 8_680_556n,
    });
    assert.equal(unlockSlot(t), 691_200);
  });

  it('is the cliff for cliff-only schedules and null when nothing ever vests', () => {
    assert.equal(unlockSlot(timing({ initialMinimumBalance: 5n, cliffTime: 7, cliffAmount: 5n, vestingIncrement: 0n })), 7);
    assert.equal(unlockSlot(timing({ initialMinimumBalance: 5n, cliffTime: 7, cliffAmount: 1n, vestingIncrement: 0n })), null);
    assert.equal(unlockSlot(timing({ initialMinimumBalance: 0n, cliffTime: 7 })), 0);
  });

  it('is the first slot at which nothing is locked, or null when every slot has something locked', () => {
    fc.assert(
      fc.property(anyTiming, (t) => {
        const unlocked = unlockSlot(t);
        if (unlocked === null) {
          assert.ok(lockedAt(t, MAX_GLOBAL_SLOT) > 0n);
        } else {
          assert.equal(lockedAt(t, unlocked), 0n);
          if (unlocked > 0) assert.ok(lockedAt(t, unlocked - 1) > 0n);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is exact for every timed account of the real 2021 ledger', async () => {
    let timed = 0;
    for (const account of await collectAccounts(readLedger(fileInput(REAL_LEDGER)))) {
      if (account.timing === null) continue;
      timed++;
      const unlocked = unlockSlot(account.timing);
      assert.notEqual(unlocked, null, account.pk);
      assert.equal(lockedAt(account.timing, unlocked as number), 0n, account.pk);
      if ((unlocked as number) > 0) assert.ok(lockedAt(account.timing, (unlocked as number) - 1) > 0n, account.pk);
    }
    assert.equal(timed, 1392);
  });
});

describe('timingAfterSlotHalving (MIP6: the schedules Mesa migrates)', () => {
  const vesting = fc.record({
    initialMinimumBalance: fc.bigInt({ min: 1n, max: 10n ** 15n }),
    cliffTime: fc.integer({ min: 0, max: 200_000 }),
    cliffAmount: fc.bigInt({ min: 0n, max: 10n ** 14n }),
    vestingPeriod: fc.integer({ min: 1, max: 20_000 }),
    vestingIncrement: fc.bigInt({ min: 1n, max: 10n ** 13n }),
  });

  it('keeps every amount locked at the same wall-clock time: slot fork + 2k after it is slot fork + k before', () => {
    fc.assert(
      fc.property(vesting, fc.integer({ min: 0, max: 400_000 }), fc.array(fc.integer({ min: 0, max: 2_000_000 }), { maxLength: 20 }), (old, fork, ks) => {
        const migrated = timingAfterSlotHalving(old, fork);
        for (const k of [0, 1, ...ks]) {
          assert.equal(lockedAt(migrated, fork + 2 * k), lockedAt(old, fork + k), `k = ${k}`);
          assert.equal(lockedAt(migrated, fork + 2 * k + 1), lockedAt(old, fork + k), `k = ${k}, odd`);
        }
      }),
    );
  });

  it('follows the MIP6 equations: before the cliff, and part way through the vesting', () => {
    const old = timing({ initialMinimumBalance: 1000n * MINA, cliffTime: 100_000, cliffAmount: 100n * MINA, vestingPeriod: 10, vestingIncrement: 3n * MINA });
    assert.deepEqual(timingAfterSlotHalving(old, 40_000), { ...old, cliffTime: 40_000 + 2 * 60_000, vestingPeriod: 20 });
    // 104 slots past the cliff: 10 whole periods unlocked (900 - 30 MINA locked), the next unlock 6 slots away.
    assert.deepEqual(timingAfterSlotHalving(old, 100_104), {
      initialMinimumBalance: 870n * MINA,
      cliffTime: 100_104 + 2 * 6,
      cliffAmount: 3n * MINA,
      vestingPeriod: 20,
      vestingIncrement: 3n * MINA,
    });
  });

  it('leaves an account alone that is no longer vesting at the fork', () => {
    const done = timing({ initialMinimumBalance: 10n * MINA, cliffTime: 100, cliffAmount: 4n * MINA, vestingPeriod: 5, vestingIncrement: 3n * MINA });
    // Two increments after the cliff (slots 105, 110) unlock it all.
    assert.equal(timingAfterSlotHalving(done, 110), done);
    assert.notEqual(timingAfterSlotHalving(done, 109), done);
  });
});
