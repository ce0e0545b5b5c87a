import type { Argv } from 'yargs';

import { readPlanToVerify } from '../../payout/journal.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs } from '../options.js';
import { planFileOptions, verifyPlanFiles } from '../plan-files.js';

export function builder(yargs: Argv): Argv {
  return planFileOptions(yargs.positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json written by `payout plan`' }));
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { quiet } = globalOptions(args);
  const planPath = String(args['plan']);
  const plan = await readPlanToVerify(planPath);
  await verifyPlanFiles(plan, planPath, args, context, quiet);
  context.stdout.write(`${planPath}: verified: epoch ${plan.epoch}, ${plan.lines.length} lines, planHash ${plan.planHash}\n`);
}
