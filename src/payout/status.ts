import type { StoredPlan } from './plan-file.js';
import { plannedPayments, type SignedPayments } from './sign.js';
import { paymentKey, type LinePayment } from './report.js';
import { paymentStates, type PaymentState, type SendRecord } from './send-log.js';

/** How far an epoch's payments have come, from its plan, signed.json and send log. */
export interface EpochStatus {
  readonly pool: string;
  readonly epoch: number;
  /** Payments to make: one per line with an amount, one per address of a split payout (less any to the sender, once signed). */
  readonly planned: number;
  readonly signed: number;
  /** Signed payments with any send record. */
  readonly sent: number;
  /** In the daemon's pool when last looked up, not yet seen on chain. */
  readonly accepted: number;
  /** Seen on the best chain, applied. */
  readonly included: number;
  /** Broadcast without a known outcome (a run was interrupted): the next send settles them. */
  readonly unknown: number;
  /** Rejected by the daemon, or failed on chain. */
  readonly failed: number;
  /** Their nonce taken by another transaction: never sent again. */
  readonly void: number;
  /** Nanomina carried to the next epoch. */
  readonly carried: bigint;
  /** Why an operator should look, or null. */
  readonly attention: string | null;
  /** Why the epoch is not done yet though nobody needs to look (payments waiting to be seen on chain), or null. */
  readonly waiting: string | null;
}

const LINE_STATUS: Readonly<Record<PaymentState, LinePayment['status']>> = {
  broadcasting: 'sending',
  accepted: 'accepted',
  included: 'included',
  failed: 'failed',
  void: 'void',
  rejected: 'rejected',
};

/** Each signed payment's nonce, hash and state, by the account it pays for and the address it pays (paymentKey). */
export function linePayments(signed: SignedPayments | null, records: readonly SendRecord[]): Map<string, LinePayment> {
  const states = paymentStates(records);
  return new Map(
    (signed?.payments ?? []).map((payment) => {
      const state = states.get(payment.hash);
      const key = paymentKey(payment.pk, payment.data.to);
      return [key, { nonce: payment.nonce, hash: payment.hash, status: state === undefined ? 'signed' : LINE_STATUS[state] }];
    }),
  );
}

export function epochStatus(plan: StoredPlan, signed: SignedPayments | null, records: readonly SendRecord[]): EpochStatus {
  const payments = [...linePayments(signed, records).values()];
  const count = (...statuses: LinePayment['status'][]) => payments.filter((payment) => statuses.includes(payment.status)).length;
  const tally = {
    signed: payments.length,
    notSent: count('signed'),
    accepted: count('accepted'),
    included: count('included'),
    unknown: count('sending'),
    rejected: count('rejected'),
    failedOnChain: count('failed'),
    void: count('void'),
  };
  return {
    pool: plan.pools[0]!,
    epoch: plan.epoch,
    planned: plannedPayments(plan, signed?.sender ?? '').length,
    signed: tally.signed,
    sent: tally.signed - tally.notSent,
    accepted: tally.accepted,
    included: tally.included,
    unknown: tally.unknown,
    failed: tally.rejected + tally.failedOnChain,
    void: tally.void,
    carried: plan.lines.reduce((sum, line) => sum + line.carriedOut, 0n),
    attention: attentionOf(tally),
    waiting: tally.accepted > 0 ? `${tally.accepted} in the daemon's pool, not yet seen on chain: run payout send again after the next block` : null,
  };
}

/** Anything begun that cannot finish by itself needs a look; a plan not yet signed is just the next step. */
function attentionOf(tally: { notSent: number; unknown: number; rejected: number; failedOnChain: number; void: number }): string | null {
  const problems = [
    tally.void > 0 ? `${tally.void} void: another transaction took their nonce; check the sender's transactions and pay them anew` : null,
    tally.failedOnChain > 0 ? `${tally.failedOnChain} failed on chain: pay them anew` : null,
    tally.rejected > 0 ? `${tally.rejected} rejected: fix the cause, then send again` : null,
    tally.unknown > 0 ? `${tally.unknown} with unknown outcome: send again to settle them` : null,
    tally.notSent > 0 ? `${tally.notSent} signed but not sent` : null,
  ].filter((problem) => problem !== null);
  return problems.length > 0 ? problems.join('; ') : null;
}
