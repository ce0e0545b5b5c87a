/**
 * Times `minapay ledger delegators` on synthetic post-Berkeley ledgers
 * beside its baselines, in the same run: stream-json's bare tokenizer on the
 * same file (what minapay's own work is measured against; target: at most
 * 1.5x), jq, and JSON.parse + filter where V8 can hold the file. Each is run
 * three times, alternating; times are medians, ratios the median of each
 * round's, peak RSS the largest (GNU time). Generates the ledgers into
 * bench/data/ if missing.
 *
 *   npm run build && npm run bench                      # 250k array + JSON Lines, 1M and 2M arrays
 *   npm run bench -- --sizes 250000 --rounds 1          # a quick look
 *   npm run bench -- --baselines tokenizer --rounds 9   # the tokenizer alone, each round right beside minapay
 *
 * Each ratio is followed by the range of the rounds' own: this machine's
 * speed moves by a third within minutes, and with every baseline in a round
 * minapay and the tokenizer may run a minute apart (jq on 2M accounts takes one).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { compareRuns, type Compared, ledgerFile, measure, measureMinapay, measureTokenizer, ROOT } from './harness.js';
import { BENCH_POOL } from './pool.js';

const BASELINES = ['tokenizer', 'jq', 'JSON.parse'] as const;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '250000,1000000,2000000' },
    rounds: { type: 'string', default: '3' },
    baselines: { type: 'string', default: BASELINES.join(',') },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);
const baselines = new Set(values.baselines.split(','));
for (const name of baselines)
  if (!(BASELINES as readonly string[]).includes(name)) throw new Error(`--baselines: ${name} is not one of ${BASELINES.join(', ')}`);

/** V8 cannot hold a string over ~512 MiB, so JSON.parse of a larger file is not a baseline. */
const MAX_JSON_PARSE_BYTES = 500 * 1024 * 1024;

const minapay = (file: string) => () => measureMinapay(['ledger', 'delegators', file, '--pool', BENCH_POOL, '--format', 'json']);
const tokenizer = (file: string) => () => measureTokenizer(file);
const jq = (file: string) => () =>
  file.endsWith('.jsonl')
    ? measure('jq', ['-c', '--arg', 'pk', BENCH_POOL, 'select(.delegate == $pk)', file])
    : measure('jq', ['--arg', 'pk', BENCH_POOL, '[.[] | select(.delegate == $pk)]', file]);
const jsonParse = (file: string) => () =>
  statSync(file).size > MAX_JSON_PARSE_BYTES ? null : measure(process.execPath, [join(ROOT, 'bench', 'json-parse-baseline.mjs'), file, BENCH_POOL]);

const cell = (compared: Compared | null | undefined, withRatio: boolean): string =>
  compared === undefined
    ? 'not run'
    : compared === null
      ? 'n/a (file > V8 max string)'
      : `${compared.seconds.toFixed(2)} s, ${compared.peakMegabytes} MB${withRatio ? ratioNote(compared) : ''}`;

const rows: string[] = ['| ledger | size | minapay | stream-json tokenizer alone | jq | JSON.parse + filter |', '| --- | --- | --- | --- | --- | --- |'];
for (const accounts of sizes) {
  const formats: ('json' | 'jsonl')[] = accounts <= 250_000 ? ['json', 'jsonl'] : ['json'];
  for (const kind of formats) {
    const file = ledgerFile(accounts, kind);
    const megabytes = Math.round(statSync(file).size / 1e6);
    const ledger = `${accounts.toLocaleString('en-US')} accounts, ${kind === 'json' ? 'array' : 'JSON Lines'}`;
    const all = { tokenizer: tokenizer(file), jq: jq(file), 'JSON.parse': jsonParse(file) };
    const runs = { minapay: minapay(file), ...Object.fromEntries(Object.entries(all).filter(([name]) => baselines.has(name))) };
    const result = compareRuns(runs, 'minapay', file, rounds);
    const row =
      `| ${ledger} | ${megabytes} MB | ${cell(result.get('minapay'), false)} | ${cell(result.get('tokenizer'), true)} ` +
      `| ${cell(result.get('jq'), true)} | ${cell(result.get('JSON.parse'), true)} |`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  }
}
process.stdout.write(`\nminapay's wall and CPU time as multiples of each baseline's, median of ${rounds} alternating rounds:\n\n${rows.join('\n')}\n`);

/** How a baseline compares with minapay in the same round: wall and CPU time; then minapay's fastest run over the baseline's fastest. */
function ratioNote(compared: Compared): string {
  const [lowest, highest] = compared.ratioRange;
  const range = `[${(1 / highest).toFixed(2)}x to ${(1 / lowest).toFixed(2)}x]`;
  const fastest = (1 / compared.fastestRatio).toFixed(2);
  return ` (minapay ${(1 / compared.ratio).toFixed(2)}x ${range}, CPU ${(1 / compared.cpuRatio).toFixed(2)}x, fastest ${fastest}x)`;
}
