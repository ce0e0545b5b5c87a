import type { Argv } from 'yargs';

import { MinapayError } from '../errors.js';
import { assertNoPayments, epochDirectory, writePlanFiles } from '../payout/journal.js';
import type { Plan, PlanTerms } from '../payout/plan.js';
import { planDocumentPieces } from '../payout/plan-file.js';
import { type ComputedPlan, computePlanDocument, type PlanRequest } from '../payout/plan-document.js';
import { delegatorReportPieces, type ReportEpoch } from '../payout/report.js';
import { inRuns } from '../io/text-pieces.js';
import type { CliContext } from './context.js';
import { ledgerReadOptions } from './ledger-source.js';
import { commissionOption, JOURNAL_OPTION, minaOption, publicKeyOption, transactionFeeOption, type RawArgs } from './options.js';

/** The pool and its terms, as `payout plan` and `payout run` take them. */
export function planTermsOptions(yargs: Argv): Argv {
  return yargs
    .option('pool', { type: 'string', array: true, demandOption: true, describe: 'block-producer key of the pool (repeatable)' })
    .option('commission', { type: 'string', demandOption: true, describe: 'default commission rate, a fraction from 0 to 1 (0.05 = 5%)' })
    .option('overrides', { type: 'string', describe: 'per-delegator terms, JSON or CSV: pk, commission, payTo, exclude, program, fees, burn' })
    .option('programs', { type: 'string', describe: 'delegation-program accounts, JSON or CSV: pk, program, rate, returnAddress' })
    .option('self-pay-to', { type: 'string', describe: "pay the pool keys' own stake share to this address (default: the pool keeps it)" })
    .option('fees', { choices: ['share', 'keep'], default: 'share', describe: 'share transaction fees with delegators, or keep them' })
    .option('min-payout', { type: 'string', default: '0', describe: 'MINA; smaller amounts are carried to the next epoch' })
    .option('tx-fee', { type: 'string', default: '0.01', describe: 'MINA per payment (0.001 to 1)' })
    .option('strict', { type: 'boolean', default: false, describe: 'refuse overrides for accounts that have no line in the plan (else a warning)' })
    .option('fee-payer', { choices: ['pool', 'delegator'], default: 'pool', describe: 'who pays the transaction fee' })
    .option('journal', JOURNAL_OPTION);
}

export function planTerms(args: RawArgs): PlanTerms {
  return {
    commission: commissionOption(args['commission']),
    fees: args['fees'] as PlanTerms['fees'],
    minPayout: minaOption(args['min-payout'], '--min-payout'),
    txFee: transactionFeeOption(args['tx-fee'], '--tx-fee'),
    feePayer: args['fee-payer'] as PlanTerms['feePayer'],
    selfPayTo: args['self-pay-to'] === undefined ? null : publicKeyOption(args['self-pay-to'], '--self-pay-to'),
  };
}

/**
 * Computes an epoch's plan and writes plan.json and report.csv, under the
 * locks the caller holds (the pool's planning lock and the epoch's): refused
 * once the epoch has signed or sent payments.
 */
export async function planEpoch(
  request: PlanRequest,
  poolDir: string,
  context: CliContext,
  { quiet, strict }: { quiet: boolean; strict: boolean },
): Promise<ComputedPlan> {
  const epochDir = epochDirectory(poolDir, request.epoch);
  await assertNoPayments(epochDir, request.epoch);
  const reporting = ledgerReadOptions(context, quiet);
  // report.csv needs no commitment: it is rendered while a second thread hashes the commitment.
  const rendered: { report?: readonly string[] } = {};
  const whileHashing = (plan: Plan, report: ReportEpoch) => {
    rendered.report = [...inRuns(delegatorReportPieces(report, plan.lines))];
  };
  const computed = await computePlanDocument(request, { ...reporting.read, whileHashing }).finally(reporting.done);
  if (computed.unusedOverrides.length > 0) {
    const problem =
      `${request.overrides}: ${computed.unusedOverrides.length} override(s) for accounts with no line in the plan ` +
      `(not delegating to the pool): ${computed.unusedOverrides.join(', ')}`;
    if (strict) throw new MinapayError('OVERRIDES_INVALID', problem);
    if (!quiet) context.stderr.write(`minapay: warning: ${problem}\n`);
  }
  // whileHashing has run; rendering here too would keep report.csv right were it ever not to.
  await writePlanFiles(epochDir, planDocumentPieces(computed.document), rendered.report ?? delegatorReportPieces(computed.report, computed.plan.lines));
  return computed;
}
