import { MinapayError } from '../errors.js';
import type { Daemon } from './daemon.js';
import { paymentStates, type SendLogWriter, type SendRecord } from './send-log.js';
import type { SignedPayment, SignedPayments } from './sign.js';
import { paymentId } from './transaction-id.js';

/**
 * Sending never signs: it only ever broadcasts the frozen bytes of
 * signed.json, in nonce order. A payment the log shows accepted is skipped;
 * one that a killed run may have broadcast is first looked up at the daemon
 * by its transaction ID (and its nonce) and re-sent only when the daemon has never
 * seen it and its nonce is still free. Re-sending the same signed payment
 * is harmless: the chain takes one payment per nonce.
 */
export type SendAction = 'skip' | 'confirm-or-resend' | 'send';

export interface SendSummary {
  readonly alreadyAccepted: number;
  readonly confirmed: number;
  readonly sent: number;
}

export interface SendDependencies {
  readonly daemon: Daemon;
  readonly log: SendLogWriter;
  /** The time written into each record. */
  readonly now: () => string;
  /** Told about each payment as it is settled (progress). */
  readonly onPayment?: ((payment: SignedPayment, how: 'skipped' | 'confirmed' | 'sent') => void) | undefined;
}

/** The daemon's words for a payment it already has (the same signed bytes). */
const ALREADY_KNOWN = /duplicate|already known|already in (the )?pool/i;

/** What a send would do with each payment, from the log alone (--dry-run). */
export function sendActions(signed: SignedPayments, records: readonly SendRecord[]): { payment: SignedPayment; action: SendAction }[] {
  const states = paymentStates(records);
  return signed.payments.map((payment) => {
    const state = states.get(payment.hash);
    return { payment, action: state === 'accepted' ? 'skip' : state === undefined ? 'send' : 'confirm-or-resend' };
  });
}

export async function sendPayments(signed: SignedPayments, records: readonly SendRecord[], deps: SendDependencies): Promise<SendSummary> {
  let alreadyAccepted = 0;
  let confirmed = 0;
  let sent = 0;
  for (const { payment, action } of sendActions(signed, records)) {
    if (action === 'skip') {
      alreadyAccepted += 1;
      deps.onPayment?.(payment, 'skipped');
      continue;
    }
    if (action === 'confirm-or-resend' && (await confirmEarlierBroadcast(signed.sender, payment, deps))) {
      confirmed += 1;
      deps.onPayment?.(payment, 'confirmed');
      continue;
    }
    await broadcast(payment, deps);
    sent += 1;
    deps.onPayment?.(payment, 'sent');
  }
  return { alreadyAccepted, confirmed, sent };
}

/** True when the daemon already has the payment (pool or chain); throws when another transaction took its nonce. */
async function confirmEarlierBroadcast(sender: string, payment: SignedPayment, deps: SendDependencies): Promise<boolean> {
  const status = await deps.daemon.transactionStatus(paymentId(payment));
  if (status === 'INCLUDED' || status === 'PENDING') {
    await deps.log.append({ event: 'accepted', nonce: payment.nonce.toString(), hash: payment.hash, how: 'confirmed', at: deps.now() });
    return true;
  }
  const account = await deps.daemon.account(sender);
  if (account !== null && account.inferredNonce > payment.nonce) {
    throw new MinapayError(
      'NONCE_CONFLICT',
      `nonce ${payment.nonce} of ${sender} is used, but not by the payment to ${payment.data.to} (hash ${payment.hash}), which ` +
        `the daemon does not know: another transaction took the nonce; check the sender's transactions before signing again`,
    );
  }
  return false;
}

async function broadcast(payment: SignedPayment, deps: SendDependencies): Promise<void> {
  const nonce = payment.nonce.toString();
  await deps.log.append({ event: 'broadcasting', nonce, hash: payment.hash, at: deps.now() });
  const outcome = await deps.daemon.sendPayment(payment).catch((error: unknown) => {
    if (error instanceof MinapayError && error.code === 'DAEMON_UNAVAILABLE') {
      throw new MinapayError(
        'DAEMON_UNAVAILABLE',
        `${error.message}; the payment to ${payment.data.to} (nonce ${nonce}) may or may not have arrived: run send again to check and continue`,
        { cause: error },
      );
    }
    throw error;
  });
  if (outcome.accepted) {
    await deps.log.append({ event: 'accepted', nonce, hash: payment.hash, how: 'sent', at: deps.now() });
    if (outcome.hash !== payment.hash)
      throw new MinapayError(
        'DAEMON_INVALID',
        `the daemon accepted the payment to ${payment.data.to} (nonce ${nonce}) as ${outcome.hash}, but it hashes to ${payment.hash}`,
      );
    return;
  }
  if (ALREADY_KNOWN.test(outcome.reason)) {
    await deps.log.append({ event: 'accepted', nonce, hash: payment.hash, how: 'duplicate', at: deps.now() });
    return;
  }
  await deps.log.append({ event: 'rejected', nonce, hash: payment.hash, reason: outcome.reason, at: deps.now() });
  throw new MinapayError(
    'PAYMENT_REJECTED',
    `the daemon rejected the payment to ${payment.data.to} (nonce ${nonce}): ${outcome.reason}; nothing after it was sent, and a later send continues from it`,
  );
}
