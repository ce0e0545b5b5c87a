import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { formatMinaAsExported } from '../../src/protocol/amounts.js';
import { timingAfterSlotHalving } from '../../src/protocol/timing.js';
import { fixture, tempDir } from '../helpers.js';
import { runCli } from './run.js';

const PRE_BERKELEY_POOL = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
const expected = (name: string): string => readFileSync(fixture('expected', name), 'utf8');

describe('minapay unlock', () => {
  it('writes the checked-in outputs for the post-Berkeley fixture at slot 600000', async () => {
    for (const [format, name] of [
      ['json', 'post-berkeley.unlock-600000.json'],
      ['table', 'post-berkeley.unlock-600000.table'],
    ]) {
      const result = await runCli(['unlock', fixture('ledger', 'post-berkeley.json'), '--slot', '600000', '--format', format as string]);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.equal(result.stdout, expected(name as string));
    }
  });

  it('reads every ledger format alike, stdin included', async () => {
    for (const name of ['post-berkeley.jsonl', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json', 'docker-preamble.json']) {
      const result = await runCli(['unlock', fixture('ledger', name), '--slot', '600000', '--format', 'json', '--quiet']);
      assert.equal(result.stdout, expected('post-berkeley.unlock-600000.json'), name);
    }
    const piped = await runCli(['unlock', '-', '--slot', '600000', '--format', 'json'], {
      stdin: readFileSync(fixture('ledger', 'post-berkeley.json'), 'utf8'),
    });
    assert.equal(piped.stdout, expected('post-berkeley.unlock-600000.json'));
  });

  it('judges supercharging in the 2021 era: unlocked accounts earn it', async () => {
    const result = await runCli(['unlock', fixture('ledger', 'pre-berkeley.json'), '--slot', '300000', '--format', 'json']);
    assert.equal(result.stdout, expected('pre-berkeley.unlock-300000.json'));
    const { superchargeFactor, accounts } = JSON.parse(result.stdout) as {
      superchargeFactor: number;
      accounts: { lockedAtSlot: string; supercharged: boolean }[];
    };
    assert.equal(superchargeFactor, 2);
    for (const account of accounts) assert.equal(account.supercharged, account.lockedAtSlot === '0');
  });

  it('reports an epoch of an era: judged at its first slot, with who unlocks during it', async () => {
    const result = await runCli([
      'unlock',
      fixture('ledger', 'pre-berkeley.json'),
      '--pool',
      PRE_BERKELEY_POOL,
      '--epoch',
      '3',
      '--era',
      '2021',
      '--format',
      'csv',
    ]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, expected('pre-berkeley.unlock-epoch-3.csv'));
  });

  it('takes the newest era whose start is known and says so; asks for the start of one it does not know, naming the ways to give it', async () => {
    const newest = await runCli(['unlock', fixture('ledger', 'post-berkeley.json'), '--epoch', '2', '--format', 'json']);
    assert.equal(newest.code, 0, newest.stderr);
    assert.deepEqual(JSON.parse(newest.stdout).epoch, { era: 'berkeley', epoch: 2, first: 578760, last: 585899 });
    assert.match(newest.stderr, /^minapay: era berkeley \(first global slot 564480\), the newest whose start minapay knows; name another with --era\n$/);
    const unknown = await runCli(['unlock', fixture('ledger', 'post-berkeley.json'), '--epoch', '2', '--era', 'mesa']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /era mesa: its first global slot is not known.*--era-start-slot.*--graphql URL.*a blocks file.*\[ERA_START_UNKNOWN\]/);
    const given = await runCli(['unlock', fixture('ledger', 'post-berkeley.json'), '--epoch', '2', '--era-start-slot', '958080', '--format', 'json']);
    assert.equal(given.code, 0);
    assert.deepEqual(JSON.parse(given.stdout).epoch, { era: 'mesa', epoch: 2, first: 972360, last: 979499 });
  });

  it('puts a time on unlock slots whose era is known, and none where it is not', async () => {
    const ledger = fixture('ledger', 'post-berkeley.json');
    const times = async (...args: string[]) =>
      (
        JSON.parse((await runCli(['unlock', ledger, '--slot', '600000', '--format', 'json', ...args])).stdout) as {
          accounts: { unlockedAtTime: string | null }[];
        }
      ).accounts.map((a) => a.unlockedAtTime);
    // Slot 600000 may be Berkeley or Mesa until Mesa's first slot is given.
    assert.deepEqual(await times(), [null, null]);
    assert.deepEqual(await times('--era-start-slot', '958080', '--era-start-time', '2026-09-03T00:00:00Z'), [
      '2024-08-18T00:00:00.000Z',
      '2025-02-24T00:00:00.000Z',
    ]);
  });

  it('judges at the slot under way at a --time', async () => {
    const result = await runCli(['unlock', fixture('ledger', 'pre-berkeley.json'), '--time', '2023-02-05T00:02:59Z', '--format', 'json']);
    const report = JSON.parse(result.stdout) as { slot: number; time: string; position: object };
    assert.deepEqual([report.slot, report.time, report.position], [331_200, '2023-02-05T00:00:00.000Z', { era: '2021', epoch: 46, slotInEpoch: 2760 }]);
    const unknown = await runCli(['unlock', fixture('ledger', 'pre-berkeley.json'), '--time', '2026-02-05T00:00:00Z']);
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /\[ERA_START_UNKNOWN\]/);
  });

  it('refuses bad usage with exit 64 and leaves no output file', async () => {
    const dir = tempDir();
    const out = join(dir, 'unlock.json');
    const ledger = fixture('ledger', 'post-berkeley.json');
    for (const args of [
      ['--slot', '1', '--epoch', '1'],
      ['--slot', '1', '--time', '2023-01-01T00:00:00Z'],
      ['--time', 'noon'],
      [],
      ['--slot', '-1'],
      ['--slot', '99999999999'],
      ['--epoch', '999999999999', '--era', '2021'],
      ['--era', 'mesa', '--era-start-slot', '4000000000', '--era-start-time', '2026-09-03T00:00:00Z', '--time', '9999-01-01T00:00:00Z'],
      ['--slot', '1', '--era', 'mesa', '--era-start-slot', '4294967296'],
      ['--epoch', '1', '--era', 'atlantis'],
      ['--epoch', '1', '--era', 'berkeley', '--era-start-time', 'yesterday'],
    ]) {
      const result = await runCli(['unlock', ledger, ...args, '--output', out]);
      assert.equal(result.code, 64, args.join(' '));
      assert.match(result.stderr, /^minapay: .*\[(USAGE|ERA_START_UNKNOWN)\]\n$/);
      assert.equal(existsSync(out), false);
    }
  });

  it("names the bound of a slot past the protocol's u32 global slots", async () => {
    const result = await runCli(['unlock', fixture('ledger', 'post-berkeley.json'), '--slot', '99999999999']);
    assert.equal(result.code, 64);
    assert.equal(result.stderr, 'minapay: --slot must be a whole number from 0 to 4294967295, not 99999999999 [USAGE]\n');
  });
});

describe('minapay unlock after the Mesa fork', () => {
  it("answers a ledger exported after the fork in the fork's terms: the migrated schedule unlocks at the same UTC time as before it", async () => {
    const MINA = 1_000_000_000n;
    const fork = 702_500;
    // 138,020 slots of 180 s after Berkeley's start; Mesa's first slot, at 90 s a slot from then on.
    const forkTime = new Date(Date.parse('2024-06-05T00:00:00Z') + (fork - 564_480) * 180_000).toISOString();
    // Vesting before the fork: 1,000 MINA, 100 at slot 700,000 then 100 every 1,000 slots, all free at slot 709,000.
    const before = { initialMinimumBalance: 1000n * MINA, cliffTime: 700_000, cliffAmount: 100n * MINA, vestingPeriod: 1000, vestingIncrement: 100n * MINA };
    const after = timingAfterSlotHalving(before, fork);
    const [account] = JSON.parse(readFileSync(fixture('ledger', 'post-berkeley.json'), 'utf8')) as Record<string, unknown>[];
    const exported = {
      ...account,
      timing: {
        initial_minimum_balance: formatMinaAsExported(after.initialMinimumBalance),
        cliff_time: String(after.cliffTime),
        cliff_amount: formatMinaAsExported(after.cliffAmount),
        vesting_period: String(after.vestingPeriod),
        vesting_increment: formatMinaAsExported(after.vestingIncrement),
      },
    };
    const ledger = join(tempDir(), 'mesa-ledger.json');
    writeFileSync(ledger, JSON.stringify([exported]));
    const result = await runCli(['unlock', ledger, '--slot', String(fork), '--era-start-slot', String(fork), '--era-start-time', forkTime, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const [row] = (JSON.parse(result.stdout) as { accounts: { unlockedAtSlot: number; unlockedAtTime: string }[] }).accounts;
    // 6,500 slots of 180 s after the fork before it; 13,000 of 90 s after it.
    assert.equal(row!.unlockedAtSlot, fork + 13_000);
    assert.equal(row!.unlockedAtTime, new Date(Date.parse('2024-06-05T00:00:00Z') + (709_000 - 564_480) * 180_000).toISOString());
  });
});
