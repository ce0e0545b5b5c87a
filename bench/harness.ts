/** What the bench scripts share: the synthetic ledgers and a timed run under GNU time. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BENCH_POOL } from './pool.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', 'data');

export interface Measurement {
  readonly seconds: number;
  /**
   * User and system CPU time: above `seconds` when more than one core worked, and less thrown about than wall time
   * when the host's other work takes the cores.
   */
  readonly cpuSeconds: number;
  readonly peakMegabytes: number;
}

/**
 * Bumped when generate-ledger.ts writes other bytes for the same arguments, so that no older ledger is reused (2: keys on
 * the curve; 3: balances that add up to less than the protocol's total currency can hold).
 */
const GENERATOR_VERSION = 3;
const DEFAULT_POOL_SHARE = 0.01;

/** The synthetic ledger of that many accounts, `poolShare` of them delegating to the bench pool, generated into bench/data/ on first use. */
export function ledgerFile(accounts: number, format: 'json' | 'jsonl', poolShare = DEFAULT_POOL_SHARE): string {
  const share = poolShare === DEFAULT_POOL_SHARE ? '' : `-pool-share-${poolShare}`;
  const path = join(DATA, `ledger-${accounts}${share}-v${GENERATOR_VERSION}.${format}`);
  if (!existsSync(path)) {
    mkdirSync(DATA, { recursive: true });
    process.stderr.write(`generating ${path}\n`);
    const generator = join(ROOT, 'bench', 'generate-ledger.ts');
    const args = ['--import', 'tsx', generator, '--accounts', String(accounts), '--format', format, '--pool-share', String(poolShare), '--out', path];
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`generating ${path} failed with ${result.status}`);
  }
  return path;
}

/** Epoch 18 of the Berkeley era on mainnet (`--era berkeley --epoch 18`): global slots 693000-700139. */
const EPOCH_FIRST_SLOT = 693_000;
const SLOTS_PER_EPOCH = 7140;

/** A blocks file of `count` blocks of epoch 18, spread over it, won by the first delegators of the bench pool in `ledger`. Needs the build. */
export function blocksFile(ledger: string, count: number): string {
  const listed = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'minapay.js'), 'ledger', 'delegators', ledger, '--pool', BENCH_POOL, '--format', 'jsonl', '--quiet'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const winners = listed.stdout
    .trim()
    .split('\n')
    .slice(0, count)
    .map((line) => (JSON.parse(line) as { pk: string }).pk);
  // Spread over the epoch, however many.
  const spacing = Math.floor(SLOTS_PER_EPOCH / count);
  const blocks = winners.map((winner, index) => ({
    height: 400_000 + index * 40,
    stateHash: `3NKbenchBlock${index}`,
    globalSlotSinceGenesis: EPOCH_FIRST_SLOT + index * spacing,
    globalSlotSinceHardFork: EPOCH_FIRST_SLOT - 564_480 + index * spacing,
    creator: BENCH_POOL,
    winner,
    coinbaseReceiver: BENCH_POOL,
    coinbase: '720000000000',
    feeTransferToReceiver: String(10_000_000 * (index + 1)),
    feeTransferViaCoinbase: '5000000',
  }));
  const path = join(DATA, `blocks-${count}-${basename(ledger).replace(/\.jsonl?$/, '')}.json`);
  writeFileSync(path, JSON.stringify(blocks));
  return path;
}

/** Runs a command under GNU time, output discarded; returns wall seconds, peak RSS and CPU time. */
export function measure(command: string, args: readonly string[]): Measurement {
  const format = ['-f', '%e %M %U %S'];
  const result = spawnSync('/usr/bin/time', [...format, command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, kilobytes, user, system] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? NaN, peakMegabytes: Math.round((kilobytes ?? NaN) / 1024), cpuSeconds: (user ?? NaN) + (system ?? NaN) };
}

/** One measured command of a comparison: null when it cannot run here (a file too large for JSON.parse). */
export type Run = () => Measurement | null;

export interface Compared {
  /** Median wall time over the rounds. */
  readonly seconds: number;
  /** Largest peak RSS over the rounds. */
  readonly peakMegabytes: number;
  /** Median over the rounds of this run's wall time divided by the reference's of the same round. */
  readonly ratio: number;
  /** The same for CPU time. */
  readonly cpuRatio: number;
  /** The smallest and largest of the rounds' wall-time ratios: how far the machine's speed moved them. */
  readonly ratioRange: readonly [number, number];
  /**
   * This run's fastest wall time divided by the reference's fastest: other
   * work on the machine only ever adds time, so the fastest runs are the
   * least disturbed, whichever rounds they fell in.
   */
  readonly fastestRatio: number;
}

/**
 * Runs every command once per round, one after the other, for `rounds`
 * rounds: on a machine shared with other work, a command and its baseline
 * are measured minutes apart at most, and a ratio is taken within a round,
 * then the median of the rounds'. Each round starts by reading `file` once
 * (the host reclaims page cache: whoever ran first would read from disk) and
 * starts one command later than the round before.
 */
export function compareRuns(runs: Readonly<Record<string, Run>>, reference: string, file: string, rounds = 3): Map<string, Compared | null> {
  const names = Object.keys(runs);
  const measured = new Map<string, (Measurement | null)[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    warmPageCache(file);
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const result = runs[name]!();
      measured.get(name)!.push(result);
      if (result !== null)
        process.stderr.write(
          `round ${round + 1}: ${name}: ${result.seconds.toFixed(2)} s (${result.cpuSeconds.toFixed(2)} s CPU), ${result.peakMegabytes} MB\n`,
        );
    }
  }
  const base = measured.get(reference)!;
  const summary = new Map<string, Compared | null>();
  for (const [name, results] of measured) {
    if (results.some((result) => result === null)) {
      summary.set(name, null);
      continue;
    }
    const done = results as Measurement[];
    const ratios = done.map((result, round) => result.seconds / (base[round] as Measurement).seconds);
    summary.set(name, {
      seconds: median(done.map((result) => result.seconds)),
      peakMegabytes: Math.max(...done.map((result) => result.peakMegabytes)),
      ratio: median(ratios),
      cpuRatio: median(done.map((result, round) => result.cpuSeconds / (base[round] as Measurement).cpuSeconds)),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      fastestRatio: fastest(done) / fastest(base as Measurement[]),
    });
  }
  return summary;
}

function fastest(results: readonly Measurement[]): number {
  return Math.min(...results.map((result) => result.seconds));
}

/** Reads a file through once, so that what is measured next finds it in the page cache. */
function warmPageCache(file: string): void {
  const handle = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    while (readSync(handle, buffer) > 0);
  } finally {
    closeSync(handle);
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** stream-json's bare tokenizer over the file, read as minapay reads it: what minapay's own work is measured against. */
export function measureTokenizer(file: string): Measurement {
  return measure(process.execPath, [join(ROOT, 'bench', 'tokenizer-baseline.mjs'), file]);
}

/** Runs the built CLI (dist/) under GNU time as an operator runs it: bin/minapay.js as a program, which gives Node its V8 flag. */
export function measureMinapay(args: readonly string[]): Measurement {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('run `npm run build` first');
  return measure(join(ROOT, 'bin', 'minapay.js'), [...args, '--quiet']);
}
