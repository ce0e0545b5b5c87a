/** What the bench scripts share: the synthetic ledgers and a timed run under GNU time. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', 'data');

export interface Measurement {
  readonly seconds: number;
  /** User and system CPU time: less thrown about than wall time when the host's other work takes the cores. */
  readonly cpuSeconds: number;
  readonly peakMegabytes: number;
}

/** The synthetic ledger of that many accounts, generated into bench/data/ on first use. */
export function ledgerFile(accounts: number, format: 'json' | 'jsonl'): string {
  const path = join(DATA, `ledger-${accounts}.${format}`);
  if (!existsSync(path)) {
    mkdirSync(DATA, { recursive: true });
    process.stderr.write(`generating ${path}\n`);
    const args = ['--import', 'tsx', join(ROOT, 'bench', 'generate-ledger.ts'), '--accounts', String(accounts), '--format', format, '--out', path];
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) throw new Error(`generating ${path} failed with ${result.status}`);
  }
  return path;
}

/** Runs a command under GNU time, output discarded; returns wall and CPU seconds and peak RSS. */
export function measure(command: string, args: readonly string[]): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, user, system, kilobytes] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? NaN, cpuSeconds: (user ?? NaN) + (system ?? NaN), peakMegabytes: Math.round((kilobytes ?? NaN) / 1024) };
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
    summary.set(name, {
      seconds: median(done.map((result) => result.seconds)),
      peakMegabytes: Math.max(...done.map((result) => result.peakMegabytes)),
      ratio: median(done.map((result, round) => result.seconds / (base[round] as Measurement).seconds)),
      cpuRatio: median(done.map((result, round) => result.cpuSeconds / (base[round] as Measurement).cpuSeconds)),
    });
  }
  return summary;
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

/** Runs the built CLI (dist/) under GNU time. */
export function measureMinapay(args: readonly string[]): Measurement {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('run `npm run build` first');
  return measure(process.execPath, [join(ROOT, 'bin', 'minapay.js'), ...args, '--quiet']);
}
