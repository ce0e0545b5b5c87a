import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { compareKeys } from '../../src/ledger/account.js';
import { streamInput, readLedger } from '../../src/ledger/read.js';
import { timedAccounts } from '../../src/ledger/unlocks.js';
import { formatMinaAsExported } from '../../src/protocol/amounts.js';
import { ERAS, slotTime } from '../../src/protocol/eras.js';
import { lockedAt, unlockSlot } from '../../src/protocol/timing.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** The n-th key of the B62 shape (the reader's check for every account; the curve is checked only for payees). */
function key(n: number): string {
  let digits = '';
  for (let rest = n; digits.length < 51; rest = Math.floor(rest / 58)) digits = `${BASE58[rest % 58]}${digits}`;
  return `B62q${digits}`;
}

const timing = fc.record({
  initialMinimumBalance: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  cliffTime: fc.integer({ min: 0, max: 1_000_000 }),
  cliffAmount: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  vestingPeriod: fc.integer({ min: 0, max: 100 }),
  vestingIncrement: fc.bigInt({ min: 0n, max: 10n ** 12n }),
});

describe('timedAccounts', () => {
  it("gives every timed account of a ledger, sorted by key, as the timing rules say, past the store's first growth", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(timing, fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 3 })), { minLength: 1600, maxLength: 2500 }),
        async (drawn) => {
          const accounts = drawn.map(([schedule, balance, delegation], n) => ({
            pk: key(n),
            balance,
            delegate: delegation === 0 ? key(n) : key(100_000 + delegation),
            schedule,
          }));
          const text = `[${accounts
            .map((account, n) =>
              JSON.stringify({
                pk: account.pk,
                balance: formatMinaAsExported(account.balance),
                delegate: account.delegate,
                // Every third account untimed: the store keeps only the others.
                ...(n % 3 === 2
                  ? {}
                  : {
                      timing: {
                        initial_minimum_balance: formatMinaAsExported(account.schedule.initialMinimumBalance),
                        cliff_time: String(account.schedule.cliffTime),
                        cliff_amount: formatMinaAsExported(account.schedule.cliffAmount),
                        vesting_period: String(account.schedule.vestingPeriod),
                        vesting_increment: formatMinaAsExported(account.schedule.vestingIncrement),
                      },
                    }),
              }),
            )
            .join(',')}]`;
          const query = { slot: 500_000, superchargeFactor: 2, eras: ERAS.mainnet, epoch: { first: 400_000, last: 600_000 } };
          const timed = await timedAccounts(readLedger(streamInput('<test>', Readable.from([Buffer.from(text)]))), query);
          const expected = accounts
            .filter((_, n) => n % 3 !== 2)
            .sort((a, b) => compareKeys(a.pk, b.pk))
            .map(({ pk, delegate, balance, schedule }) => {
              const unlockedAtSlot = unlockSlot(schedule);
              return {
                pk,
                delegate,
                balance,
                timing: { ...schedule },
                unlockedAtSlot,
                unlockedAtTime: unlockedAtSlot === null ? null : slotTime(ERAS.mainnet, unlockedAtSlot),
                lockedAtSlot: lockedAt(schedule, query.slot),
                supercharged: lockedAt(schedule, query.slot) === 0n,
                unlocksInEpoch: unlockedAtSlot !== null && unlockedAtSlot >= 400_000 && unlockedAtSlot <= 600_000,
              };
            });
          assert.equal(timed.count, expected.length);
          assert.deepEqual([...timed.rows()], expected);
          // Rows are made again for each pass over them (a table measures its columns first).
          assert.deepEqual([...timed.rows()], expected);
        },
      ),
      { numRuns: 4 },
    );
  });
});
