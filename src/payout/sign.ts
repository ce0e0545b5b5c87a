import Client from 'mina-signer';

import { MinapayError } from '../errors.js';
import { JsonFields } from '../io/json-fields.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import { MAX_GLOBAL_SLOT } from '../protocol/timing.js';
import { wholeNumberFromText } from '../protocol/whole-number.js';
import { commitmentSignatureHolds, plannedCommitment, type SignedCommitment } from './commitment.js';
import type { StoredPlan } from './plan-file.js';
import { linePayees, type PlanLine } from './plan.js';

/** Bumped when the layout of signed.json changes: format 2 added the signed `commitment`; format 1 is still read. */
export const SIGNED_FORMAT_VERSION = 2;
const SIGNED_FORMATS_READ = [1];
/** A memo is at most 32 bytes on chain (MinaProtocol/mina src/lib/mina_base/signed_command_memo.ml). */
export const MAX_MEMO_BYTES = 32;
/** Nonces are u32 on chain. */
export const MAX_NONCE = 0xffff_ffffn;
/** mina-signer's default valid-until, the last slot: no expiry. */
export const NO_EXPIRY = BigInt(MAX_GLOBAL_SLOT);

/** The payment fields exactly as mina-signer signs them and the daemon's sendPayment takes them. */
export interface PaymentData {
  readonly to: string;
  readonly from: string;
  readonly amount: string;
  readonly fee: string;
  readonly nonce: string;
  readonly memo: string;
  readonly validUntil: string;
}

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

/** A mina-signer client for a minapay network name. */
export function signerFor(network: string): Client {
  if (network !== 'mainnet' && network !== 'devnet') throw new MinapayError('USAGE', `cannot sign for network ${network}: mainnet or devnet`);
  return new Client({ network });
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
  return plan.lines.flatMap((line) => linePayees(line).flatMap((payee) => (payee.amount > 0n && payee.payTo !== sender ? [{ line, ...payee }] : [])));
}

/** The unsigned payments of a plan, in line (key) order with consecutive nonces. */
export function paymentData(plan: StoredPlan, terms: SigningTerms): { pk: string; data: PaymentData }[] {
  checkMemo(terms.memo, '--memo');
  if (terms.fee !== null && delegatorsPayFees(plan)) {
    throw new MinapayError('USAGE', '--fee cannot change the fee of a plan whose delegators pay it: their amounts were computed net of the planned fee');
  }
  refuseSplitToSender(plan, terms.sender);
  const payments = plannedPayments(plan, terms.sender);
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

function delegatorsPayFees(plan: StoredPlan): boolean {
  return plan.terms.feePayer === 'delegator';
}

export function checkMemo(memo: string, what: string): void {
  const bytes = Buffer.byteLength(memo, 'utf8');
  if (bytes > MAX_MEMO_BYTES) throw new MinapayError('MEMO_TOO_LONG', `${what} is ${bytes} bytes; a Mina memo holds at most ${MAX_MEMO_BYTES}`);
}

/**
 * Signs each payment, checks the signature with verifyPayment and computes
 * its hash. Payments go to today's chain, which is past the Berkeley
 * hard fork, so hashes are in its format.
 */
export function signPayments(client: Client, payments: readonly { pk: string; data: PaymentData }[], privateKey: string): SignedPayment[] {
  return payments.map(({ pk, data }) => {
    const signed = client.signPayment(data, privateKey);
    const signature = { field: signed.signature.field, scalar: signed.signature.scalar };
    const payment = { pk, nonce: BigInt(data.nonce), data, signature };
    if (!signatureHolds(client, payment)) throw new Error(`the signature of the payment to ${data.to} (nonce ${data.nonce}) does not verify`);
    return { ...payment, hash: transactionHash(client, payment) };
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

export function signedDocument(signed: SignedPayments): string {
  const document = {
    version: SIGNED_FORMAT_VERSION,
    planHash: signed.planHash,
    network: signed.network,
    epoch: signed.epoch,
    sender: signed.sender,
    payments: signed.payments.map((payment) => ({
      pk: payment.pk,
      nonce: payment.nonce.toString(),
      hash: payment.hash,
      data: payment.data,
      signature: payment.signature,
    })),
    commitment: commitmentJson(signed.commitment ?? null),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
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
 * How much of signed.json to recheck on reading. Signatures are checked when
 * made and again before anything is sent (`verify`); reading the journal for
 * a status or a report (`structure`) skips the ~15 ms a payment that
 * verifying and hashing cost, and still checks everything else.
 */
export type SignatureCheck = 'verify' | 'structure';

/**
 * Reads signed.json back and checks it against its plan: same planHash,
 * one payment per planned payment (a line's, or one address's of a split
 * payout), in the plan's order, with the planned payee, amount and fee,
 * consecutive nonces, and (with `verify`) every signature and hash recomputed.
 */
export function parseSignedDocument(text: string, path: string, plan: StoredPlan, check: SignatureCheck = 'verify'): SignedPayments {
  const kind = { what: 'signed.json', version: SIGNED_FORMAT_VERSION, alsoReads: SIGNED_FORMATS_READ, code: 'SIGNED_INVALID' } as const;
  const parsed = parseVersionedDocument(text, path, kind);
  if (parsed['planHash'] !== plan.planHash)
    throw signedError(path, `was signed for plan ${String(parsed['planHash'])}, not for the plan beside it (${plan.planHash})`);
  if (parsed['network'] !== plan.network) throw signedError(path, `is for network ${String(parsed['network'])}, its plan for ${plan.network}`);
  const sender = String(parsed['sender']);
  const client = signerFor(plan.network);
  const planned = plannedPayments(plan, sender);
  const raw = Array.isArray(parsed['payments']) ? (parsed['payments'] as Record<string, unknown>[]) : [];
  if (raw.length !== planned.length) throw signedError(path, `has ${raw.length} payments; its plan has ${planned.length} payments to make`);
  const verifier = check === 'verify' ? { client, network: plan.network } : null;
  const payments = raw.map((entry, index) => checkedPayment(entry, planned[index]!, sender, `${path}: payment ${index}`, verifier));
  const wrongFee = delegatorsPayFees(plan) ? payments.findIndex((payment, index) => payment.data.fee !== planned[index]!.txFee.toString()) : -1;
  if (wrongFee >= 0) throw signedError(`${path}: payment ${wrongFee}`, 'has a fee other than the planned one, which its delegator pays');
  payments.forEach((payment, index) => {
    if (payment.nonce !== payments[0]!.nonce + BigInt(index))
      throw signedError(`${path}: payment ${index}`, `has nonce ${payment.nonce}; nonces must be consecutive`);
  });
  const commitment = parsed['version'] === 1 ? null : signedCommitment(parsed, path, plan, sender, verifier?.client ?? null);
  return { planHash: plan.planHash, network: plan.network, epoch: plan.epoch, sender, payments, commitment };
}

/**
 * The commitment signed.json carries: the plan's own (root, leaves and
 * totals recomputed from the plan), and with `verifier` its signature by
 * the sender checked.
 */
function signedCommitment(parsed: Record<string, unknown>, path: string, plan: StoredPlan, sender: string, client: Client | null): SignedCommitment | null {
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
  if (client !== null && !commitmentSignatureHolds(client, commitment)) {
    throw signedError(path, `has a commitment signature that does not verify for ${sender} on ${plan.network}`);
  }
  return commitment;
}

/** One payment of signed.json; `verifier` recomputes its signature and hash, null trusts them. */
function checkedPayment(
  entry: Record<string, unknown>,
  planned: PlannedPayment,
  sender: string,
  where: string,
  verifier: { client: Client; network: string } | null,
): SignedPayment {
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
  if (verifier !== null) {
    if (!signatureHolds(verifier.client, { data, signature })) throw signedError(where, `has a signature that does not verify on ${verifier.network}`);
    const recomputed = transactionHash(verifier.client, { data, signature });
    if (recomputed !== hash) throw signedError(where, `has hash ${hash}; its payment hashes to ${recomputed}`);
  }
  return { pk: line.pk, nonce, hash, data, signature };
}

function signedError(where: string, problem: string): MinapayError {
  return new MinapayError('SIGNED_INVALID', `${where} ${problem}`);
}
