/**
 * Times the commands that make one streaming pass over a ledger against
 * `ledger delegators` on the same 250k-account ledger, and prints each with
 * its ratio (target: at most 1.2x).
 *
 *   npm run build && npm run bench:commands
 */
import { join } from 'node:path';

import { blocksFile, ledgerFile, measureMinapay, ROOT } from './harness.js';
import { BENCH_POOL } from './pool.js';

const file = ledgerFile(250_000, 'json');
const BLOCKS = 30;
const blocks = blocksFile(file, BLOCKS);
const journal = join(ROOT, 'bench', 'data', 'journal');
const commands: [string, string[]][] = [
  ['ledger delegators', ['ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'json']],
  ['odds --all', ['odds', file, '--all', '--format', 'json']],
  ['odds --pool --method daemon', ['odds', file, '--pool', BENCH_POOL, '--method', 'daemon', '--format', 'json']],
  ['unlock --slot', ['unlock', file, '--slot', '600000', '--format', 'json']],
  [
    `payout plan (${BLOCKS} blocks)`,
    [
      'payout',
      'plan',
      '--ledger',
      file,
      '--blocks',
      blocks,
      '--pool',
      BENCH_POOL,
      '--era',
      'berkeley',
      '--epoch',
      '18',
      '--commission',
      '0.05',
      '--journal',
      journal,
    ],
  ],
];
const rows = ['| command (250,000 accounts, array) | time | peak RSS | vs ledger delegators |', '| --- | --- | --- | --- |'];
let baseline: number | undefined;
for (const [name, args] of commands) {
  const { seconds, peakMegabytes } = measureMinapay(args);
  baseline ??= seconds;
  const row = `| ${name} | ${seconds.toFixed(2)} s | ${peakMegabytes} MB | ${(seconds / baseline).toFixed(2)}x |`;
  rows.push(row);
  process.stderr.write(`${row}\n`);
}
process.stdout.write(`${rows.join('\n')}\n`);
