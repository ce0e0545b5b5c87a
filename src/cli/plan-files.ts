import type { Argv } from 'yargs';

import type { StoredPlan } from '../payout/plan-file.js';
import { verifyPlan, type VerifyFiles } from '../payout/verify.js';
import type { CliContext } from './context.js';
import { archiveOptions, chosenLedger, ledgerReadOptions } from './ledger-source.js';
import type { RawArgs } from './options.js';

/** --ledger, --blocks, --overrides and --programs (or --archive): other copies of the input files a plan records. */
export function planFileOptions(yargs: Argv): Argv {
  return archiveOptions(yargs)
    .option('ledger', { type: 'string', describe: 'the staking ledger to verify the plan with (default: the path it records)' })
    .option('blocks', { type: 'string', describe: 'the blocks file to verify the plan with (default: the path it records)' })
    .option('overrides', { type: 'string', describe: 'the overrides file to verify the plan with (default: the path it records)' })
    .option('programs', { type: 'string', describe: 'the programs file to verify the plan with (default: the path it records)' });
}

/** The files to recompute a plan from: those given, else the paths it records; an archived ledger is of the plan's network and epoch. */
export async function planInputFiles(plan: StoredPlan, args: RawArgs): Promise<VerifyFiles> {
  const given = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  const ledger = args['archive'] === undefined ? (given('ledger') ?? plan.inputs.ledger.path) : await chosenLedger(args, plan.network, plan.epoch);
  return {
    ledger,
    blocks: given('blocks') ?? plan.inputs.blocks.path,
    overrides: given('overrides') ?? plan.inputs.overrides?.path,
    programs: given('programs') ?? plan.inputs.programs?.path,
  };
}

/** Recomputes the plan from its input files (see planInputFiles), with the ledger's progress on stderr. */
export async function verifyPlanFiles(plan: StoredPlan, planPath: string, args: RawArgs, context: CliContext, quiet: boolean): Promise<void> {
  const reporting = ledgerReadOptions(context, quiet);
  try {
    await verifyPlan(plan, planPath, await planInputFiles(plan, args), reporting.read);
  } finally {
    reporting.done();
  }
}
