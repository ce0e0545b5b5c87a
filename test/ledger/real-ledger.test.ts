import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';

import { poolDelegators } from '../../src/ledger/delegators.js';
import { fileInput, readLedger } from '../../src/ledger/read.js';
import { ledgerStats } from '../../src/ledger/stats.js';
import { REAL_LEDGER } from '../helpers.js';

interface RawAccount {
  pk: string;
  balance: string;
  delegate?: string;
  timing?: object;
}

/** An independent reading of the real export: whole file, JSON.parse, string arithmetic. */
const raw = JSON.parse(gunzipSync(readFileSync(REAL_LEDGER)).toString('utf8')) as RawAccount[];

function nanominaByHand(mina: string): bigint {
  const [whole, fraction = ''] = mina.split('.');
  return BigInt(`${whole}${fraction.padEnd(9, '0')}`);
}

describe('the real 2021 mainnet staking ledger', () => {
  it('has ledger stats equal to an independent sum', async () => {
    const stats = await ledgerStats(readLedger(fileInput(REAL_LEDGER)), 3, REAL_LEDGER);
    const total = raw.reduce((sum, account) => sum + nanominaByHand(account.balance), 0n);
    assert.equal(stats.accounts, 2989);
    assert.equal(stats.minaAccounts, 2989);
    assert.equal(stats.timedAccounts, 1392);
    assert.equal(stats.timedAccounts, raw.filter((a) => a.timing !== undefined).length);
    assert.equal(stats.totalStake, total);
    assert.equal(stats.selfDelegated, raw.filter((a) => (a.delegate ?? a.pk) === a.pk).length);
    assert.equal(stats.delegates, new Set(raw.map((a) => a.delegate ?? a.pk)).size);
  });

  it('lists, for its three largest delegates, the same delegators as a JSON.parse filter', async () => {
    const { topDelegates } = await ledgerStats(readLedger(fileInput(REAL_LEDGER)), 3, REAL_LEDGER);
    assert.equal(topDelegates.length, 3);
    for (const { pk, stake, delegators } of topDelegates) {
      const expected = raw.filter((a) => a.delegate === pk).sort((a, b) => (a.pk < b.pk ? -1 : 1));
      const result = await poolDelegators(readLedger(fileInput(REAL_LEDGER)), [pk], REAL_LEDGER);
      assert.deepEqual(
        result.delegators.map((d) => [d.pk, d.balance, d.timing !== null]),
        expected.map((a) => [a.pk, nanominaByHand(a.balance), a.timing !== undefined]),
      );
      assert.equal(result.totalStake, stake);
      assert.equal(result.delegators.length, delegators);
    }
  });
});
