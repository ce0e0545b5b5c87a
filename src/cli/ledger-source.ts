import type { Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import { fileInput, readLedger, streamInput, type AccountBatches, type LedgerInput, type ReadOptions } from '../ledger/read.js';
import { ledgerHashProblem } from '../protocol/keys.js';
import { STANDARD_STREAM, type CliContext } from './context.js';
import { nonNegativeInteger, type RawArgs } from './options.js';
import { progressLine } from './progress.js';

/** The accounts of `path` (STANDARD_STREAM for stdin), with progress and warnings on stderr. */
export function ledgerAccounts(path: string, context: CliContext, quiet: boolean): { name: string; accounts: AccountBatches } {
  const input: LedgerInput = path === STANDARD_STREAM ? streamInput('<stdin>', context.stdin) : fileInput(path);
  const reporting = ledgerReadOptions(context, quiet);
  return { name: input.name, accounts: clearingProgress(readLedger(input, reporting.read), reporting.done) };
}

/** Progress (at a terminal) and warnings on stderr while a ledger is read; `done` clears the progress line. */
export function ledgerReadOptions(context: CliContext, quiet: boolean): { read: ReadOptions; done: () => void } {
  const progress = progressLine(context, quiet);
  return {
    read: {
      ...(progress && { onProgress: progress.update }),
      onWarning: (message) => {
        if (!quiet) context.stderr.write(`minapay: warning: ${message}\n`);
      },
    },
    done: () => progress?.done(),
  };
}

async function* clearingProgress<T>(items: AsyncIterable<T>, done: () => void): AsyncGenerator<T> {
  try {
    yield* items;
  } finally {
    done();
  }
}

/** The `[ledger]` argument every ledger-reading command takes, or --archive DIR (with --epoch) instead. */
export function ledgerArgument(yargs: Argv): Argv {
  return archiveOptions(
    yargs.positional('ledger', { type: 'string', describe: 'staking-ledger export (JSON, JSON Lines, gzip) or - for stdin; or use --archive' }),
  );
}

/** For commands that take no --epoch of their own: the epoch whose ledger --archive reads. */
export const ARCHIVE_EPOCH_OPTION = { type: 'number', describe: 'with --archive: the epoch whose staking ledger to read' } as const;

/** --archive DIR and --ledger-hash H: read an epoch's ledger from a `ledger archive` directory. */
export function archiveOptions(yargs: Argv): Argv {
  return yargs
    .option('archive', { type: 'string', describe: 'read the staking ledger of --epoch from this ledger archive (see `ledger archive`) instead of a file' })
    .option('ledger-hash', { type: 'string', describe: 'with --archive: which of the epoch’s ledgers, when the archive holds more than one' });
}

/**
 * The ledger file a command reads: the one given (as `<ledger>` or
 * --ledger), else with --archive the archived ledger of the epoch (`epoch`
 * when the command knows it, else --epoch).
 */
export async function chosenLedger(args: RawArgs, network: string, epoch?: number): Promise<string> {
  const given = typeof args['ledger'] === 'string' ? args['ledger'] : undefined;
  const archive = args['archive'];
  // A ledger file given wins: --archive may come from the shared config file, where it names the operator's ledger archive.
  if (given !== undefined) return given;
  if (archive === undefined) throw new MinapayError('USAGE', 'give a ledger file, or --archive DIR --epoch E');
  if (epoch === undefined && args['epoch'] === undefined) throw new MinapayError('USAGE', '--archive needs --epoch E: the epoch whose staking ledger to read');
  const hash = args['ledger-hash'] === undefined ? undefined : ledgerHashOption(args['ledger-hash'], '--ledger-hash');
  // The archive's module is loaded only here: a run on a ledger file starts without it.
  const { archivedLedgerPath } = await import('../ledger-archive/store.js');
  return archivedLedgerPath(String(archive), network, epoch ?? nonNegativeInteger(args['epoch'], '--epoch'), hash);
}

export function ledgerHashOption(value: unknown, flag: string): string {
  const hash = String(value);
  const problem = ledgerHashProblem(hash);
  if (problem !== null) throw new MinapayError('INVALID_LEDGER_HASH', `${flag} ${hash} ${problem}`);
  return hash;
}
