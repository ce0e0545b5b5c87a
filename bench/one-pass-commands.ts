/**
 * Times the commands that make one streaming pass over a ledger against
 * `ledger delegators` on the same 250k-account ledger, and prints each with
 * its ratio (target: at most 1.2x).
 *
 *   npm run build && npm run bench:commands
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ledgerFile, measureMinapay, ROOT } from './harness.js';
import { BENCH_POOL } from './pool.js';

const file = ledgerFile(250_000, 'json');
const BLOCKS = 30;
/** Epoch 18 of the Berkeley era on mainnet: global slots 693000-700139. */
const EPOCH_FIRST_SLOT = 693_000;

/** Blocks won by the first delegators of the bench pool, spread over the epoch. */
function blocksFile(): string {
  const listed = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'minapay.js'), 'ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'jsonl', '--quiet'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const winners = listed.stdout
    .trim()
    .split('\n')
    .slice(0, BLOCKS)
    .map((line) => (JSON.parse(line) as { pk: string }).pk);
  const blocks = winners.map((winner, index) => ({
    height: 400_000 + index * 200,
    stateHash: `3NKbenchBlock${index}`,
    globalSlotSinceGenesis: EPOCH_FIRST_SLOT + index * 230,
    globalSlotSinceHardFork: EPOCH_FIRST_SLOT - 564_480 + index * 230,
    creator: BENCH_POOL,
    winner,
    coinbaseReceiver: BENCH_POOL,
    coinbase: '720000000000',
    feeTransferToReceiver: String(10_000_000 * (index + 1)),
    feeTransferViaCoinbase: '5000000',
  }));
  const path = join(ROOT, 'bench', 'data', `blocks-${BLOCKS}.json`);
  writeFileSync(path, JSON.stringify(blocks));
  return path;
}

const blocks = blocksFile();
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
