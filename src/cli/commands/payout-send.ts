import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { graphqlDaemon } from '../../payout/daemon.js';
import { lockEpoch, SIGNED_FILE } from '../../payout/journal.js';
import { sendActions } from '../../payout/send.js';
import type { SignedPayment } from '../../payout/signed-file.js';
import { formatMina } from '../../protocol/amounts.js';
import { archiveDatabase } from '../archive-db.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs, resultOptions, TEXT_OR_JSON } from '../options.js';
import { emitResult } from '../output.js';
import { progressLine, sendEpoch, sendSummaryLine, signedEpoch, trackingOptions, trackingTerms } from '../send-epoch.js';

export function builder(yargs: Argv): Argv {
  return trackingOptions(
    yargs
      .positional('signed', { type: 'string', demandOption: true, describe: 'a signed.json written by `payout sign`' })
      .option('graphql', { type: 'string', demandOption: true, describe: "the daemon's GraphQL URL" })
      .option('dry-run', { type: 'boolean', default: false, describe: 'show what would be sent; send nothing, write nothing' })
      .options(resultOptions(TEXT_OR_JSON)),
  );
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const signedPath = String(args['signed']);
  if (basename(signedPath) !== SIGNED_FILE) throw new MinapayError('USAGE', `${signedPath}: give the ${SIGNED_FILE} in an epoch's journal directory`);
  const epochDir = dirname(signedPath);
  const daemon = graphqlDaemon(String(args['graphql']));
  const terms = trackingTerms(args);
  const archiveDb = archiveDatabase(args, context);
  if (args['dry-run'] === true) {
    const { signed, batch, records } = await signedEpoch(epochDir, network);
    const account = await daemon.account(signed.sender);
    const actions = sendActions({ sender: signed.sender, payments: batch!.payments }, records);
    const daemonNonce = account?.inferredNonce ?? null;
    await emitResult({ text: dryRun(signed.sender, actions, daemonNonce), json: dryRunResult(signed.sender, actions, daemonNonce) }, args, context);
    return;
  }
  const release = await lockEpoch(epochDir, 'existing');
  try {
    const onPayment =
      quiet || context.stderr.isTTY !== true
        ? undefined
        : (payment: SignedPayment, how: Parameters<typeof progressLine>[1]) => context.stderr.write(progressLine(payment, how));
    const { summary, epoch, payments } = await sendEpoch(epochDir, network, { daemon, archiveDb, terms, onPayment });
    await emitResult({ text: sendSummaryLine(epoch, payments, summary), json: { signed: signedPath, epoch, payments, ...summary } }, args, context);
  } finally {
    await release();
  }
}

type SendActions = ReturnType<typeof sendActions>;

function dryRun(sender: string, actions: SendActions, daemonNonce: bigint | null): string {
  const lines = actions.map(
    ({ payment, action }) => `${action}\tnonce ${payment.nonce}\t${formatMina(BigInt(payment.data.amount))} MINA\t${payment.data.to}\t${payment.hash}`,
  );
  const nonce = daemonNonce === null ? 'the daemon knows no such account' : `the daemon's next nonce is ${daemonNonce}`;
  return (
    `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}dry run: ${actions.filter((a) => a.action !== 'skip').length} ` +
    `of ${actions.length} payments to send or look up from ${sender}; ${nonce}\n`
  );
}

function dryRunResult(sender: string, actions: SendActions, daemonNonce: bigint | null) {
  return {
    dryRun: true,
    sender,
    daemonNonce,
    payments: actions.map(({ payment, action }) => ({ action, nonce: payment.nonce, amount: payment.data.amount, to: payment.data.to, hash: payment.hash })),
  };
}
