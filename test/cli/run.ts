import { spawn, spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import type { TestContext } from 'node:test';

import { main } from '../../src/cli/main.js';
import { ROOT } from '../helpers.js';
import { killedWithTest, within } from '../processes.js';
import { compiledCli } from './compiled.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs the CLI in this process with buffers for streams. */
export async function runCli(args: readonly string[], options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = sink();
  const stderr = sink();
  const stderrStream = Object.assign(stderr.stream, { isTTY: options.tty === true });
  const code = await main(args, {
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdout: stdout.stream,
    stderr: stderrStream,
    env: options.env ?? {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** How long a CLI process may run: spawnSync blocks this process, so the test runner's own timeout cannot stop it. */
const SPAWN_TIMEOUT_MS = 30_000;

/** Runs the CLI as a real process (the compiled CLI, see compiled.ts); killed, and the test failed, if it runs too long. */
export function spawnCli(args: readonly string[], stdin?: Buffer): CliResult {
  const result = spawnSync(process.execPath, [...compiledCli(), ...args], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    timeout: SPAWN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (result.error !== undefined) throw new Error(`minapay ${args.join(' ')}: ${result.error.message}`, { cause: result.error });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI as a real process without blocking this one, so that a server
 * in this process (the stand-in daemon, PGlite's socket) can answer it; the
 * process is killed if it outlives its test `t` or runs too long.
 */
export async function runCliProcess(
  t: TestContext,
  args: readonly string[],
  options: { stdin?: Buffer; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [...compiledCli(), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  void killedWithTest(t, child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // 'close' comes after the exit and the end of both outputs.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.stdin.on('error', () => {});
  child.stdin.end(options.stdin ?? '');
  const code = await within(`minapay ${args.join(' ')} to exit`, SPAWN_TIMEOUT_MS, closed);
  return { code: code ?? -1, stdout, stderr };
}
