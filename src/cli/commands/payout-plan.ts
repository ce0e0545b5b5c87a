import type { Argv } from 'yargs';

import { blocksChainFacts } from '../../blocks/block.js';
import { MinapayError } from '../../errors.js';
import { carryForEpoch } from '../../payout/carry-chain.js';
import { assertNoPayments, epochDirectory, epochPlanPath, lockEpochPlanning, poolDirectory, writePlanFiles } from '../../payout/journal.js';
import type { PlanTerms, PlanTotals } from '../../payout/plan.js';
import { formatPlanDocument } from '../../payout/plan-file.js';
import { computePlanDocument, type PlanRequest } from '../../payout/plan-document.js';
import { delegatorReport } from '../../payout/report.js';
import { formatMina } from '../../protocol/amounts.js';
import { STANDARD_STREAM, type CliContext } from '../context.js';
import { announceEra, eraOptions, eraSelection } from '../era-options.js';
import { archiveOptions, chosenLedger, ledgerReadOptions } from '../ledger-source.js';
import {
  commissionOption,
  globalOptions,
  JOURNAL_OPTION,
  minaOption,
  nonNegativeInteger,
  poolKeys,
  publicKeyOption,
  transactionFeeOption,
  type RawArgs,
} from '../options.js';
import { renderTable } from '../table.js';

export function builder(yargs: Argv): Argv {
  return eraOptions(
    archiveOptions(yargs)
      .option('ledger', { type: 'string', describe: "the epoch's staking-ledger export (a file: its sha256 goes into the plan), or use --archive" })
      .option('blocks', { type: 'string', demandOption: true, describe: 'blocks the pool won in the epoch (JSON or CSV, e.g. from `minapay blocks`)' })
      .option('pool', { type: 'string', array: true, demandOption: true, describe: 'block-producer key of the pool (repeatable)' })
      .option('epoch', { type: 'number', demandOption: true, describe: 'epoch of the era (see --era)' })
      .option('commission', { type: 'string', demandOption: true, describe: 'default commission rate, a fraction from 0 to 1 (0.05 = 5%)' })
      .option('overrides', { type: 'string', describe: 'per-delegator terms, JSON or CSV: pk, commission, payTo, exclude, program, fees, burn' })
      .option('programs', { type: 'string', describe: 'delegation-program accounts, JSON or CSV: pk, program, rate, returnAddress' })
      .option('self-pay-to', { type: 'string', describe: "pay the pool keys' own stake share to this address (default: the pool keeps it)" })
      .option('fees', { choices: ['share', 'keep'], default: 'share', describe: 'share transaction fees with delegators, or keep them' })
      .option('min-payout', { type: 'string', default: '0', describe: 'MINA; smaller amounts are carried to the next epoch' })
      .option('tx-fee', { type: 'string', default: '0.01', describe: 'MINA per payment (0.001 to 1)' })
      .option('strict', { type: 'boolean', default: false, describe: 'refuse overrides for accounts that have no line in the plan (else a warning)' })
      .option('fee-payer', { choices: ['pool', 'delegator'], default: 'pool', describe: 'who pays the transaction fee' })
      .option('journal', JOURNAL_OPTION),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const epoch = nonNegativeInteger(args['epoch'], '--epoch');
  const ledger = await chosenLedger(args, global.network, epoch);
  if (ledger === STANDARD_STREAM) throw new MinapayError('USAGE', '--ledger must be a file: the plan records its sha256 so that it can be verified');
  const terms: PlanTerms = {
    commission: commissionOption(args['commission']),
    fees: args['fees'] as PlanTerms['fees'],
    minPayout: minaOption(args['min-payout'], '--min-payout'),
    txFee: transactionFeeOption(args['tx-fee'], '--tx-fee'),
    feePayer: args['fee-payer'] as PlanTerms['feePayer'],
    selfPayTo: args['self-pay-to'] === undefined ? null : publicKeyOption(args['self-pay-to'], '--self-pay-to'),
  };
  const pools = poolKeys(args['pool']);
  const poolDir = poolDirectory(String(args['journal']), global.network, pools);
  // One plan of the pool at a time (two epochs planned at once could both take the same carried amounts), and no sign or send of the epoch meanwhile.
  const release = await lockEpochPlanning(poolDir, epoch);
  try {
    const carry = await carryForEpoch(poolDir, epoch);
    const request: PlanRequest = {
      network: global.network,
      ledger,
      blocks: String(args['blocks']),
      overrides: typeof args['overrides'] === 'string' ? args['overrides'] : undefined,
      programs: typeof args['programs'] === 'string' ? args['programs'] : undefined,
      pools,
      epoch,
      // The blocks show their fork; without any, --era or the newest era the table knows.
      chooseEra: (blocks) => {
        const selection = eraSelection(args, global.network, blocksChainFacts(blocks, String(args['blocks']), 'blocks'));
        announceEra(selection, context, global.quiet);
        return selection;
      },
      terms,
      ...carry,
    };
    await payoutPlanCommand(request, poolDir, context, { quiet: global.quiet, strict: args['strict'] === true });
  } finally {
    await release();
  }
}

async function payoutPlanCommand(request: PlanRequest, poolDir: string, context: CliContext, { quiet, strict }: { quiet: boolean; strict: boolean }) {
  const epochDir = epochDirectory(poolDir, request.epoch);
  await assertNoPayments(epochDir, request.epoch);
  const reporting = ledgerReadOptions(context, quiet);
  const { document, plan, blocks, delegation, unusedOverrides } = await computePlanDocument(request, reporting.read).finally(reporting.done);
  if (unusedOverrides.length > 0) {
    const problem =
      `${request.overrides}: ${unusedOverrides.length} override(s) for accounts with no line in the plan ` +
      `(not delegating to the pool): ${unusedOverrides.join(', ')}`;
    if (strict) throw new MinapayError('OVERRIDES_INVALID', problem);
    if (!quiet) context.stderr.write(`minapay: warning: ${problem}\n`);
  }
  const report = delegatorReport(plan.lines, delegation.totalStake);
  await writePlanFiles(epochDir, formatPlanDocument(document), report);
  context.stdout.write(`${epochPlanPath(poolDir, request.epoch)}\n`);
  if (!quiet) context.stderr.write(summaryTable(request.epoch, blocks.length, plan.totals));
}

function summaryTable(epoch: number, blocks: number, totals: PlanTotals): string {
  return renderTable(
    [
      ['blocks', String(blocks)],
      ['rewards', formatMina(totals.rewards)],
      ['payouts', formatMina(totals.sent)],
      ['transaction fees', formatMina(totals.txFees)],
      ['commission', formatMina(totals.commission)],
      ['burned', formatMina(totals.burned + totals.superchargeBurned)],
      ['carried in', formatMina(totals.carriedIn)],
      ['carried out', formatMina(totals.carriedOut)],
      ['remainder', formatMina(totals.remainder)],
      ['delegators paid', String(totals.paidDelegators)],
    ],
    { headers: [`epoch ${epoch}`, 'MINA'], rightAligned: new Set([1]) },
  );
}
