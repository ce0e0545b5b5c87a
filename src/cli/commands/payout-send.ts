import { basename, dirname, join } from 'node:path';
import type { Argv } from 'yargs';

import { MinapayError } from '../../errors.js';
import { graphqlDaemon } from '../../payout/daemon.js';
import { lockEpoch, readEpochPayments, SEND_LOG_FILE, SIGNED_FILE, writeEpochReport } from '../../payout/journal.js';
import { openSendLog, readSendLog } from '../../payout/send-log.js';
import { sendActions, sendPayments, type SendSummary } from '../../payout/send.js';
import type { SignedPayments } from '../../payout/sign.js';
import { linePayments } from '../../payout/status.js';
import { formatMina } from '../../protocol/amounts.js';
import type { CliContext } from '../context.js';
import { globalOptions, type RawArgs } from '../options.js';

export function builder(yargs: Argv): Argv {
  return yargs
    .positional('signed', { type: 'string', demandOption: true, describe: 'a signed.json written by `payout sign`' })
    .option('graphql', { type: 'string', demandOption: true, describe: "the daemon's GraphQL URL" })
    .option('dry-run', { type: 'boolean', default: false, describe: 'show what would be sent; send nothing, write nothing' });
}

export async function run(args: RawArgs, context: CliContext): Promise<void> {
  const { network, quiet } = globalOptions(args);
  const signedPath = String(args['signed']);
  if (basename(signedPath) !== SIGNED_FILE) throw new MinapayError('USAGE', `${signedPath}: give the ${SIGNED_FILE} in an epoch's journal directory`);
  const epochDir = dirname(signedPath);
  const daemon = graphqlDaemon(String(args['graphql']));
  if (args['dry-run'] === true) {
    const { signed, records } = await signedEpoch(epochDir, network);
    const account = await daemon.account(signed.sender);
    context.stdout.write(dryRun(signed, sendActions(signed, records), account?.inferredNonce ?? null));
    return;
  }
  const release = await lockEpoch(epochDir, 'existing');
  try {
    // Read under the lock: the log is only ever appended, and signed.json only ever replaced, by the lock's holder.
    const { plan, signed, records } = await signedEpoch(epochDir, network);
    const logPath = join(epochDir, SEND_LOG_FILE);
    const log = await openSendLog(logPath);
    const closeAndReport = async () => {
      await log.close();
      await writeEpochReport(epochDir, plan, linePayments(signed, await readSendLog(logPath)));
    };
    let summary: SendSummary;
    try {
      summary = await sendPayments(signed, records, {
        daemon,
        log,
        now: () => new Date().toISOString(),
        onPayment:
          quiet || context.stderr.isTTY !== true
            ? undefined
            : (payment, how) => context.stderr.write(`${how} nonce ${payment.nonce}: ${formatMina(BigInt(payment.data.amount))} MINA to ${payment.data.to}\n`),
      });
    } catch (error) {
      // What stopped the send is what to report; report.csv, derived from signed.json and the log, is rewritten by the next run.
      await closeAndReport().catch(() => {});
      throw error;
    }
    await closeAndReport();
    context.stdout.write(
      `epoch ${signed.epoch}: ${signed.payments.length} payments: ${summary.onChain} on chain, ${summary.inPool} in the daemon's pool ` +
        `(${summary.sent} sent now, ${summary.resent} sent again)\n`,
    );
  } finally {
    await release();
  }
}

async function signedEpoch(epochDir: string, network: string) {
  // Everything is checked again before it is sent: signatures and hashes included.
  const epoch = await readEpochPayments(epochDir, 'verify');
  if (epoch.signed === null) throw new MinapayError('INPUT_NOT_FOUND', `${join(epochDir, SIGNED_FILE)}: no signed payments: run payout sign first`);
  if (epoch.signed.network !== network)
    throw new MinapayError('NETWORK_MISMATCH', `${join(epochDir, SIGNED_FILE)}: the payments are for ${epoch.signed.network}, not --network ${network}`);
  return { ...epoch, signed: epoch.signed };
}

function dryRun(signed: SignedPayments, actions: ReturnType<typeof sendActions>, daemonNonce: bigint | null): string {
  const lines = actions.map(
    ({ payment, action }) => `${action}\tnonce ${payment.nonce}\t${formatMina(BigInt(payment.data.amount))} MINA\t${payment.data.to}\t${payment.hash}`,
  );
  const nonce = daemonNonce === null ? 'the daemon knows no such account' : `the daemon's next nonce is ${daemonNonce}`;
  return (
    `${lines.join('\n')}${lines.length > 0 ? '\n' : ''}dry run: ${actions.filter((a) => a.action !== 'skip').length} ` +
    `of ${signed.payments.length} payments to send or look up from ${signed.sender}; ${nonce}\n`
  );
}
