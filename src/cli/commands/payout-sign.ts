import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { lockEpoch, SIGNED_FILE } from '../../payout/journal.js';
import type { SignedPayments } from '../../payout/signed-file.js';
import type { CliContext } from '../context.js';
import { type RawArgs, resultOptions, TEXT_OR_JSON } from '../options.js';
import { emitResult } from '../output.js';
import { signEpoch, signingOptions, signUnpaid } from '../sign-epoch.js';

export function builder(yargs: Argv): Argv {
  return signingOptions(yargs)
    .positional('plan', { type: 'string', demandOption: true, describe: 'a plan.json in the journal' })
    .option('resign', { type: 'boolean', default: false, describe: 'replace signed.json; only while the daemon shows none of its nonces used' })
    .option('unpaid', {
      type: 'boolean',
      default: false,
      describe: 'sign new payments, as supplement-<n>.json, for exactly the lines whose payment is void or failed for certain',
    })
    .options(resultOptions(TEXT_OR_JSON));
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
      const text = supplement === null ? `${dirname(planPath)}: no line is unpaid: nothing to sign\n` : `${supplement}\n`;
      await emitResult({ text, json: { plan: planPath, supplement } }, args, context);
      return;
    }
    const signed = await signEpoch(planPath, args, context);
    const signedPath = join(dirname(planPath), SIGNED_FILE);
    await emitResult({ text: `${signedPath}\n`, json: signedResult(planPath, signedPath, signed) }, args, context);
  } finally {
    await release();
  }
}

/** What `--format json` says of signed.json: where it is, whose payments, their nonces and what they spend. */
function signedResult(planPath: string, signedPath: string, signed: SignedPayments) {
  const { payments } = signed;
  let amount = 0n;
  let fees = 0n;
  for (const payment of payments) {
    amount += BigInt(payment.data.amount);
    fees += BigInt(payment.data.fee);
  }
  return {
    plan: planPath,
    signed: signedPath,
    network: signed.network,
    epoch: signed.epoch,
    sender: signed.sender,
    payments: payments.length,
    nonces: payments.length === 0 ? null : { first: payments[0]!.nonce, last: payments.at(-1)!.nonce },
    amount,
    fees,
  };
}
