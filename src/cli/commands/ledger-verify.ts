import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { verifyArchive, type VerifyFinding } from '../../ledger-archive/store.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs } from '../options.js';

export function builder(yargs: Argv): Argv {
  return yargs.option('archive', { type: 'string', demandOption: true, describe: 'the ledger archive directory' });
}

const PROBLEM_TEXT: Readonly<Record<Exclude<VerifyFinding['problem'], 'ok'>, string>> = {
  missing: 'listed in the manifest but missing',
  changed: 'does not match the sha256 in the manifest',
  unlisted: 'not in the manifest',
};

/** One line per file that does not match; exit 1 (LEDGER_ARCHIVE_MISMATCH) when any does. */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const { findings } = await verifyArchive(String(args['archive']), network);
  const problems = findings.filter((finding) => finding.problem !== 'ok');
  for (const finding of problems) context.stdout.write(`${finding.file}: ${PROBLEM_TEXT[finding.problem as keyof typeof PROBLEM_TEXT]}\n`);
  if (problems.length > 0)
    throw new MinapayError('LEDGER_ARCHIVE_MISMATCH', `${problems.length} of ${findings.length} archived ${network} files do not match the manifest`);
  if (!quiet) context.stdout.write(`${findings.length} archived ${network} files match the manifest\n`);
}
