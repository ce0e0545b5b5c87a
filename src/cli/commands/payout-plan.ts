import { join } from 'node:path';
import type { Argv } from 'yargs';

import { blocksChainFacts } from '../../blocks/block.js';
import { MinapayError } from '../../errors.js';
import { carryForEpoch } from '../../payout/carry-chain.js';
import { epochDirectory, epochPlanPath, lockEpochPlanning, poolDirectory, REPORT_FILE } from '../../payout/journal.js';
import { type Plan, type PlanTerms, remainderParts } from '../../payout/plan.js';
import type { ComputedPlan, PlanRequest } from '../../payout/plan-document.js';
import { formatMina } from '../../protocol/amounts.js';
import { STANDARD_STREAM, type CliContext } from '../context.js';
import { announceEra, eraOptions, eraSelection } from '../era-options.js';
import { archiveOptions, chosenLedger } from '../ledger-source.js';
import { globalOptions, nonNegativeInteger, poolKeys, type RawArgs, resultOptions, TEXT_OR_JSON } from '../options.js';
import { emitResult } from '../output.js';
import { planEpoch, planTerms, planTermsOptions } from '../plan-epoch.js';
import { renderTable } from '../table.js';

export function builder(yargs: Argv): Argv {
  return eraOptions(
    planTermsOptions(archiveOptions(yargs))
      .option('ledger', { type: 'string', describe: "the epoch's staking-ledger export (a file: its sha256 goes into the plan), or use --archive" })
      .option('blocks', { type: 'string', demandOption: true, describe: 'blocks the pool won in the epoch (JSON or CSV, e.g. from `minapay blocks`)' })
      .option('epoch', { type: 'number', demandOption: true, describe: 'epoch of the era (see --era)' })
      .options(resultOptions(TEXT_OR_JSON)),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const global = globalOptions(args);
  const epoch = nonNegativeInteger(args['epoch'], '--epoch');
  const ledger = await chosenLedger(args, global.network, epoch);
  if (ledger === STANDARD_STREAM) throw new MinapayError('USAGE', '--ledger must be a file: the plan records its sha256 so that it can be verified');
  const terms = planTerms(args);
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
    const planned = await planEpoch(request, poolDir, context, { quiet: global.quiet, strict: args['strict'] === true });
    const files = { plan: epochPlanPath(poolDir, epoch), report: join(epochDirectory(poolDir, epoch), REPORT_FILE) };
    if (!global.quiet) {
      context.stderr.write(summaryTable(epoch, planned.blocks.length, planned.plan, terms.fees));
      context.stderr.write(`written: ${files.plan} and ${files.report}\n`);
    }
    await emitResult({ text: `${files.plan}\n`, json: planResult(files, planned) }, args, context);
  } finally {
    await release();
  }
}

/** What `--format json` says of a plan: where it is, what it was computed on, and its totals as the summary splits them. */
function planResult(files: { readonly plan: string; readonly report: string }, planned: ComputedPlan) {
  const { document, plan } = planned;
  const { totals } = plan;
  const parts = remainderParts(plan.lines, totals.remainder);
  return {
    ...files,
    network: document['network'],
    epoch: document['epoch'],
    pools: document['pools'],
    era: document['era'],
    settings: document['settings'],
    planHash: document.planHash,
    blocks: planned.blocks.length,
    totals: {
      rewards: totals.rewards,
      payouts: totals.sent,
      transactionFees: totals.txFees,
      commission: totals.commission,
      burned: totals.burned + totals.superchargeBurned,
      carriedIn: totals.carriedIn,
      carriedOut: totals.carriedOut,
      ownStakeShare: parts.ownStake,
      excludedAccounts: parts.excluded,
      roundingAndKeptFees: parts.rest,
    },
    delegatorsPaid: totals.paidDelegators,
  };
}

function summaryTable(epoch: number, blocks: number, plan: Plan, fees: PlanTerms['fees']): string {
  const { totals } = plan;
  const parts = remainderParts(plan.lines, totals.remainder);
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
      ["pool's own stake share", formatMina(parts.ownStake)],
      ...(parts.excluded === 0n ? [] : [['excluded accounts', formatMina(parts.excluded)]]),
      [fees === 'keep' ? 'kept fees and rounding' : 'rounding', formatMina(parts.rest)],
      ['delegators paid', String(totals.paidDelegators)],
    ],
    { headers: [`epoch ${epoch}`, 'MINA'], rightAligned: new Set([1]) },
  );
}
