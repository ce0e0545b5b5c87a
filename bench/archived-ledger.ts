/**
 * Reading an archived ledger against node's JSON.parse of the original
 * export: archives the synthetic 250k-account ledger (bench/data/), then
 * times `ledger delegators --archive` on it next to the JSON.parse +
 * filter baseline on the original file, in one run, and prints the ratio
 * (target: at most 1.5x). Also prints the sizes and the archiving time.
 *
 *   npm run build && npm run bench:archive
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { compareRuns, ledgerFile, measure, measureMinapay, ROOT } from './harness.js';
import { BENCH_POOL } from './pool.js';

const ACCOUNTS = 250_000;
/** A real mainnet ledger hash: the archive names files by epoch and hash. */
const LEDGER_HASH = 'jwtL47nyjgCexDufj4YvsvG3CnQTUoFx3DWqw9agMYbABy4mGyf';
const EPOCH = 18;

const original = ledgerFile(ACCOUNTS, 'json');
const archive = join(ROOT, 'bench', 'data', 'archive');
rmSync(archive, { recursive: true, force: true });
const archiving = measureMinapay(['ledger', 'archive', original, '--archive', archive, '--epoch', String(EPOCH), '--ledger-hash', LEDGER_HASH]);
const stored = join(archive, 'mainnet', `epoch-${EPOCH}-${LEDGER_HASH}.jsonl.gz`);

// Alternated three times; the ratio is the median of each round's: one slow run on a shared machine decides nothing.
const result = compareRuns(
  {
    archived: () => measureMinapay(['ledger', 'delegators', '--archive', archive, '--epoch', String(EPOCH), '--pool', BENCH_POOL, '--format', 'json']),
    baseline: () => measure(process.execPath, [join(ROOT, 'bench', 'json-parse-baseline.mjs'), original, BENCH_POOL]),
  },
  'baseline',
  original,
);
const archived = result.get('archived')!;
const baseline = result.get('baseline')!;
const megabytes = (path: string) => Math.round(statSync(path).size / 1e6);

const rows = [
  '| what | file | wall time (median of 3) | peak RSS |',
  '| --- | --- | --- | --- |',
  `| \`ledger archive\` of the ${ACCOUNTS.toLocaleString('en-US')}-account export | ${megabytes(original)} ` +
    `MB -> ${megabytes(stored)} MB | ${archiving.seconds.toFixed(2)} s | ${archiving.peakMegabytes} MB |`,
  `| \`ledger delegators --archive\` | ${megabytes(stored)} MB | ${archived.seconds.toFixed(2)} s | ${archived.peakMegabytes} MB |`,
  `| JSON.parse + filter of the original | ${megabytes(original)} MB | ${baseline.seconds.toFixed(2)} s | ${baseline.peakMegabytes} MB |`,
];
process.stdout.write(`${rows.join('\n')}\n\nreading the archive: ${archived.ratio.toFixed(2)}x JSON.parse of the original (target: at most 1.5x)\n`);
