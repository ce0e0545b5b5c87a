import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { ROOT } from '../helpers.js';

/**
 * The CLI as it ships (bin/minapay.js runs dist/), compiled from the current
 * src by the project's own build, tsc -p tsconfig.build.json, for tests that
 * start CLI processes: each then starts in about a third of the CPU of the
 * sources through tsx. It is built once per state of src and of the build
 * settings, into node_modules/.cache/minapay-test/cli-<hash of them>, where
 * packages resolve as they do from dist/; test files and later runs on the
 * same sources reuse it, and npm ci clears it.
 */
const CACHE = join(ROOT, 'node_modules', '.cache', 'minapay-test');
/** What the build reads besides src: a change to any of them is a new build. */
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', join('node_modules', 'typescript', 'package.json')];

let entry: string | undefined;

/** Node's arguments to run the compiled CLI (before the CLI's own). */
export function compiledCli(): string[] {
  entry ??= build();
  return [entry];
}

/** The directory of the compiled src, for test scripts that import its modules. */
export function compiledSrc(): string {
  entry ??= build();
  return dirname(dirname(entry));
}

function build(): string {
  const dir = join(CACHE, `cli-${sourceHash()}`);
  const built = join(dir, 'cli', 'entry.js');
  if (existsSync(built)) return built;
  mkdirSync(CACHE, { recursive: true });
  const temp = mkdtempSync(join(CACHE, 'building-'));
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', temp], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  if (tsc.status !== 0) {
    rmSync(temp, { recursive: true, force: true });
    throw new Error(`building the CLI failed (${tsc.error?.message ?? `exit ${tsc.status}`}): ${tsc.stdout}${tsc.stderr}`);
  }
  try {
    renameSync(temp, dir);
  } catch (error) {
    // Another test file built the same sources meanwhile: keep its build.
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(built)) throw error;
  }
  // Builds of other sources are of no more use.
  for (const name of readdirSync(CACHE)) if (name.startsWith('cli-') && join(CACHE, name) !== dir) rmSync(join(CACHE, name), { recursive: true, force: true });
  return built;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(join(ROOT, 'src')).sort(), ...BUILD_INPUTS.map((file) => join(ROOT, file))];
  for (const file of files)
    hash
      .update(`${relative(ROOT, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
