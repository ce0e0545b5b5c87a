/**
 * Times `minapay ledger delegators` against jq and a JSON.parse baseline on
 * synthetic post-Berkeley ledgers, in one run, and prints wall time and peak
 * RSS for each (GNU time). Generates the ledgers into bench/data/ if missing.
 *
 *   npm run build && npm run bench            # 250k array + JSON Lines, 2M array
 *   npm run bench -- --sizes 250000           # only the 250k ledgers
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ledgerFile, measure, measureMinapay, ROOT, type Measurement } from './harness.js';
import { BENCH_POOL } from './pool.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '250000,2000000' } } });
const sizes = values.sizes.split(',').map(Number);

/** V8 cannot hold a string over ~512 MiB, so JSON.parse of a larger file is not a baseline. */
const MAX_JSON_PARSE_BYTES = 500 * 1024 * 1024;

const minapay = (file: string): Measurement => measureMinapay(['ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'json']);
const jq = (file: string): Measurement =>
  file.endsWith('.jsonl')
    ? measure('jq', ['-c', '--arg', 'pk', BENCH_POOL, 'select(.delegate == $pk)', file])
    : measure('jq', ['--arg', 'pk', BENCH_POOL, '[.[] | select(.delegate == $pk)]', file]);
const jsonParse = (file: string): Measurement | null =>
  statSync(file).size > MAX_JSON_PARSE_BYTES ? null : measure(process.execPath, [join(ROOT, 'bench', 'json-parse-baseline.mjs'), file, BENCH_POOL]);

const format = (m: Measurement | null): string => (m === null ? 'n/a (file > V8 max string)' : `${m.seconds.toFixed(2)} s, ${m.peakMegabytes} MB`);

const rows: string[] = ['| ledger | size | minapay | jq | JSON.parse + filter |', '| --- | --- | --- | --- | --- |'];
for (const accounts of sizes) {
  const formats: ('json' | 'jsonl')[] = accounts <= 250_000 ? ['json', 'jsonl'] : ['json'];
  for (const kind of formats) {
    const file = ledgerFile(accounts, kind);
    const megabytes = Math.round(statSync(file).size / 1e6);
    const ledger = `${accounts.toLocaleString('en-US')} accounts, ${kind === 'json' ? 'array' : 'JSON Lines'}`;
    const row = `| ${ledger} | ${megabytes} MB | ${format(minapay(file))} | ${format(jq(file))} | ${format(jsonParse(file))} |`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  }
}
process.stdout.write(`\n${rows.join('\n')}\n`);
