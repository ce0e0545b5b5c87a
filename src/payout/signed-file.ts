/**
 * signed.json and its supplements: the payments a plan asks for, the
 * documents that freeze them, written and read back against their plan.
 * Without mina-signer (sign.ts signs): the commands that only read these
 * files (plan, status, report) do not load it (0.1 s and 13 MB).
 */

import { MinapayError } from '../errors.js';
import { JsonFields } from '../io/json-fields.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import type { PaymentFields } from '../protocol/payment-signature.js';
import { wholeNumberFromText } from '../protocol/whole-number.js';
import { plannedCommitment, type SignedCommitment } from './commitment.js';
import type { StoredPlan } from './plan-file.js';
import { linePayees, paymentAmount, type PlanLine } from './plan.js';
import { paymentKey } from './report.js';

/** Bumped when the layout of signed.json changes: format 2 added the signed `commitment`; format 1 is still read. */
export const SIGNED_FORMAT_VERSION = 2;
const SIGNED_FORMATS_READ = [1];
/** Nonces are u32 on chain. */
export const MAX_NONCE = 0xffff_ffffn;
/** A memo is at most 32 bytes on chain (MinaProtocol/mina src/lib/mina_base/signed_command_memo.ml). */
export const MAX_MEMO_BYTES = 32;

/** The payment fields exactly as mina-signer signs them and the daemon's sendPayment takes them. */
export type PaymentData = PaymentFields;

export interface PaymentSignature {
  readonly field: string;
  readonly scalar: string;
}

/** One planned payment: what is signed, its signature and its transaction hash. */
export interface SignedPayment {
  /** The delegating account of the plan line it pays (the burn address for the burn line). */
  readonly pk: string;
  readonly nonce: bigint;
  readonly hash: string;
  readonly data: PaymentData;
  readonly signature: PaymentSignature;
}

/** signed.json: the frozen payments of one plan. */
export interface SignedPayments {
  readonly planHash: string;
  readonly network: string;
  readonly epoch: number;
  readonly sender: string;
  readonly payments: readonly SignedPayment[];
  /** The plan's commitment signed by the sender; null (or absent) for a plan of format 1, or signed.json of format 1. */
  readonly commitment?: SignedCommitment | null;
}

/**
 * supplement-<n>.json: new payments for the planned payments that became
 * void or failed for certain, signed after signed.json with later nonces.
 * Each names the payment it replaces; the planned payment's payment is then
 * the new one.
 */
export interface SignedSupplement {
  readonly planHash: string;
  readonly network: string;
  readonly epoch: number;
  readonly sender: string;
  /** 1 for the first supplement of the epoch, then 2, ... */
  readonly supplement: number;
  readonly payments: readonly SupplementPayment[];
}

export interface SupplementPayment extends SignedPayment {
  /** The hash of the void or failed payment, of the same line and address, that this one replaces. */
  readonly replaces: string;
}

/** One payment a plan asks for: to one address of a line (a split payout has several), with its amount and fee. */
export interface PlannedPayment {
  readonly line: PlanLine;
  readonly payTo: string;
  readonly amount: bigint;
  readonly txFee: bigint;
}

/** The payments to sign, in line (key) order and, within a split payout, in its order: something to send, to someone other than the sender. */
export function plannedPayments(plan: StoredPlan, sender: string): PlannedPayment[] {
  return plan.lines.flatMap((line) =>
    linePayees(line).flatMap((payee) =>
      // What the payment sends: the planned amount, and the account creation fee when the pool pays it (pay-fee).
      payee.amount > 0n && payee.payTo !== sender ? [{ line, payTo: payee.payTo, amount: paymentAmount(payee), txFee: payee.txFee }] : [],
    ),
  );
}

export function delegatorsPayFees(plan: StoredPlan): boolean {
  return plan.terms.feePayer === 'delegator';
}

export function signedDocument(signed: SignedPayments): string {
  const document = {
    version: SIGNED_FORMAT_VERSION,
    planHash: signed.planHash,
    network: signed.network,
    epoch: signed.epoch,
    sender: signed.sender,
    payments: signed.payments.map(paymentJson),
    commitment: commitmentJson(signed.commitment ?? null),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A supplement has no commitment of its own: its payments pay what the plan (and signed.json's commitment) says. */
export function supplementDocument(supplement: SignedSupplement): string {
  const document = {
    version: SIGNED_FORMAT_VERSION,
    planHash: supplement.planHash,
    network: supplement.network,
    epoch: supplement.epoch,
    sender: supplement.sender,
    supplement: supplement.supplement,
    payments: supplement.payments.map((payment) => ({ ...paymentJson(payment), replaces: payment.replaces })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function paymentJson(payment: SignedPayment) {
  return { pk: payment.pk, nonce: payment.nonce.toString(), hash: payment.hash, data: payment.data, signature: payment.signature };
}

/** The signed commitment as signed.json keeps it; epoch, network and signer (the sender) are the document's own. */
function commitmentJson(commitment: SignedCommitment | null): Record<string, string | number> | null {
  if (commitment === null) return null;
  return {
    root: commitment.root.toString(),
    leaves: commitment.leaves,
    totalAmount: commitment.totalAmount.toString(),
    totalStake: commitment.totalStake.toString(),
    signature: commitment.signature,
  };
}

/**
 * Reads signed.json back and checks it against its plan: same planHash,
 * one payment per planned payment (a line's, or one address's of a split
 * payout), in the plan's order, with the planned payee, amount and fee,
 * and consecutive nonces. Signatures are not verified again: each was
 * verified once, when it was made, and a payment about to leave is checked
 * against its hash (checkUnsentHashes, in sign.ts).
 */
export function parseSignedDocument(text: string, path: string, plan: StoredPlan): SignedPayments {
  const { parsed, sender, raw } = signedHeader(text, path, plan);
  const planned = plannedPayments(plan, sender);
  if (raw.length !== planned.length) throw signedError(path, `has ${raw.length} payments; its plan has ${planned.length} payments to make`);
  const payments = checkedPayments(raw, planned, sender, path, plan);
  const commitment = parsed['version'] === 1 ? null : signedCommitment(parsed, path, plan, sender);
  return { planHash: plan.planHash, network: plan.network, epoch: plan.epoch, sender, payments, commitment };
}

/**
 * Reads a supplement back and checks it against its plan and the payments
 * signed before it (signed.json and earlier supplements, in order): same
 * sender, each payment makes a planned payment in full and replaces an
 * earlier payment of that line and address, nonces consecutive and after
 * every earlier one.
 */
export function parseSupplementDocument(
  text: string,
  path: string,
  plan: StoredPlan,
  earlier: { readonly sender: string; readonly payments: readonly SignedPayment[] },
  number: number,
): SignedSupplement {
  const { parsed, sender, raw } = signedHeader(text, path, plan);
  if (parsed['supplement'] !== number) throw signedError(path, `is not supplement ${number} (it says ${JSON.stringify(parsed['supplement'])})`);
  if (sender !== earlier.sender) throw signedError(path, `is signed by ${sender}; the epoch's payments are from ${earlier.sender}`);
  const byKey = new Map(plannedPayments(plan, sender).map((payment) => [paymentKey(payment.line.pk, payment.payTo), payment]));
  const planned = raw.map((entry, index) => {
    const key = paymentKey(String(entry['pk']), String((entry['data'] as { to?: unknown } | undefined)?.to));
    const payment = byKey.get(key);
    if (payment === undefined) throw signedError(`${path}: payment ${index}`, `pays ${JSON.stringify(entry['pk'])}, which has no payment to make in the plan`);
    return payment;
  });
  const payments = checkedPayments(raw, planned, sender, path, plan).map((payment, index) => {
    const replaces = raw[index]!['replaces'];
    const replaced = earlier.payments.find((before) => before.hash === replaces);
    if (replaced === undefined || paymentKey(replaced.pk, replaced.data.to) !== paymentKey(payment.pk, payment.data.to))
      throw signedError(
        `${path}: payment ${index}`,
        `replaces ${JSON.stringify(replaces)}, which is no earlier payment of line ${payment.pk} to ${payment.data.to}`,
      );
    return { ...payment, replaces: replaced.hash };
  });
  const last = earlier.payments.map((payment) => payment.nonce).sort((a, b) => (a < b ? 1 : -1))[0] ?? -1n;
  if (payments.length > 0 && payments[0]!.nonce <= last)
    throw signedError(`${path}: payment 0`, `has nonce ${payments[0]!.nonce}, not after the epoch's earlier payments (up to ${last})`);
  return { planHash: plan.planHash, network: plan.network, epoch: plan.epoch, sender, supplement: number, payments };
}

/** The fields signed.json and supplements share, checked against the plan. */
function signedHeader(text: string, path: string, plan: StoredPlan) {
  const kind = { what: 'signed.json', version: SIGNED_FORMAT_VERSION, alsoReads: SIGNED_FORMATS_READ, code: 'SIGNED_INVALID' } as const;
  const parsed = parseVersionedDocument(text, path, kind);
  if (parsed['planHash'] !== plan.planHash)
    throw signedError(path, `was signed for plan ${String(parsed['planHash'])}, not for the plan beside it (${plan.planHash})`);
  if (parsed['network'] !== plan.network) throw signedError(path, `is for network ${String(parsed['network'])}, its plan for ${plan.network}`);
  const raw = Array.isArray(parsed['payments']) ? (parsed['payments'] as Record<string, unknown>[]) : [];
  return { parsed, sender: String(parsed['sender']), raw };
}

/** Each payment checked against the planned payment it makes, with the planned fee when delegators pay it, and consecutive nonces. */
function checkedPayments(
  raw: readonly Record<string, unknown>[],
  planned: readonly PlannedPayment[],
  sender: string,
  path: string,
  plan: StoredPlan,
): SignedPayment[] {
  const payments = raw.map((entry, index) => checkedPayment(entry, planned[index]!, sender, `${path}: payment ${index}`));
  const wrongFee = delegatorsPayFees(plan) ? payments.findIndex((payment, index) => payment.data.fee !== planned[index]!.txFee.toString()) : -1;
  if (wrongFee >= 0) throw signedError(`${path}: payment ${wrongFee}`, 'has a fee other than the planned one, which its delegator pays');
  payments.forEach((payment, index) => {
    if (payment.nonce !== payments[0]!.nonce + BigInt(index))
      throw signedError(`${path}: payment ${index}`, `has nonce ${payment.nonce}; nonces must be consecutive`);
  });
  return payments;
}

/**
 * The commitment signed.json carries: the plan's own (root, leaves and
 * totals recomputed from the plan). Its signature is checked where it is
 * shown to delegators: by `payout statement` and `statement verify`.
 */
function signedCommitment(parsed: Record<string, unknown>, path: string, plan: StoredPlan, sender: string): SignedCommitment | null {
  const planned = plannedCommitment(plan);
  const fields = JsonFields.of(parsed, path, 'SIGNED_INVALID').nullableObject('commitment');
  if (fields === null || planned === null) {
    if (fields !== planned) throw signedError(path, planned === null ? 'has a commitment; its plan has none' : "lacks the plan's commitment");
    return null;
  }
  const commitment = {
    root: fields.fieldText('root'),
    epoch: plan.epoch,
    network: plan.network,
    leaves: fields.whole('leaves'),
    totalAmount: fields.wholeText('totalAmount'),
    totalStake: fields.wholeText('totalStake'),
    signer: sender,
    signature: fields.text('signature'),
  };
  const differs = (['root', 'leaves', 'totalAmount', 'totalStake'] as const).find((name) => commitment[name] !== planned[name]);
  if (differs !== undefined) throw signedError(path, `commits to ${differs} ${commitment[differs]}; its plan's is ${planned[differs]}`);
  return commitment;
}

/** One payment of signed.json, checked against the planned payment it makes. */
function checkedPayment(entry: Record<string, unknown>, planned: PlannedPayment, sender: string, where: string): SignedPayment {
  const data = entry['data'] as PaymentData | undefined;
  const signature = entry['signature'] as PaymentSignature | undefined;
  const hash = entry['hash'];
  if (data === undefined || signature === undefined || typeof hash !== 'string') throw signedError(where, 'lacks data, signature or hash');
  const { line } = planned;
  if (entry['pk'] !== line.pk || data.to !== planned.payTo || data.amount !== planned.amount.toString() || data.from !== sender) {
    throw signedError(where, `does not pay line ${line.pk}: ${planned.amount} nanomina to ${planned.payTo} from ${sender}`);
  }
  const nonce = typeof data.nonce === 'string' ? wholeNumberFromText(data.nonce, MAX_NONCE) : null;
  if (nonce === null) throw signedError(where, 'has no nonce: a whole number up to 2^32 - 1');
  return { pk: line.pk, nonce, hash, data, signature };
}

export function signedError(where: string, problem: string): MinapayError {
  return new MinapayError('SIGNED_INVALID', `${where} ${problem}`);
}
