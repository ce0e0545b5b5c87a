import { MinapayError } from '../errors.js';
import type { StoredPlan } from './plan-file.js';
import { type LinePayment, paymentKey, type PaymentStatus } from './report.js';
import { currentPayments } from './send.js';
import { type BlockRef, isSettled, paymentHistories, type SendRecord } from './send-log.js';
import { plannedPayments, type SignedPayment } from './signed-file.js';

/**
 * Where each payment of an epoch stands, from the journal alone: its plan,
 * signed.json and supplements, and the send log. A payment is paid once it
 * is final; a void or failed one leaves its payee unpaid, for certain once
 * it is final too, and then a supplement pays the line anew (its payment
 * replaces the old one as the line's payment).
 */
export interface PaymentView {
  /** The plan line (delegating account) it pays. */
  readonly pk: string;
  readonly payTo: string;
  readonly amount: bigint;
  readonly nonce: bigint;
  readonly hash: string;
  readonly status: PaymentStatus;
  /** The memo it carries. */
  readonly memo: string;
  /** 0 for signed.json, n for supplement-n.json. */
  readonly supplement: number;
  /** Whether this is the payment of its line and address (a later supplement's payment replaces a void or failed one). */
  readonly current: boolean;
  /** The block that showed it (or, void, what took its nonce), and how deep it was when last looked at. */
  readonly block: BlockRef | null;
  readonly depth: number | null;
  /** How many times it was broadcast. */
  readonly attempts: number;
  /** Failed: the chain's failure reason; rejected: the daemon's answer. */
  readonly reason: string | null;
  /** Void: the transaction that took its nonce, when a chain showed it. */
  readonly takenBy: string | null;
  /** Failed or void for certain (final), or final: nothing more will change. */
  readonly settled: boolean;
  /** Dropped after every broadcast allowed: waits for a person. */
  readonly exhausted: boolean;
}

/** How far an epoch's payments have come. Counts are of each line's current payment. */
export interface EpochStatus {
  readonly pool: string;
  readonly epoch: number;
  /** Payments to make: one per line with an amount, one per address of a split payout (less any to the sender, once signed). */
  readonly planned: number;
  readonly signed: number;
  /** Signed payments with any send record. */
  readonly sent: number;
  /** In the daemon's pool when last looked up. */
  readonly pending: number;
  /** On the best chain, not yet final. */
  readonly included: number;
  /** Paid: at least the confirmations asked for deep. */
  readonly final: number;
  /** Broadcast without a known outcome (a run was interrupted): the next send settles them. */
  readonly unknown: number;
  /** Rejected by the daemon, dropped past every broadcast allowed, or failed on chain. */
  readonly failed: number;
  /** Their nonce taken by another transaction: never sent again. */
  readonly void: number;
  /** Nanomina carried to the next epoch. */
  readonly carried: bigint;
  /** Why an operator should look, or null. */
  readonly attention: string | null;
  /** Why the epoch is not done yet though nobody needs to look (payments on their way to finality), or null. */
  readonly waiting: string | null;
  readonly payments: readonly PaymentView[];
}

/** signed.json's payments and each supplement's, with the supplement each comes from (0: signed.json). */
export interface EpochBatch {
  readonly sender: string;
  readonly payments: readonly SignedPayment[];
  readonly supplementOf: ReadonlyMap<string, number>;
}

const STATUS_OF_EVENT: Readonly<Record<SendRecord['event'], PaymentStatus>> = {
  broadcasting: 'broadcast',
  accepted: 'pending',
  included: 'included',
  final: 'final',
  failed: 'failed',
  void: 'void',
  rejected: 'rejected',
  dropped: 'dropped',
};

/** Every payment of the epoch with what the log says of it, in nonce order. */
export function paymentViews(batch: EpochBatch | null, records: readonly SendRecord[]): PaymentView[] {
  if (batch === null) return [];
  const histories = paymentHistories(records);
  const current = new Set(currentPayments(batch.payments));
  return batch.payments.map((payment) => {
    const history = histories.get(payment.hash);
    const latest = history?.latest;
    return {
      pk: payment.pk,
      payTo: payment.data.to,
      amount: BigInt(payment.data.amount),
      memo: payment.data.memo,
      nonce: payment.nonce,
      hash: payment.hash,
      status: latest === undefined ? 'signed' : STATUS_OF_EVENT[latest.event],
      supplement: batch.supplementOf.get(payment.hash) ?? 0,
      current: current.has(payment),
      block: latest !== undefined && 'block' in latest ? (latest.block ?? null) : null,
      depth: latest !== undefined && 'depth' in latest ? (latest.depth ?? null) : null,
      attempts: history?.broadcasts ?? 0,
      reason: latest?.event === 'failed' || latest?.event === 'rejected' ? latest.reason : null,
      takenBy: latest?.event === 'void' ? latest.takenBy : null,
      settled: isSettled(latest),
      exhausted: latest?.event === 'dropped' && latest.exhausted,
    };
  });
}

/** Each planned payment's current payment (nonce, hash, status), by the account it pays for and the address it pays (paymentKey). */
export function linePayments(batch: EpochBatch | null, records: readonly SendRecord[]): Map<string, LinePayment> {
  return new Map(
    paymentViews(batch, records)
      .filter((view) => view.current)
      .map((view) => [paymentKey(view.pk, view.payTo), { nonce: view.nonce, hash: view.hash, status: view.status, memo: view.memo }]),
  );
}

export function epochStatus(plan: StoredPlan, batch: EpochBatch | null, records: readonly SendRecord[]): EpochStatus {
  const payments = paymentViews(batch, records);
  const current = payments.filter((view) => view.current);
  const count = (...statuses: PaymentStatus[]) => current.filter((view) => statuses.includes(view.status)).length;
  const unsettled = (status: PaymentStatus) => current.filter((view) => view.status === status && !view.settled).length;
  const tally: Tally = {
    notSent: count('signed'),
    pending: count('pending'),
    included: count('included'),
    unknown: count('broadcast'),
    rejected: count('rejected'),
    exhausted: current.filter((view) => view.status === 'dropped' && view.exhausted).length,
    backingOff: current.filter((view) => view.status === 'dropped' && !view.exhausted).length,
    failedOnChain: count('failed'),
    failedUnsettled: unsettled('failed'),
    void: count('void'),
    voidUnsettled: unsettled('void'),
    unpaid: current.filter((view) => view.status === 'void' || view.status === 'failed'),
  };
  return {
    pool: plan.pools[0]!,
    epoch: plan.epoch,
    planned: plannedPayments(plan, batch?.sender ?? '').length,
    signed: current.length,
    sent: current.length - tally.notSent,
    pending: tally.pending + tally.backingOff,
    included: tally.included,
    final: count('final'),
    unknown: tally.unknown,
    failed: tally.rejected + tally.exhausted + tally.failedOnChain,
    void: tally.void,
    carried: plan.lines.reduce((sum, line) => sum + line.carriedOut, 0n),
    attention: attentionOf(tally),
    waiting: waitingOf(tally),
    payments,
  };
}

interface Tally {
  readonly notSent: number;
  readonly pending: number;
  readonly included: number;
  readonly unknown: number;
  readonly rejected: number;
  readonly exhausted: number;
  readonly backingOff: number;
  readonly failedOnChain: number;
  readonly failedUnsettled: number;
  readonly void: number;
  readonly voidUnsettled: number;
  /** The void and failed payments, each named with its evidence. */
  readonly unpaid: readonly PaymentView[];
}

/** Anything begun that cannot finish by itself needs a look; a plan not yet signed is just the next step. */
function attentionOf(tally: Tally): string | null {
  const certain = (unsettled: number) =>
    unsettled === 0 ? 'final: payout sign --unpaid pays them anew' : `${unsettled} not yet final: pay them anew (payout sign --unpaid) once final`;
  const problems = [
    tally.void > 0 ? `${tally.void} void: another transaction took their nonce (${certain(tally.voidUnsettled)})` : null,
    tally.failedOnChain > 0 ? `${tally.failedOnChain} failed on chain (${certain(tally.failedUnsettled)})` : null,
    ...tally.unpaid.map(evidence),
    tally.rejected > 0 ? `${tally.rejected} rejected: fix the cause, then send again` : null,
    tally.exhausted > 0 ? `${tally.exhausted} dropped by the daemon's pool after every broadcast allowed: fix the cause, then send again` : null,
    tally.unknown > 0 ? `${tally.unknown} with unknown outcome: send again to settle them` : null,
    // Behind a dropped payment that waits out its back-off, later nonces cannot be sent yet: that is waiting, not a problem.
    tally.notSent > 0 && tally.backingOff === 0 ? `${tally.notSent} signed but not sent` : null,
  ].filter((problem) => problem !== null);
  return problems.length > 0 ? problems.join('; ') : null;
}

/** A void or failed payment with what shows it: the transaction and block that took its nonce, or the chain's failure reason. */
export function evidence(view: PaymentView): string {
  const payment = `the payment to ${view.payTo} (nonce ${view.nonce}, hash ${view.hash})`;
  const where = view.block === null ? '' : ` in block ${view.block.height} (${view.block.stateHash}, ${view.depth} deep)`;
  if (view.status === 'failed') return `${payment} failed${where}: ${view.reason}`;
  if (view.takenBy === null) return `${payment}: its nonce was used by a transaction no chain minapay asked shows (give --archive-db to find it)`;
  return `${payment}: its nonce was taken by ${view.takenBy}${where}`;
}

function waitingOf(tally: Tally): string | null {
  const waits = [
    tally.pending > 0 ? `${tally.pending} in the daemon's pool, not yet seen on chain` : null,
    tally.backingOff > 0 ? `${tally.backingOff} dropped by the daemon's pool, to be broadcast again after their back-off` : null,
    tally.included > 0 ? `${tally.included} on chain, not yet final` : null,
  ].filter((wait) => wait !== null);
  return waits.length > 0 ? `${waits.join('; ')}: run payout send again later` : null;
}

/**
 * NEEDS_ATTENTION naming every epoch a person must look at, else
 * PAYMENTS_PENDING while any is on its way to finality; null when every
 * payment of every epoch is final.
 */
export function unfinishedError(epochs: readonly Pick<EpochStatus, 'epoch' | 'attention' | 'waiting'>[]): MinapayError | null {
  const needing = epochs.flatMap((row) => (row.attention === null ? [] : [`epoch ${row.epoch}: ${row.attention}`]));
  if (needing.length > 0) return new MinapayError('NEEDS_ATTENTION', `${needing.length} epoch(s) need attention: ${needing.join('; ')}`);
  const waiting = epochs.flatMap((row) => (row.waiting === null ? [] : [`epoch ${row.epoch}: ${row.waiting}`]));
  if (waiting.length > 0) return new MinapayError('PAYMENTS_PENDING', `${waiting.length} epoch(s) not final yet: ${waiting.join('; ')}`);
  return null;
}
