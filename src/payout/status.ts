import type { StoredPlan } from './plan-file.js';
import type { LinePayment } from './report.js';
import { paymentStates, type PaymentState, type SendRecord } from './send-log.js';
import type { SignedPayments } from './sign.js';

/** How far an epoch's payments have come, from its plan, signed.json and send log. */
export interface EpochStatus {
  readonly pool: string;
  readonly epoch: number;
  /** Lines with an amount to send. */
  readonly planned: number;
  readonly signed: number;
  /** Signed payments with any send record. */
  readonly sent: number;
  readonly accepted: number;
  /** Broadcast without a known outcome (a run was interrupted): the next send settles them. */
  readonly pending: number;
  readonly failed: number;
  /** Nanomina carried to the next epoch. */
  readonly carried: bigint;
  /** Why an operator should look, or null. */
  readonly attention: string | null;
}

const LINE_STATUS: Readonly<Record<PaymentState, LinePayment['status']>> = { broadcasting: 'sending', accepted: 'accepted', rejected: 'rejected' };

/** Each signed payment's nonce, hash and state, by the plan line (delegating account) it pays. */
export function linePayments(signed: SignedPayments | null, records: readonly SendRecord[]): Map<string, LinePayment> {
  const states = paymentStates(records);
  return new Map(
    (signed?.payments ?? []).map((payment) => {
      const state = states.get(payment.hash);
      return [payment.pk, { nonce: payment.nonce, hash: payment.hash, status: state === undefined ? 'signed' : LINE_STATUS[state] }];
    }),
  );
}

export function epochStatus(plan: StoredPlan, signed: SignedPayments | null, records: readonly SendRecord[]): EpochStatus {
  const payments = [...linePayments(signed, records).values()];
  const count = (status: LinePayment['status']) => payments.filter((payment) => payment.status === status).length;
  const accepted = count('accepted');
  const pending = count('sending');
  const failed = count('rejected');
  return {
    pool: plan.pools[0]!,
    epoch: plan.epoch,
    planned: plan.lines.filter((line) => line.amount > 0n).length,
    signed: payments.length,
    sent: payments.length - count('signed'),
    accepted,
    pending,
    failed,
    carried: plan.lines.reduce((sum, line) => sum + line.carriedOut, 0n),
    attention: attentionOf(payments.length, accepted, pending, failed),
  };
}

/** Anything begun and not finished needs a look; a plan not yet signed is just the next step. */
function attentionOf(signed: number, accepted: number, pending: number, failed: number): string | null {
  if (failed > 0) return `${failed} rejected: fix the cause, then send again`;
  if (pending > 0) return `${pending} with unknown outcome: send again to settle them`;
  if (accepted < signed) return `${signed - accepted} signed but not sent`;
  return null;
}
