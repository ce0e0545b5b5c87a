import { spawn, type ChildProcess } from 'node:child_process';

import { MinapayError } from '../errors.js';
import type { LedgerInput } from '../ledger/read.js';
import type { LedgerKind } from './manifest.js';

/** What `mina ledger export` calls each ledger. */
const EXPORT_SUBCOMMAND: Readonly<Record<LedgerKind, string>> = { staking: 'staking-epoch-ledger', next: 'next-epoch-ledger' };
/** Enough of the command's stderr to say why it failed. */
const STDERR_TAIL = 2048;
/** A command whose output ended usually exits within this. */
const EXIT_GRACE_MS = 2000;

export interface LedgerExport {
  /** The command's stdout, as a ledger input; the command starts when the input is opened. */
  readonly input: LedgerInput;
  /** How the manifest names the source. */
  readonly source: string;
  /** Resolves when the command has exited successfully; otherwise LEDGER_EXPORT_FAILED. */
  finished(): Promise<void>;
  /**
   * When the run failed: gives the command a moment to exit on its own,
   * stops it otherwise, and resolves to its own failure if it had one (that,
   * not an empty or cut-off ledger, is what to report).
   */
  stop(): Promise<MinapayError | null>;
}

/**
 * The daemon's ledger export, `<command> staking-epoch-ledger` (or
 * next-epoch-ledger); the command is configurable, e.g. `docker exec mina
 * mina ledger export`. Its words are passed as arguments, never through a
 * shell. A command still running `timeoutSeconds` after it started is
 * killed and fails: a hung export must not hold the archive's lock forever.
 */
export function ledgerExport(command: readonly string[], kind: LedgerKind, timeoutSeconds: number): LedgerExport {
  const [program, ...args] = command;
  if (program === undefined || program === '') throw new MinapayError('USAGE', '--export-command is empty');
  const words = [...args, EXPORT_SUBCOMMAND[kind]];
  const source = `export: ${[program, ...words].join(' ')}`;
  let child: ChildProcess | null = null;
  let exit: Promise<MinapayError | null> = Promise.resolve(null);
  let stopped = false;
  const start = (): ChildProcess => {
    const started = spawn(program, words, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    started.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL);
    });
    exit = new Promise((resolve) => {
      // Killing the command ends its output, so the reader stops too; the failure is this, not a cut-off ledger.
      const timeout = setTimeout(() => {
        started.kill('SIGKILL');
        resolve(
          new MinapayError('LEDGER_EXPORT_FAILED', `${source} did not finish within ${timeoutSeconds} s (--export-timeout); killed it, nothing was archived`),
        );
      }, timeoutSeconds * 1000);
      started.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timeout);
        resolve(new MinapayError('LEDGER_EXPORT_FAILED', `${source}: cannot run ${program} (${error.code ?? error.message}); nothing was archived`));
      });
      started.once('close', (code, signal) => {
        clearTimeout(timeout);
        if (code === 0 || stopped) return resolve(null);
        const why = code === null ? `was killed by ${signal}` : `exited with ${code}`;
        const said = stderr.trim().split('\n').at(-1);
        resolve(new MinapayError('LEDGER_EXPORT_FAILED', `${source} ${why}${said ? `: ${said}` : ''}; nothing was archived`));
      });
    });
    return started;
  };
  return {
    input: {
      name: `<${source}>`,
      reopenable: false,
      open: () => {
        child ??= start();
        return child.stdout!;
      },
    },
    source,
    async finished() {
      const failure = await exit;
      if (failure !== null) throw failure;
    },
    async stop() {
      const exited = await Promise.race([exit.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, EXIT_GRACE_MS, false).unref())]);
      if (!exited && child !== null) {
        stopped = true;
        child.kill('SIGTERM');
      }
      return exit;
    },
  };
}
