import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';

import { ROOT } from '../helpers.js';

/**
 * The CLI as it ships: compiled from the current src by the project's own
 * build (tsc -p tsconfig.build.json), once per test file, for tests that
 * start many CLI processes; each then starts in about a third of the CPU
 * of the source entry point through tsx. Built under node_modules/.cache,
 * where packages resolve as they do from dist/, and removed when the file ends.
 */
let outDir: string | undefined;

after(() => {
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

/** Node's arguments to run the compiled CLI (before the CLI's own). */
export function compiledCli(): string[] {
  if (outDir === undefined) {
    const cache = join(ROOT, 'node_modules', '.cache', 'minapay-test');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'cli-'));
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    if (build.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`building the CLI failed (${build.error?.message ?? `exit ${build.status}`}): ${build.stdout}${build.stderr}`);
    }
    outDir = dir;
  }
  return [join(outDir, 'cli', 'entry.js')];
}
