import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { type OutputFile, writeFilesAtomic } from '../../io/atomic-file.js';
import { readEpochPayments } from '../../payout/epoch-payments.js';
import { signerFor } from '../../payout/sign.js';
import { signedEpochStatements, statementDocument } from '../../payout/statement.js';
import { DEFAULT_EXPLORER, explorerTemplate, statementPage } from '../../payout/statement-page.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs, resultOptions } from '../options.js';
import { emitResult } from '../output.js';

/** The page's name in the statements directory. */
const PAGE_FILE = 'index.html';

export function builder(yargs: Argv): Argv {
  return yargs
    .positional('plan', { type: 'string', demandOption: true, describe: 'a signed plan.json in the journal' })
    .option('dir', { type: 'string', describe: "directory to write <pk>.json and index.html to (default: statements/ in the plan's epoch directory)" })
    .option('explorer', {
      type: 'string',
      describe: "the page's transaction links: an http(s) URL with {hash} (default: minascan for the plan's network)",
    })
    .options(resultOptions({ text: "the page's path", json: 'the page, the number of statements, the root and the memo' }));
}

/**
 * Writes every line's statement and the epoch's page. After sign it gives
 * each payment's signed state; after send, run again for hashes on chain.
 * It only reads the journal, so it takes no lock: a send running meanwhile
 * leaves the send log readable, and the next run shows what it did.
 */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { quiet } = globalOptions(args);
  const planPath = String(args['plan']);
  const epochDir = dirname(planPath);
  const epoch = await readEpochPayments(epochDir);
  const statements = signedEpochStatements(epoch, planPath, signerFor(epoch.plan.network));
  const explorer = explorerTemplate(typeof args['explorer'] === 'string' ? args['explorer'] : DEFAULT_EXPLORER[epoch.plan.network], '--explorer');
  const dir = typeof args['dir'] === 'string' ? args['dir'] : join(epochDir, 'statements');
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new MinapayError('OUTPUT_CANNOT_CREATE', `${dir}: cannot create the statements directory (${error.code})`);
  });
  const files: OutputFile[] = statements.map((statement) => ({ path: join(dir, `${statement.leaf.pk}.json`), content: statementDocument(statement) }));
  // The page lands last: once it is there, every file it links to is.
  files.push({ path: join(dir, PAGE_FILE), content: statementPage(epoch.plan, statements, explorer) });
  await writeFilesAtomic(files, 'once');
  const page = join(dir, PAGE_FILE);
  if (!quiet) context.stderr.write(summary(statements));
  const { commitment } = statements[0]!;
  const json = { plan: planPath, dir, page, statements: statements.length, root: commitment.root, memo: commitment.memo };
  await emitResult({ text: `${page}\n`, json }, args, context);
}

function summary(statements: ReturnType<typeof signedEpochStatements>): string {
  const paid = statements.filter((statement) => statement.payments.length > 0);
  const onChain = paid.filter((statement) => statement.payments.every((payment) => payment.state === 'included')).length;
  const { leaf, commitment } = statements[0]!;
  const payments = `${paid.length} with a payment (${onChain} on chain)`;
  return `epoch ${leaf.epoch}: ${statements.length} statements, ${payments}; root ${commitment.root}, memo ${commitment.memo}\n`;
}
