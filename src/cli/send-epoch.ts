import { join } from 'node:path';
import type { Argv } from 'yargs';

import { readCommandsOnChain } from '../blocks/archive.js';
import { withArchiveConnection } from '../blocks/archive-connection.js';
import { MinapayError } from '../errors.js';
import type { Daemon } from '../payout/daemon.js';
import { SEND_LOG_FILE, SIGNED_FILE, supplementFileName } from '../payout/journal.js';
import { type EpochPayments, readEpochPayments, writeEpochReport } from '../payout/epoch-payments.js';
import { openSendLog, readSendLog } from '../payout/send-log.js';
import { type ArchiveChain, DEFAULT_TRACKING, type PaymentProgress, sendPayments, type SendSummary, type TrackingTerms } from '../payout/send.js';
import { checkUnsentHashes, signerFor } from '../payout/sign.js';
import type { SignedPayment } from '../payout/signed-file.js';
import { linePayments } from '../payout/status.js';
import { formatMina } from '../protocol/amounts.js';
import { type ArchiveDatabase, archiveDatabaseOptions } from './archive-db.js';
import { nonNegativeInteger, type RawArgs } from './options.js';

/**
 * Sending and following an epoch's payments to finality, as `payout send`
 * and `payout run` do it: --min-confirmations, the re-broadcast bounds, and
 * --archive-db as a second source of what is on chain.
 */
export function trackingOptions(yargs: Argv): Argv {
  return archiveDatabaseOptions(yargs, "archive database: a second source of the payments' blocks, all the way back")
    .option('min-confirmations', {
      type: 'number',
      default: DEFAULT_TRACKING.minConfirmations,
      describe: "blocks above a payment's block before it counts as paid (15: Mina's recommended wait, 99.9% confidence)",
    })
    .option('max-broadcasts', {
      type: 'number',
      default: DEFAULT_TRACKING.maxBroadcasts,
      describe: 'broadcasts of one payment in all, before minapay leaves a payment the pool keeps dropping to a person',
    })
    .option('rebroadcast-backoff', {
      type: 'number',
      default: DEFAULT_TRACKING.backoffMs / 1000,
      describe: 'seconds to wait before broadcasting a dropped payment again, doubled with each broadcast (at most an hour)',
    });
}

export function trackingTerms(args: RawArgs): TrackingTerms {
  return {
    minConfirmations: nonNegativeInteger(args['min-confirmations'], '--min-confirmations', { min: 1, max: 290 }),
    maxBroadcasts: nonNegativeInteger(args['max-broadcasts'], '--max-broadcasts', { min: 1, max: 1000 }),
    backoffMs: nonNegativeInteger(args['rebroadcast-backoff'], '--rebroadcast-backoff', { max: 86_400 }) * 1000,
  };
}

/**
 * The epoch's payments as `payout send` reads them: checked against the
 * plan, and each payment not yet broadcast against its hash (signatures
 * were verified once, when made: checkUnsentHashes).
 */
export async function signedEpoch(epochDir: string, network: string): Promise<EpochPayments & { readonly signed: NonNullable<EpochPayments['signed']> }> {
  const epoch = await readEpochPayments(epochDir);
  if (epoch.signed === null) throw new MinapayError('INPUT_NOT_FOUND', `${join(epochDir, SIGNED_FILE)}: no signed payments: run payout sign first`);
  if (epoch.signed.network !== network)
    throw new MinapayError('NETWORK_MISMATCH', `${join(epochDir, SIGNED_FILE)}: the payments are for ${epoch.signed.network}, not --network ${network}`);
  const client = signerFor(network);
  const broadcast = new Set(epoch.records.map((record) => record.hash));
  checkUnsentHashes(client, join(epochDir, SIGNED_FILE), epoch.signed.payments, broadcast);
  for (const supplement of epoch.supplements) {
    checkUnsentHashes(client, join(epochDir, supplementFileName(supplement.supplement)), supplement.payments, broadcast);
  }
  return { ...epoch, signed: epoch.signed };
}

export interface SendEpochOptions {
  readonly daemon: Daemon;
  readonly archiveDb: ArchiveDatabase | undefined;
  readonly terms: TrackingTerms;
  readonly onPayment?: ((payment: SignedPayment, how: PaymentProgress) => void) | undefined;
}

/**
 * One send run over an epoch whose lock the caller holds: reads it under
 * the lock (the log is only ever appended, signed.json and supplements only
 * ever written, by the lock's holder), sends and follows every payment, and
 * rewrites report.csv from the log, whatever stopped the run.
 */
export async function sendEpoch(
  epochDir: string,
  network: string,
  options: SendEpochOptions,
): Promise<{ summary: SendSummary; epoch: number; payments: number }> {
  const { plan, signed, batch, records } = await signedEpoch(epochDir, network);
  const logPath = join(epochDir, SEND_LOG_FILE);
  const log = await openSendLog(logPath);
  const closeAndReport = async () => {
    await log.close();
    await writeEpochReport(epochDir, plan, linePayments(batch, await readSendLog(logPath)));
  };
  let summary: SendSummary;
  try {
    summary = await sendPayments({ sender: signed.sender, payments: batch!.payments }, records, {
      daemon: options.daemon,
      archive: archiveChain(options.archiveDb),
      log,
      now: () => new Date().toISOString(),
      terms: options.terms,
      onPayment: options.onPayment,
    });
  } catch (error) {
    // What stopped the send is what to report; report.csv, derived from the payments and the log, is rewritten by the next run.
    await closeAndReport().catch(() => {});
    throw error;
  }
  await closeAndReport();
  return { summary, epoch: plan.epoch, payments: batch!.payments.length };
}

/**
 * The archive database as a source of the chain, or null when none is
 * given. It is asked only about payments the daemon does not show (rare:
 * the daemon holds the last k blocks), so each question connects for itself
 * and a run that needs none never connects.
 */
function archiveChain(database: ArchiveDatabase | undefined): ArchiveChain | null {
  if (database === undefined) return null;
  return {
    commandsOnChain: (sender, hashes, nonces) =>
      withArchiveConnection(database.url, database.timeoutSeconds, (client) => readCommandsOnChain(client, { sender, hashes, nonces })),
  };
}

/** One line of a send's progress at a terminal. */
export function progressLine(payment: SignedPayment, how: PaymentProgress): string {
  return `${how} nonce ${payment.nonce}: ${formatMina(BigInt(payment.data.amount))} MINA to ${payment.data.to}\n`;
}

/** What a send run did, in one line. */
export function sendSummaryLine(epoch: number, payments: number, summary: SendSummary): string {
  return (
    `epoch ${epoch}: ${payments} payments: ${summary.final} final, ${summary.included} on chain, ${summary.inPool} in the daemon's pool ` +
    `(${summary.sent} sent now, ${summary.resent} sent again${summary.waiting > 0 ? `, ${summary.waiting} waiting to be sent again` : ''})\n`
  );
}
