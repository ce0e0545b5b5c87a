/**
 * Signing a plan's payments with mina-signer: the payment fields, the
 * signatures, their one check and their hashes. What is signed is written
 * to and read from signed.json by signed-file.ts, which loads no signer.
 */
import Client from 'mina-signer';

import { MinapayError } from '../errors.js';
import { paymentSignatureCheck } from '../protocol/payment-signature.js';
import { MAX_GLOBAL_SLOT } from '../protocol/timing.js';
import type { StoredPlan } from './plan-file.js';
import {
  delegatorsPayFees,
  MAX_MEMO_BYTES,
  MAX_NONCE,
  type PaymentData,
  type PlannedPayment,
  plannedPayments,
  type SignedPayment,
  signedError,
} from './signed-file.js';

/** mina-signer's default valid-until, the last slot: no expiry. */
export const NO_EXPIRY = BigInt(MAX_GLOBAL_SLOT);

/** What the operator chooses at signing time; everything else comes from the plan. */
export interface SigningTerms {
  readonly sender: string;
  readonly firstNonce: bigint;
  /** Replaces the plan's fee; only allowed when the pool pays fees (amounts do not depend on it). */
  readonly fee: bigint | null;
  /** For lines whose plan gives none (a program's memo wins). */
  readonly memo: string;
  readonly validUntil: bigint;
}

/** The networks minapay signs for. */
function signingNetwork(network: string): 'mainnet' | 'devnet' {
  if (network !== 'mainnet' && network !== 'devnet') throw new MinapayError('USAGE', `cannot sign for network ${network}: mainnet or devnet`);
  return network;
}

/** A mina-signer client for a minapay network name. */
export function signerFor(network: string): Client {
  return new Client({ network: signingNetwork(network) });
}

/** The unsigned payments of a plan (by default every planned payment), in line (key) order with consecutive nonces. */
export function paymentData(
  plan: StoredPlan,
  terms: SigningTerms,
  payments: readonly PlannedPayment[] = plannedPayments(plan, terms.sender),
): { pk: string; data: PaymentData }[] {
  checkMemo(terms.memo, '--memo');
  if (terms.fee !== null && delegatorsPayFees(plan)) {
    throw new MinapayError('USAGE', '--fee cannot change the fee of a plan whose delegators pay it: their amounts were computed net of the planned fee');
  }
  refuseSplitToSender(plan, terms.sender);
  const lastNonce = terms.firstNonce + BigInt(payments.length) - 1n;
  if (lastNonce > MAX_NONCE) {
    throw new MinapayError('USAGE', `nonces ${terms.firstNonce} to ${lastNonce} for ${payments.length} payments pass the largest nonce, ${MAX_NONCE}`);
  }
  return payments.map((payment, index) => {
    const memo = payment.line.memo ?? terms.memo;
    checkMemo(memo, `the memo of ${payment.line.pk}`);
    return {
      pk: payment.line.pk,
      data: {
        to: payment.payTo,
        from: terms.sender,
        amount: payment.amount.toString(),
        fee: (terms.fee ?? payment.txFee).toString(),
        nonce: (terms.firstNonce + BigInt(index)).toString(),
        memo,
        validUntil: terms.validUntil.toString(),
      },
    };
  });
}

/**
 * A payment to the sender is left out (it pays itself nothing), but a
 * split payout with the sender among its addresses would then be paid in
 * part, which nobody could tell from the line's statement: refused.
 */
function refuseSplitToSender(plan: StoredPlan, sender: string): void {
  const line = plan.lines.find((candidate) => candidate.split?.some((payment) => payment.payTo === sender && payment.amount > 0n));
  if (line !== undefined) {
    throw new MinapayError('USAGE', `line ${line.pk} splits its payout with the sender ${sender}: sign with another key, or plan without that address`);
  }
}

export function checkMemo(memo: string, what: string): void {
  const bytes = Buffer.byteLength(memo, 'utf8');
  if (bytes > MAX_MEMO_BYTES) throw new MinapayError('MEMO_TOO_LONG', `${what} is ${bytes} bytes; a Mina memo holds at most ${MAX_MEMO_BYTES}`);
}

/**
 * Signs each payment with mina-signer, checks the signature once and
 * computes its hash once. The check is the one verification a signature
 * gets (status, report and send do not verify it again): a payment that
 * leaves unverified would only be refused by the daemon, but a tool moving
 * money should not write out what it has not checked, and a fault in the
 * signer (or the machine) then stops the signing instead of a send. It is
 * minapay's own (src/protocol/payment-signature.ts): about a sixth of the
 * time of mina-signer's verifyPayment, which cost as much as signing, and
 * apart from the code that signs. Payments go to today's chain, past the
 * Berkeley hard fork, so hashes are in its format.
 */
export function signPayments(network: string, payments: readonly { pk: string; data: PaymentData }[], privateKey: string): SignedPayment[] {
  const client = signerFor(network);
  const check = paymentSignatureCheck(signingNetwork(network));
  return payments.map(({ pk, data }) => {
    const { field, scalar } = client.signPayment(data, privateKey).signature;
    const signature = { field, scalar };
    if (!check.holds(data, signature)) throw new Error(`the signature of the payment to ${data.to} (nonce ${data.nonce}) does not verify`);
    return { pk, nonce: BigInt(data.nonce), hash: transactionHash(client, { data, signature }), data, signature };
  });
}

export function signatureHolds(client: Client, payment: Pick<SignedPayment, 'data' | 'signature'>): boolean {
  try {
    return client.verifyPayment({ data: payment.data, signature: payment.signature, publicKey: payment.data.from });
  } catch {
    return false;
  }
}

export function transactionHash(client: Client, payment: Pick<SignedPayment, 'data' | 'signature'>): string {
  return client.hashPayment({ data: payment.data, signature: payment.signature, publicKey: payment.data.from }, { berkeley: true });
}

/**
 * Refuses a payment of the signed document at `path` that was never
 * broadcast (its hash is not in `broadcast`, the hashes the send log
 * names) when its hash, recomputed from its fields, is not the one stored
 * beside them. The send log and every look-up follow a payment by that
 * hash: a wrong one would lose track of a payment the chain took, and its
 * line would look unpaid. A payment the log names was checked so before its
 * first broadcast. The post-Berkeley hash leaves the signature out; that
 * was verified once, when it was made, and the daemon verifies it again
 * before it takes the payment. Under 1 ms a payment.
 */
export function checkUnsentHashes(client: Client, path: string, payments: readonly SignedPayment[], broadcast: ReadonlySet<string>): void {
  payments.forEach((payment, index) => {
    if (broadcast.has(payment.hash)) return;
    let recomputed: string;
    try {
      recomputed = transactionHash(client, payment);
    } catch {
      throw signedError(`${path}: payment ${index}`, 'has fields that make no payment');
    }
    if (recomputed !== payment.hash) throw signedError(`${path}: payment ${index}`, `has hash ${payment.hash}; its payment hashes to ${recomputed}`);
  });
}
