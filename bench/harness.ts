/** What the bench scripts share: the synthetic ledgers and a timed run under GNU time. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = join(ROOT, 'bench', 'data');

export interface Measurement {
  readonly seconds: number;
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

/** Runs a command under GNU time, output discarded; returns wall seconds and peak RSS. */
export function measure(command: string, args: readonly string[]): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, kilobytes] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds: seconds ?? NaN, peakMegabytes: Math.round((kilobytes ?? NaN) / 1024) };
}

/** Runs the built CLI (dist/) under GNU time. */
export function measureMinapay(args: readonly string[]): Measurement {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('run `npm run build` first');
  return measure(process.execPath, [join(ROOT, 'bin', 'minapay.js'), ...args, '--quiet']);
}
