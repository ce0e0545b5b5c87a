import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { fixture, REAL_LEDGER, tempDir } from '../helpers.js';
import { runCli } from './run.js';

const POOL = 'B62qrMi68WSSWpmb3Yfp7ztzAFx6gUyF26VAzPNgYEoYKRASRj2pqZK';
const PRE_BERKELEY_POOL = 'B62qrecVjpoZ4Re3a5arN6gXZ6orhmj1enUtA887XdG5mtZfdUbBUh4';
/** Total currency of the real 2021 ledger the pre-Berkeley fixture was cut from. */
const REAL_TOTAL = '825473099840039233';
const expected = (name: string): string => readFileSync(fixture('expected', name), 'utf8');

/** `odds --method daemon` of the pre-Berkeley pool, 150 blocks won, against the real ledger's total currency, as JSON. */
const daemonOddsArgs = (ledger: string) => [
  'odds',
  ledger,
  '--pool',
  PRE_BERKELEY_POOL,
  '--method',
  'daemon',
  '--won',
  '150',
  '--total-currency',
  REAL_TOTAL,
  '--format',
  'json',
];

describe('minapay odds', () => {
  it('writes the checked-in float and daemon reports for the pre-Berkeley pool', async () => {
    const ledger = fixture('ledger', 'pre-berkeley.json');
    const daemon = await runCli(daemonOddsArgs(ledger));
    assert.equal(daemon.code, 0);
    assert.equal(daemon.stdout, expected('pre-berkeley.odds-daemon.json'));
    const float = await runCli(['odds', ledger, '--pool', PRE_BERKELEY_POOL, '--won', '150', '--total-currency', REAL_TOTAL]);
    assert.equal(float.stdout, expected('pre-berkeley.odds-float.table'));
  });

  it('gives the same pool odds from the fixture cut as from the whole real ledger', async () => {
    const cut = await runCli(daemonOddsArgs(fixture('ledger', 'pre-berkeley.json')));
    const whole = await runCli(['odds', REAL_LEDGER, '--pool', PRE_BERKELEY_POOL, '--method', 'daemon', '--won', '150', '--format', 'json']);
    assert.equal(whole.stdout, cut.stdout);
  });

  it('reports each key and the keys combined, with the daemon floor', async () => {
    const result = await runCli([
      'odds',
      fixture('ledger', 'post-berkeley.json'),
      '--pool',
      POOL,
      '--pool',
      PRE_BERKELEY_POOL,
      '--total-currency',
      '100000000000000000',
      '--method',
      'daemon',
      '--format',
      'json',
    ]);
    assert.equal(result.stdout, expected('post-berkeley.odds-two-keys.json'));
    const report = JSON.parse(result.stdout) as { keys: { belowFloorDelegators: number; belowFloorStake: string }[] };
    // B holds 1 nanomina: far under 1/2^20 of the total, it can never win a slot.
    assert.deepEqual([report.keys[0]?.belowFloorDelegators, report.keys[0]?.belowFloorStake], [1, '1']);
  });

  it('ranks every delegate key with --all, from any ledger format', async () => {
    for (const name of ['post-berkeley.json', 'post-berkeley.jsonl.gz', 'genesis-wrapped.json']) {
      const result = await runCli(['odds', fixture('ledger', name), '--all', '--format', 'json', '--quiet']);
      assert.equal(result.stdout, expected('post-berkeley.odds-all.json'), name);
    }
  });

  it('ranks the real ledger by stake and, with the daemon method, counts what sits below the floor', async () => {
    const result = await runCli(['odds', REAL_LEDGER, '--all', '--top', '3', '--method', 'daemon', '--format', 'json']);
    assert.equal(result.code, 0);
    const report = JSON.parse(result.stdout) as {
      totalCurrency: string;
      keys: { pk: string; delegators: number; stake: string; belowFloorDelegators: number; belowFloorStake: string }[];
    };
    // Independently: JSON.parse of the whole file, delegates ranked by stake, and the daemon's floor: stake x 2^20 < total currency.
    const raw = JSON.parse(gunzipSync(readFileSync(REAL_LEDGER)).toString('utf8')) as { pk: string; balance: string; delegate?: string }[];
    const nanomina = (mina: string) => BigInt(mina.split('.')[0]! + (mina.split('.')[1] ?? '').padEnd(9, '0'));
    const total = raw.reduce((sum, account) => sum + nanomina(account.balance), 0n);
    const byDelegate = new Map<string, bigint[]>();
    for (const account of raw)
      byDelegate.set(account.delegate ?? account.pk, [...(byDelegate.get(account.delegate ?? account.pk) ?? []), nanomina(account.balance)]);
    const sum = (balances: bigint[]) => balances.reduce((a, b) => a + b, 0n);
    const top = [...byDelegate].sort(([, a], [, b]) => (sum(b) > sum(a) ? 1 : -1)).slice(0, 3);
    const below = (balances: bigint[]) => balances.filter((balance) => balance * 2n ** 20n < total);
    assert.equal(report.totalCurrency, total.toString());
    assert.deepEqual(
      report.keys.map((key) => [key.pk, key.delegators, key.stake, key.belowFloorDelegators, key.belowFloorStake]),
      top.map(([pk, balances]) => [pk, balances.length, sum(balances).toString(), below(balances).length, sum(below(balances)).toString()]),
    );
  });

  it('refuses a ledger whose total currency is 0 (no share of it exists) with exit 65, unless --total-currency is given', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'zero.json');
    writeFileSync(ledger, JSON.stringify([{ pk: POOL, balance: '0' }]));
    for (const args of [['--pool', POOL], ['--pool', POOL, '--method', 'daemon'], ['--all'], ['--all', '--method', 'daemon']]) {
      const result = await runCli(['odds', ledger, ...args, '--format', 'json']);
      assert.equal(result.code, 65, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^minapay: .*zero\.json: its MINA-token balances add up to 0.*--total-currency.*\[LEDGER_NO_CURRENCY\]\n$/);
    }
    const given = await runCli(['odds', ledger, '--pool', POOL, '--total-currency', '1000000', '--format', 'json']);
    assert.equal(given.code, 0, given.stderr);
    assert.doesNotMatch(given.stdout, /NaN/);
  });

  it('refuses bad usage with exit 64 and leaves no output file', async () => {
    const dir = tempDir();
    const out = join(dir, 'odds.json');
    const ledger = fixture('ledger', 'post-berkeley.json');
    for (const args of [
      [],
      ['--pool', POOL, '--all'],
      ['--pool', POOL, '--total-currency', '1000'],
      ['--pool', POOL, '--total-currency', '1.5'],
      ['--pool', POOL, '--won', '-2'],
      ['--pool', POOL, '--method', 'guess'],
    ]) {
      const result = await runCli(['odds', ledger, ...args, '--output', out]);
      assert.equal(result.code, 64, args.join(' '));
      assert.match(result.stderr, /^minapay: .*\[USAGE\]\n$/);
      assert.equal(existsSync(out), false);
    }
  });

  it('gives each key ranked by --all --method daemon, in one read, the odds --pool gives it', async () => {
    // The ledger's own total, and one below and one above it: the floor then moves, and so does which balances are kept.
    for (const totalCurrency of [
      [],
      ['--total-currency', REAL_TOTAL],
      ['--total-currency', '300000000000000000'],
      ['--total-currency', '5000000000000000000'],
    ]) {
      const all = await runCli(['odds', REAL_LEDGER, '--all', '--top', '4', '--method', 'daemon', '--won', '20', ...totalCurrency, '--format', 'json']);
      assert.equal(all.code, 0, all.stderr);
      const ranked = (JSON.parse(all.stdout) as { keys: { pk: string }[] }).keys;
      assert.equal(ranked.length, 4);
      for (const key of ranked) {
        const alone = await runCli(['odds', REAL_LEDGER, '--pool', key.pk, '--method', 'daemon', '--won', '20', ...totalCurrency, '--format', 'json']);
        assert.deepEqual((JSON.parse(alone.stdout) as { keys: unknown[] }).keys, [key], `${key.pk} ${totalCurrency.join(' ')}`);
      }
    }
    // One read: a stream will do.
    const ledger = fixture('ledger', 'post-berkeley.json');
    const piped = await runCli(['odds', '-', '--all', '--method', 'daemon', '--format', 'json'], { stdin: readFileSync(ledger, 'utf8') });
    const file = await runCli(['odds', ledger, '--all', '--method', 'daemon', '--format', 'json']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, file.stdout);
  });
});
