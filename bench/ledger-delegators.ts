/**
 * Times `minapay ledger delegators` against jq and a JSON.parse baseline on
 * synthetic post-Berkeley ledgers, in one run, and prints wall time and peak
 * RSS for each (GNU time). Generates the ledgers into bench/data/ if missing.
 *
 *   npm run build && npm run bench            # 250k array + JSON Lines, 2M array
 *   npm run bench -- --sizes 250000           # only the 250k ledgers
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { BENCH_POOL } from './pool.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', 'data');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '250000,2000000' } } });
const sizes = values.sizes.split(',').map(Number);

/** V8 cannot hold a string over ~512 MiB, so JSON.parse of a larger file is not a baseline. */
const MAX_JSON_PARSE_BYTES = 500 * 1024 * 1024;

interface Measurement {
  readonly seconds: number;
  readonly peakMegabytes: number;
}

function ledgerFile(accounts: number, format: 'json' | 'jsonl'): string {
  const path = join(DATA, `ledger-${accounts}.${format}`);
  if (!existsSync(path)) {
    mkdirSync(DATA, { recursive: true });
    process.stderr.write(`generating ${path}\n`);
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'generate-ledger.ts'), '--accounts', String(accounts), '--format', format, '--out', path]);
  }
  return path;
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with ${result.status}`);
}

/** Runs a command under GNU time, output discarded; returns wall seconds and peak RSS. */
function measure(command: string, args: readonly string[]): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, kilobytes] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? NaN, peakMegabytes: Math.round((kilobytes ?? NaN) / 1024) };
}

const minapay = (file: string): Measurement =>
  measure(process.execPath, [join(ROOT, 'bin', 'minapay.js'), 'ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'json', '--quiet']);
const jq = (file: string): Measurement =>
  file.endsWith('.jsonl')
    ? measure('jq', ['-c', '--arg', 'pk', BENCH_POOL, 'select(.delegate == $pk)', file])
    : measure('jq', ['--arg', 'pk', BENCH_POOL, '[.[] | select(.delegate == $pk)]', file]);
const jsonParse = (file: string): Measurement | null =>
  statSync(file).size > MAX_JSON_PARSE_BYTES ? null : measure(process.execPath, [join(ROOT, 'bench', 'json-parse-baseline.mjs'), file, BENCH_POOL]);

const format = (m: Measurement | null): string => (m === null ? 'n/a (file > V8 max string)' : `${m.seconds.toFixed(2)} s, ${m.peakMegabytes} MB`);

if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('run `npm run build` first');
const rows: string[] = ['| ledger | size | minapay | jq | JSON.parse + filter |', '| --- | --- | --- | --- | --- |'];
for (const accounts of sizes) {
  const formats: ('json' | 'jsonl')[] = accounts <= 250_000 ? ['json', 'jsonl'] : ['json'];
  for (const kind of formats) {
    const file = ledgerFile(accounts, kind);
    const megabytes = Math.round(statSync(file).size / 1e6);
    const row = `| ${accounts.toLocaleString('en-US')} accounts, ${kind === 'json' ? 'array' : 'JSON Lines'} | ${megabytes} MB | ${format(minapay(file))} | ${format(jq(file))} | ${format(jsonParse(file))} |`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  }
}
process.stdout.write(`\n${rows.join('\n')}\n`);
