import type { Argv } from 'yargs';

import { isMinapayError } from '../../errors.js';
import { readPlanToVerify } from '../../payout/journal.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs, resultOptions, TEXT_OR_JSON } from '../options.js';
import { emitResult } from '../output.js';
import { planFileOptions, verifyPlanFiles } from '../plan-files.js';

export function builder(yargs: Argv): Argv {
  return planFileOptions(yargs.positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json written by `payout plan`' })).options(
    resultOptions(TEXT_OR_JSON),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { quiet } = globalOptions(args);
  const planPath = String(args['plan']);
  const plan = await readPlanToVerify(planPath);
  const verdict = { plan: planPath, network: plan.network, epoch: plan.epoch, lines: plan.lines.length, planHash: plan.planHash };
  try {
    await verifyPlanFiles(plan, planPath, args, context, quiet);
  } catch (error) {
    // A plan that does not hold is a verdict too: a script reading the JSON learns it there, the exit code and stderr say it as always.
    if (isMinapayError(error) && error.code === 'PLAN_NOT_VERIFIED' && args['format'] === 'json') {
      await emitResult({ text: '', json: { ...verdict, verified: false, problem: error.message } }, args, context);
    }
    throw error;
  }
  const text = `${planPath}: verified: epoch ${plan.epoch}, ${plan.lines.length} lines, planHash ${plan.planHash}\n`;
  await emitResult({ text, json: { ...verdict, verified: true } }, args, context);
}
