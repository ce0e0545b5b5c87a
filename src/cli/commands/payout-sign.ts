import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { lockEpoch, SIGNED_FILE } from '../../payout/journal.js';
import type { CliContext } from '../context.js';
import type { RawArgs } from '../options.js';
import { signEpoch, signingOptions, signUnpaid } from '../sign-epoch.js';

export function builder(yargs: Argv): Argv {
  return signingOptions(yargs)
    .positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json in the journal' })
    .option('resign', { type: 'boolean', default: false, describe: 'replace signed.json; only while the daemon shows none of its nonces used' })
    .option('unpaid', {
      type: 'boolean',
      default: false,
      describe: 'sign new payments, as supplement-<n>.json, for exactly the lines whose payment is void or failed for certain',
    });
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const planPath = String(args['plan']);
  // From before the epoch is read until its files have landed: a plan replaced meanwhile, or another
  // sign, would leave signed.json paying what no plan on disk says, or silently replace it.
  const release = await lockEpoch(dirname(planPath), 'existing');
  try {
    if (args['unpaid'] === true) {
      if (args['resign'] === true) throw new MinapayError('USAGE', '--unpaid signs new payments beside signed.json; --resign replaces it: give one');
      const supplement = await signUnpaid(planPath, args, context);
      context.stdout.write(supplement === null ? `${dirname(planPath)}: no line is unpaid: nothing to sign\n` : `${supplement}\n`);
      return;
    }
    await signEpoch(planPath, args, context);
    context.stdout.write(`${join(dirname(planPath), SIGNED_FILE)}\n`);
  } finally {
    await release();
  }
}
