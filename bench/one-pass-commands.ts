/**
 * Times every command that reads a ledger against `ledger delegators` on the
 * same synthetic ledger, in the same run: each command once per round,
 * three rounds; times are medians, ratios the median of each round's
 * (target for payout plan: at most 1.2x), peak RSS the largest (target: at
 * most 150 MB at every size). `payout plan` pays blocks won by the first of
 * the pool's delegators, 30 and 150 of them.
 *
 *   npm run build && npm run bench:commands                       # 250k, 1M and 2M accounts
 *   npm run bench:commands -- --sizes 250000 --rounds 1           # a quick look
 *   npm run bench:commands -- --commands "payout plan"            # only these (and the reference)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { blocksFile, compareRuns, ledgerFile, measureMinapay, ROOT, type Run } from './harness.js';
import { BENCH_POOL } from './pool.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '250000,1000000,2000000' }, rounds: { type: 'string', default: '3' }, commands: { type: 'string' } },
});
const sizes = values.sizes.split(',').map(Number);
/** Names of commands to time, by their start (comma-separated); ledger delegators is always timed, as the reference. */
const chosen = values.commands?.split(',') ?? null;
const REFERENCE = 'ledger delegators';
const rounds = Number(values.rounds);
const BLOCK_COUNTS = [30, 150];

function commands(file: string): Record<string, Run> {
  const journal = join(ROOT, 'bench', 'data', 'journal');
  const minapay = (args: string[]) => () => measureMinapay(args);
  const plan = (count: number): Run => {
    const blocks = blocksFile(file, count);
    const args = ['payout', 'plan', '--ledger', file, '--blocks', blocks, '--pool', BENCH_POOL, '--era', 'berkeley', '--epoch', '18', '--commission', '0.05'];
    return () => {
      rmSync(journal, { recursive: true, force: true });
      return measureMinapay([...args, '--journal', journal]);
    };
  };
  return {
    [REFERENCE]: minapay(['ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'json']),
    'ledger stats': minapay(['ledger', 'stats', file, '--format', 'json']),
    'odds --all': minapay(['odds', file, '--all', '--format', 'json']),
    'odds --all --method daemon': minapay(['odds', file, '--all', '--method', 'daemon', '--format', 'json']),
    'odds --pool --method daemon': minapay(['odds', file, '--pool', BENCH_POOL, '--method', 'daemon', '--format', 'json']),
    'unlock --slot (every timed account)': minapay(['unlock', file, '--slot', '600000', '--format', 'json']),
    'unlock --pool --slot': minapay(['unlock', file, '--pool', BENCH_POOL, '--slot', '600000', '--format', 'json']),
    ...Object.fromEntries(BLOCK_COUNTS.map((count) => [`payout plan (${count} blocks)`, plan(count)])),
  };
}

const rows = [
  '| ledger | command | time | peak RSS | vs ledger delegators | CPU time vs ledger delegators | fastest vs fastest |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const accounts of sizes) {
  const file = ledgerFile(accounts, 'json');
  const runs = Object.entries(commands(file)).filter(([name]) => chosen === null || name === REFERENCE || chosen.some((start) => name.startsWith(start)));
  for (const [name, compared] of compareRuns(Object.fromEntries(runs), REFERENCE, file, rounds)) {
    if (compared === null) continue;
    const { seconds, peakMegabytes, ratio, cpuRatio, ratioRange, fastestRatio } = compared;
    const range = `[${ratioRange[0].toFixed(2)}x to ${ratioRange[1].toFixed(2)}x]`;
    const figures = `${seconds.toFixed(2)} s | ${peakMegabytes} MB | ${ratio.toFixed(2)}x ${range} | ${cpuRatio.toFixed(2)}x | ${fastestRatio.toFixed(2)}x`;
    const row = `| ${accounts.toLocaleString('en-US')} | ${name} | ${figures} |`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  }
}
process.stdout.write(
  `\nMedian of ${rounds} rounds; a ratio is taken within each round, but the last: the fastest run over the fastest reference:\n\n${rows.join('\n')}\n`,
);
