import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { verifyArchive, type VerifyFinding } from '../../ledger-archive/store.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs, resultOptions } from '../options.js';
import { emitResult } from '../output.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .option('archive', { type: 'string', demandOption: true, describe: 'the ledger archive directory' })
    .options(resultOptions({ text: 'a line per file that does not match, or one line that all do', json: 'every file with its state' }));
}

const PROBLEM_TEXT: Readonly<Record<Exclude<VerifyFinding['problem'], 'ok'>, string>> = {
  missing: 'listed in the manifest but missing',
  changed: 'does not match the sha256 in the manifest',
  unlisted: 'not in the manifest',
};

/** The verdict on stdout (or --output); exit 1 (LEDGER_ARCHIVE_MISMATCH) when any file does not match. */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network } = globalOptions(args);
  const { findings } = await verifyArchive(String(args['archive']), network);
  const problems = findings.filter((finding) => finding.problem !== 'ok');
  const text =
    problems.length === 0
      ? `${findings.length} archived ${network} files match the manifest\n`
      : problems.map((finding) => `${finding.file}: ${PROBLEM_TEXT[finding.problem as keyof typeof PROBLEM_TEXT]}\n`).join('');
  const files = findings.map(({ file, problem }) => ({ file, state: problem }));
  await emitResult({ text, json: { network, matches: problems.length === 0, files } }, args, context);
  if (problems.length > 0)
    throw new MinapayError('LEDGER_ARCHIVE_MISMATCH', `${problems.length} of ${findings.length} archived ${network} files do not match the manifest`);
}
