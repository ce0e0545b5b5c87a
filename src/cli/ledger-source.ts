import type { Argv } from 'yargs';

import type { LedgerAccount } from '../ledger/account.js';
import { fileInput, readLedger, streamInput, type LedgerInput } from '../ledger/read.js';
import { STANDARD_STREAM, type CliContext } from './context.js';
import { progressLine } from './progress.js';

/** The accounts of `path` (STANDARD_STREAM for stdin), with progress and warnings on stderr. */
export function ledgerAccounts(path: string, context: CliContext, quiet: boolean): { name: string; accounts: AsyncIterable<LedgerAccount> } {
  const input: LedgerInput = path === STANDARD_STREAM ? streamInput('<stdin>', context.stdin) : fileInput(path);
  const progress = progressLine(context, quiet);
  const accounts = readLedger(input, {
    ...(progress && { onProgress: progress.update }),
    onWarning: (message) => {
      if (!quiet) context.stderr.write(`minapay: warning: ${message}\n`);
    },
  });
  return { name: input.name, accounts: clearingProgress(accounts, progress?.done) };
}

async function* clearingProgress<T>(items: AsyncIterable<T>, done: (() => void) | undefined): AsyncGenerator<T> {
  try {
    yield* items;
  } finally {
    done?.();
  }
}

/** The `<ledger>` argument every ledger-reading command takes. */
export function ledgerArgument(yargs: Argv): Argv {
  return yargs.positional('ledger', { type: 'string', describe: 'staking-ledger export (JSON, JSON Lines, gzip) or - for stdin', demandOption: true });
}
