import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { readInputText } from '../../io/text-file.js';
import { graphqlDaemon } from '../../payout/daemon.js';
import { signerFor } from '../../payout/sign.js';
import { chainCheck, parseStatement, type StatementCheck, verifyStatement } from '../../payout/statement.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { type RawArgs, resultOptions } from '../options.js';
import { emitResult } from '../output.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .positional('file', { type: 'string', demandOption: true, describe: "a delegator's statement, <pk>.json, as payout statement writes it" })
    .option('graphql', { type: 'string', describe: "a daemon's GraphQL URL: also check that the payment is on its best chain with the commitment" })
    .options(resultOptions({ text: 'the verdict and a line per check', json: 'the verdict and every check with its finding' }));
}

/** Prints each check's finding; exit 1 naming what was altered when one fails. */
export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const path = String(args['file']);
  const statement = parseStatement(await readInputText(path, 'statement'), path);
  const checks = verifyStatement(statement, signerFor(statement.leaf.network));
  if (typeof args['graphql'] === 'string') checks.push(await chainCheck(statement, graphqlDaemon(args['graphql'])));
  const failure = checks.find((check) => !check.holds);
  const { leaf } = statement;
  const verdict = failure === undefined ? 'holds' : 'DOES NOT HOLD';
  const text = `statement of ${leaf.pk} for epoch ${leaf.epoch} on ${leaf.network}: ${formatMina(leaf.amount)} MINA; ${verdict}\n${checks.map(line).join('')}`;
  const json = { statement: path, pk: leaf.pk, network: leaf.network, epoch: leaf.epoch, amount: leaf.amount, holds: failure === undefined, checks };
  await emitResult({ text, json }, args, context);
  if (failure !== undefined) throw new MinapayError('STATEMENT_NOT_VERIFIED', `${path}: does not verify: ${failure.finding}`);
}

function line(check: StatementCheck): string {
  return `  ${check.check.padEnd(9)} ${check.holds ? 'ok  ' : 'FAIL'}  ${check.finding}\n`;
}
