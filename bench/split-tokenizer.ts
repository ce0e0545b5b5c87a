/**
 * What reading a ledger on two cores could gain: stream-json's bare tokenizer
 * over the whole file in one thread (tokenizer-baseline.mjs, what `npm run
 * bench` measures minapay against) beside the same tokenizer over each half
 * of the file in a thread of its own (split-tokenizer-baseline.mjs), in the
 * same run, alternating; times are medians, ratios the median of each
 * round's, peak RSS the largest. Nothing of minapay runs: the figures say
 * how much a read split across the cores could take off, before minapay's
 * own work is split too.
 *
 *   npm run bench:split                                   # 250k, 1M and 2M accounts, three rounds
 *   npm run bench:split -- --sizes 1000000 --rounds 5
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { type Compared, compareRuns, ledgerFile, measure, ROOT } from './harness.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '250000,1000000,2000000' }, rounds: { type: 'string', default: '3' } } });
const ONE = 'one thread';
const TWO = 'two threads, half the file each';

const rows = ['| ledger | tokenizer, one thread | tokenizer, two threads | two against one |', '| --- | --- | --- | --- |'];
for (const accounts of values.sizes.split(',').map(Number)) {
  const file = ledgerFile(accounts, 'json');
  const runs = {
    // Both as the bin runs minapay: with a young generation of 4 MB a semi-space.
    [ONE]: () => measure(process.execPath, ['--max-semi-space-size=4', join(ROOT, 'bench', 'tokenizer-baseline.mjs'), file]),
    [TWO]: () => measure(process.execPath, ['--max-semi-space-size=4', join(ROOT, 'bench', 'split-tokenizer-baseline.mjs'), file]),
  };
  const result = compareRuns(runs, ONE, file, Number(values.rounds));
  const one = result.get(ONE)!;
  const two = result.get(TWO)!;
  const [lowest, highest] = two.ratioRange;
  const timed = (compared: Compared) => `${compared.seconds.toFixed(2)} s, ${compared.peakMegabytes} MB`;
  const ratio = `${two.ratio.toFixed(2)}x [${lowest.toFixed(2)}x to ${highest.toFixed(2)}x], CPU ${two.cpuRatio.toFixed(2)}x`;
  const row = `| ${accounts.toLocaleString('en-US')} accounts | ${timed(one)} | ${timed(two)} | ${ratio} |`;
  rows.push(row);
  process.stdout.write(`${row}\n`);
}
process.stdout.write(`\n${rows.join('\n')}\n`);
