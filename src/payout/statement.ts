import type Client from 'mina-signer';

import { MinapayError } from '../errors.js';
import { JsonFields } from '../io/json-fields.js';
import { parseVersionedDocument } from '../io/versioned-document.js';
import type { Network } from '../protocol/eras.js';
import { publicKeyProblem } from '../protocol/keys.js';
import { merkleHeight, merklePath, merkleRootFromPath } from '../protocol/merkle-tree.js';
import {
  commitmentMemo,
  commitmentSignatureHolds,
  leafHash,
  leafValues,
  MEMO_PREFIX,
  planCommitment,
  type LeafValues,
  type PlanCommitment,
  type SignedCommitment,
} from './commitment.js';
import type { StoredPlan } from './plan-file.js';
import { paymentKey, type LinePayment } from './report.js';
import type { BlockRef, SendRecord } from './send-log.js';
import { signatureHolds, transactionHash } from './sign.js';
import type { PaymentData, PaymentSignature, SignedPayment, SignedPayments } from './signed-file.js';
import type { Daemon } from './daemon.js';
import type { EpochPayments } from './epoch-payments.js';
import { BEST_CHAIN_BLOCKS, currentPayments } from './send.js';
import { type EpochBatch, linePayments } from './status.js';
import { paymentId } from './transaction-id.js';

/**
 * A delegator's statement: its plan line as the commitment's leaf, the
 * leaf's Merkle path to the root, the root signed by the sender, and the
 * signed payments with their state when the statement was written (one, or
 * one per address of a split payout, or none). Everything
 * in it is checked by verifyStatement without trusting the pool: the leaf
 * by hashing it, the path by leading to the root, the root by the signature,
 * the payment by its own signature and hash. Only the state (and its block)
 * is the pool's word until a daemon confirms it (`--graphql`).
 */
export interface Statement {
  readonly leaf: LeafValues;
  readonly leafHash: bigint;
  /** The leaf's position among the plan's lines (key order). */
  readonly position: number;
  /** Siblings from the leaves up. */
  readonly path: readonly bigint[];
  readonly commitment: SignedCommitment & { readonly memo: string };
  /** The line's signed payments, in signing order; their amounts add up to the leaf's amount and accountCreationFee. */
  readonly payments: readonly StatementPayment[];
  /**
   * What the pool added to the payments for payees without an account (`payout sign --new-accounts pay-fee`): the chain takes
   * it, so that the payee receives the leaf's amount. 0 when nothing was added (and absent from the statement's file).
   */
  readonly accountCreationFee?: bigint | undefined;
}

export interface StatementPayment {
  readonly hash: string;
  readonly data: PaymentData;
  readonly signature: PaymentSignature;
  /** As report.csv says it: signed, broadcast, pending, included, final, failed, void, rejected or dropped (format 2 of before: sending, accepted). */
  readonly state: StatementState;
  /** The block the send log saw it in (included or failed). */
  readonly block: BlockRef | null;
}

/**
 * Bumped when the layout of a statement changes. Format 2 lists the line's
 * `payments` (a split payout has several) where format 1 had one `payment`
 * or null; format 1 is still read.
 */
export const STATEMENT_FORMAT_VERSION = 2;
const STATEMENT_FORMATS_READ = [1];
/** The states a statement may name: today's, and those of statements written before payments were followed to finality. */
type StatementState = LinePayment['status'] | 'sending' | 'accepted';
const STATES: readonly StatementState[] = [
  'signed',
  'broadcast',
  'pending',
  'included',
  'final',
  'failed',
  'void',
  'rejected',
  'dropped',
  'sending',
  'accepted',
];

/**
 * The statements of a signed epoch. The plan's tree is recomputed from its
 * lines and must have the root the plan records, and the sender's signature
 * of it must hold: a statement is never written for a commitment that does
 * not stand.
 */
export function signedEpochStatements(
  epoch: Pick<EpochPayments, 'plan' | 'signed' | 'records'> & Partial<Pick<EpochPayments, 'batch'>>,
  planPath: string,
  client: Client,
): Statement[] {
  const { plan, signed, records } = epoch;
  if (plan.commitment === null) {
    throw new MinapayError('STATEMENT_UNAVAILABLE', `${planPath} is of plan format 1, planned before commitments: it has no statements`);
  }
  if (signed === null) throw new MinapayError('STATEMENT_UNAVAILABLE', `${planPath}: epoch ${plan.epoch} is not signed yet: run payout sign first`);
  const signedCommitment = signed.commitment ?? null;
  if (signedCommitment === null) {
    throw new MinapayError('STATEMENT_UNAVAILABLE', `${planPath}: its signed.json (format 1) has no signed commitment: statements need one`);
  }
  const commitment = planCommitment(plan.lines, plan.epoch, plan.network);
  if (commitment.root !== plan.commitment.root) {
    throw new MinapayError('PLAN_INVALID', `${planPath}: its lines commit to root ${commitment.root}, not to the recorded ${plan.commitment.root}`);
  }
  if (!commitmentSignatureHolds(client, signedCommitment)) {
    throw new MinapayError('SIGNED_INVALID', `${planPath}: the commitment signature in signed.json does not verify for ${signed.sender}`);
  }
  const batch = epoch.batch ?? { sender: signed.sender, payments: signed.payments, supplementOf: new Map<string, number>() };
  return epochStatements(plan, commitment, { ...signed, commitment: signedCommitment }, batch, records);
}

/** The statement of every line of a signed plan, in line order, from the plan's tree. */
function epochStatements(
  plan: StoredPlan,
  commitment: PlanCommitment,
  signed: SignedPayments & { readonly commitment: SignedCommitment },
  batch: EpochBatch,
  records: readonly SendRecord[],
): Statement[] {
  const states = linePayments(batch, records);
  // Each planned payment's current payment: a supplement's replaces a void or failed one of signed.json.
  const byLine = new Map<string, SignedPayment[]>();
  for (const payment of currentPayments(batch.payments)) byLine.set(payment.pk, [...(byLine.get(payment.pk) ?? []), payment]);
  const latest = new Map(records.map((record) => [record.hash, record]));
  const memo = commitmentMemo(signed.commitment.root);
  return plan.lines.map((line, position) => ({
    leaf: leafValues(line, plan.epoch, plan.network),
    leafHash: commitment.tree.levels[0]![position]!,
    position,
    path: merklePath(commitment.tree, position),
    commitment: { ...signed.commitment, memo },
    accountCreationFee: line.accountCreationFee ?? 0n,
    payments: (byLine.get(line.pk) ?? []).map((payment) => {
      const record = latest.get(payment.hash);
      return {
        hash: payment.hash,
        data: payment.data,
        signature: payment.signature,
        state: states.get(paymentKey(payment.pk, payment.data.to))!.status,
        block: record !== undefined && 'block' in record ? record.block : null,
      };
    }),
  }));
}

/** A statement as `<pk>.json` holds it: nanomina and field elements as decimal strings. */
export function statementDocument(statement: Statement): string {
  const { leaf, commitment, payments } = statement;
  const document = {
    version: STATEMENT_FORMAT_VERSION,
    network: leaf.network,
    epoch: leaf.epoch,
    leaf: {
      pk: leaf.pk,
      index: leaf.index,
      stake: leaf.stake.toString(),
      gross: leaf.gross.toString(),
      commission: leaf.commission.toString(),
      amount: leaf.amount.toString(),
      fee: leaf.fee.toString(),
    },
    leafHash: statement.leafHash.toString(),
    position: statement.position,
    path: statement.path.map(String),
    commitment: {
      root: commitment.root.toString(),
      leaves: commitment.leaves,
      totalAmount: commitment.totalAmount.toString(),
      totalStake: commitment.totalStake.toString(),
      memo: commitment.memo,
      signer: commitment.signer,
      signature: commitment.signature,
    },
    payments: payments.map((payment) => ({ ...payment, block: payment.block })),
    accountCreationFee: (statement.accountCreationFee ?? 0n) > 0n ? statement.accountCreationFee!.toString() : undefined,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const NETWORKS: readonly Network[] = ['mainnet', 'devnet'];
const DATA_FIELDS = ['to', 'from', 'amount', 'fee', 'nonce', 'memo', 'validUntil'] as const;

/** Reads a statement back: every field typed, nothing trusted (verifyStatement judges it). */
export function parseStatement(text: string, path: string): Statement {
  const kind = { what: 'statement', version: STATEMENT_FORMAT_VERSION, alsoReads: STATEMENT_FORMATS_READ, code: 'STATEMENT_INVALID' } as const;
  const fields = JsonFields.of(parseVersionedDocument(text, path, kind), path, 'STATEMENT_INVALID');
  const leaf = fields.object('leaf');
  const commitment = fields.object('commitment');
  const pk = leaf.text('pk');
  const signer = commitment.text('signer');
  for (const [name, key, where] of [
    ['pk', pk, leaf],
    ['signer', signer, commitment],
  ] as const) {
    const problem = publicKeyProblem(key);
    if (problem !== null) throw where.problem(name, problem);
  }
  const network = fields.choice('network', NETWORKS);
  const epoch = fields.whole('epoch');
  return {
    leaf: {
      pk,
      index: leaf.nullableWhole('index'),
      stake: leaf.wholeText('stake'),
      gross: leaf.wholeText('gross'),
      commission: leaf.wholeText('commission'),
      amount: leaf.wholeText('amount'),
      fee: leaf.wholeText('fee'),
      epoch,
      network,
    },
    leafHash: fields.fieldText('leafHash'),
    position: fields.whole('position'),
    path: fields.fieldTexts('path'),
    commitment: {
      root: commitment.fieldText('root'),
      epoch,
      network,
      leaves: commitment.whole('leaves'),
      totalAmount: commitment.wholeText('totalAmount'),
      totalStake: commitment.wholeText('totalStake'),
      memo: commitment.text('memo'),
      signer,
      signature: commitment.text('signature'),
    },
    payments: statementPayments(fields),
    accountCreationFee: fields.raw('accountCreationFee') === undefined ? 0n : fields.wholeText('accountCreationFee'),
  };
}

/** A statement's payments: format 2's list, or format 1's one payment (or null, none). */
function statementPayments(fields: JsonFields): StatementPayment[] {
  if (fields.whole('version') >= 2) return fields.objects('payments').map(statementPayment);
  return fields.raw('payment') === null ? [] : [statementPayment(fields.object('payment'))];
}

function statementPayment(payment: JsonFields): StatementPayment {
  const data = payment.object('data');
  const signature = payment.object('signature');
  const block = payment.nullableObject('block');
  return {
    hash: payment.text('hash'),
    data: Object.fromEntries(DATA_FIELDS.map((name) => [name, data.text(name)])) as unknown as PaymentData,
    signature: { field: signature.text('field'), scalar: signature.text('scalar') },
    state: payment.choice('state', STATES),
    block: block === null ? null : { height: block.text('height'), stateHash: block.text('stateHash') },
  };
}

/** One check of a statement, and what it found, in words a delegator reads. */
export interface StatementCheck {
  readonly check: 'leaf' | 'path' | 'root' | 'signature' | 'memo' | 'payment' | 'chain';
  readonly holds: boolean;
  readonly finding: string;
}

/**
 * Checks a statement offline, each part against the others, and says what
 * was altered when something was: the leaf's fields (the amount by name,
 * when the signed payment says otherwise), the path, the root or the
 * signature. The root the path leads to tells a changed root (the signer
 * signed the root the path leads to) from a changed path (the signer signed
 * the stated root).
 */
export function verifyStatement(statement: Statement, client: Client): StatementCheck[] {
  const { commitment, payments } = statement;
  const signedRoot = (root: bigint) => commitmentSignatureHolds(client, { ...commitment, root });
  const computedLeaf = leafHash(statement.leaf);
  const shapeProblem = pathShapeProblem(statement);
  if (shapeProblem !== null) return [failed('path', shapeProblem)];
  const fromLeaf = merkleRootFromPath(computedLeaf, statement.position, statement.path);
  const checks: StatementCheck[] = [];
  if (computedLeaf !== statement.leafHash) {
    const fromStated = merkleRootFromPath(statement.leafHash, statement.position, statement.path);
    if (fromLeaf === commitment.root) checks.push(failed('leaf', `leafHash was altered: the leaf's fields hash to ${computedLeaf}, which leads to the root`));
    else if (fromStated === commitment.root) checks.push(failed('leaf', alteredLeaf(statement, computedLeaf)));
    else checks.push(failed('leaf', `the leaf and its path were altered: neither the leaf's fields nor leafHash lead to root ${commitment.root}`));
  } else {
    checks.push(held('leaf', `the leaf's fields hash to its leafHash ${computedLeaf}`));
  }
  if (fromLeaf === commitment.root) {
    checks.push(held('path', `the path of leaf ${statement.position} leads to root ${commitment.root}`));
  } else if (computedLeaf === statement.leafHash) {
    if (signedRoot(commitment.root)) {
      checks.push(failed('path', `the path was altered: leaf ${statement.position} and its siblings lead to ${fromLeaf}, not to the signed root`));
    } else if (signedRoot(fromLeaf)) {
      checks.push(failed('root', `the root was altered: the path leads to ${fromLeaf}, which ${commitment.signer} signed, not to ${commitment.root}`));
    } else {
      checks.push(
        failed('path', `the path leads to ${fromLeaf}, not to root ${commitment.root}, and neither is signed: the path, root or signature was altered`),
      );
    }
  }
  checks.push(signatureCheck(statement, signedRoot(commitment.root)));
  checks.push(memoCheck(commitment));
  for (const payment of payments) checks.push(paymentCheck(statement, payment, client));
  checks.push(...amountCheck(statement));
  return checks;
}

function held(check: StatementCheck['check'], finding: string): StatementCheck {
  return { check, holds: true, finding };
}

function failed(check: StatementCheck['check'], finding: string): StatementCheck {
  return { check, holds: false, finding };
}

/** A path that cannot belong to the committed tree, whatever its values: the wrong length, or a position past the leaves. */
function pathShapeProblem(statement: Statement): string | null {
  const { leaves } = statement.commitment;
  const siblings = merkleHeight(leaves) - 1;
  if (statement.path.length !== siblings) {
    return `the path was altered: it has ${statement.path.length} siblings; a tree of ${leaves} leaves has ${siblings} (or the leaf count was altered)`;
  }
  if (statement.position >= leaves) return `the path was altered: position ${statement.position} is past the tree's ${leaves} leaves`;
  return null;
}

/** What the signed payments pay in all. */
function paidAmount(payments: readonly StatementPayment[]): bigint {
  return payments.reduce((sum, payment) => sum + BigInt(payment.data.amount), 0n);
}

/** What the payments must add up to: the leaf's amount, and the account creation fees the pool added. */
function owedAmount(statement: Statement): bigint {
  return statement.leaf.amount + (statement.accountCreationFee ?? 0n);
}

/** Which of the leaf's fields changed, when the signed payments can tell; otherwise all that could have. */
function alteredLeaf(statement: Statement, computedLeaf: bigint): string {
  const { leaf, payments } = statement;
  if (payments.length > 0 && paidAmount(payments) !== owedAmount(statement)) {
    const paid = payments.length === 1 ? 'the signed payment' : `the ${payments.length} signed payments`;
    return `the amount was altered: the statement says ${leaf.amount} nanomina, ${paid} ${paidAmount(payments)}`;
  }
  return (
    `the leaf's fields were altered (pk, index, stake, gross, commission, amount, fee, epoch or network): ` +
    `they hash to ${computedLeaf}, not to the leafHash the path leads from`
  );
}

function signatureCheck(statement: Statement, holds: boolean): StatementCheck {
  const { commitment } = statement;
  const figures =
    `root, epoch ${commitment.epoch}, network ${commitment.network}, ${commitment.leaves} leaves, ` +
    `total amount ${commitment.totalAmount} and total stake ${commitment.totalStake}`;
  if (holds) return held('signature', `${commitment.signer} signed ${figures}`);
  return failed('signature', `the signature was altered: it is not ${commitment.signer}'s over ${figures} (or the signer or one of these was altered)`);
}

function memoCheck(commitment: Statement['commitment']): StatementCheck {
  const expected = commitmentMemo(commitment.root);
  if (commitment.memo === expected) return held('memo', `the commitment's memo is ${expected}`);
  return failed('memo', `the memo was altered: root ${commitment.root} gives the memo ${expected}, not ${commitment.memo}`);
}

/** One signed payment of the line: the signer's, unaltered (signature and hash), with this commitment's memo or none. */
function paymentCheck(statement: Statement, payment: StatementPayment, client: Client): StatementCheck {
  const { commitment } = statement;
  const { data } = payment;
  if (data.from !== commitment.signer) return failed('payment', `the payment is from ${data.from}, not from the signer ${commitment.signer}`);
  if (!signatureHolds(client, payment)) return failed('payment', `the payment was altered: its signature is not ${data.from}'s over its fields`);
  const recomputed = transactionHash(client, payment);
  if (recomputed !== payment.hash) return failed('payment', `the payment's hash was altered: its fields hash to ${recomputed}, not ${payment.hash}`);
  const memo = data.memo.startsWith(MEMO_PREFIX)
    ? data.memo === commitment.memo
      ? `its memo ${data.memo} carries this commitment`
      : null
    : `its memo ${JSON.stringify(data.memo)} does not carry the commitment`;
  if (memo === null) return failed('payment', `the payment's memo ${data.memo} is another commitment's, not ${commitment.memo}`);
  const where = payment.block === null ? '' : ` in block ${payment.block.height} (${payment.block.stateHash})`;
  return held(
    'payment',
    `${data.from} signed ${data.amount} nanomina to ${data.to}, nonce ${data.nonce}, hash ${payment.hash}; ${memo}; ` +
      `${payment.state}${where} when the statement was written`,
  );
}

/**
 * The payments must add up to the leaf's amount: one payment pays it all,
 * a split payout's payments together (signing refuses a split that would
 * pay part of it to the sender). With none, the amount goes to the
 * sender's own key: it pays itself nothing.
 */
function amountCheck(statement: Statement): StatementCheck[] {
  const { leaf, payments, commitment } = statement;
  if (payments.length === 0) {
    return leaf.amount > 0n ? [held('payment', `no payment: the amount goes to the sender's own key, ${commitment.signer}`)] : [];
  }
  const paid = paidAmount(payments);
  const fee = statement.accountCreationFee ?? 0n;
  const owed = fee > 0n ? `the leaf ${leaf.amount} and the account creation fee ${fee}` : `the leaf ${leaf.amount}`;
  const what = payments.length === 1 ? 'the payment pays' : `the ${payments.length} payments pay`;
  if (paid !== owedAmount(statement)) return [failed('payment', `${what} ${paid} nanomina, ${owed}`)];
  if (fee > 0n) {
    const them = payments.length === 1 ? 'the payment pays' : `the ${payments.length} payments of the split payout add up to`;
    return [held('payment', `${them} the leaf's ${leaf.amount} nanomina and ${fee} the pool added: the account creation fee of a payee without an account`)];
  }
  return payments.length === 1 ? [] : [held('payment', `the ${payments.length} payments of the split payout add up to the leaf's ${leaf.amount} nanomina`)];
}

/**
 * Asks a daemon whether each of the statement's payments is on its best
 * chain (the last k blocks it holds) and with which memo: on chain,
 * applied, with the memo the statement's payment has, whose commitment
 * (when it carries one) is the root's; and in the block the statement
 * names, if it names one. The first payment that fails is the finding;
 * when all hold, their findings together.
 */
export async function chainCheck(statement: Statement, daemon: Daemon): Promise<StatementCheck> {
  if (statement.payments.length === 0) return held('chain', 'no payment to look for on chain');
  const checks: StatementCheck[] = [];
  for (const payment of statement.payments) {
    const check = await paymentChainCheck(payment, statement.commitment, daemon);
    if (!check.holds) return check;
    checks.push(check);
  }
  return held('chain', checks.map((check) => check.finding).join('; '));
}

async function paymentChainCheck(payment: StatementPayment, commitment: Statement['commitment'], daemon: Daemon): Promise<StatementCheck> {
  for (const block of await daemon.bestChain(BEST_CHAIN_BLOCKS)) {
    const command = block.userCommands.find((candidate) => candidate.hash === payment.hash);
    if (command === undefined) continue;
    const where = `block ${block.height} (${block.stateHash})`;
    if (command.failureReason !== null) return failed('chain', `payment ${payment.hash} failed on chain in ${where}: ${command.failureReason}`);
    if (command.memo !== payment.data.memo) {
      return failed(
        'chain',
        `payment ${payment.hash} is on chain in ${where} with memo ${JSON.stringify(command.memo)}, not ${JSON.stringify(payment.data.memo)}`,
      );
    }
    if (payment.block !== null && payment.block.stateHash !== block.stateHash) {
      return failed(
        'chain',
        `the payment's block was altered: the statement names block ${payment.block.height} (${payment.block.stateHash}); it is in ${where}`,
      );
    }
    const attests = command.memo === commitment.memo ? `its memo ${command.memo} commits to root ${commitment.root}` : 'its memo carries no commitment';
    return held('chain', `payment ${payment.hash} is on the daemon's best chain in ${where}, applied; ${attests}`);
  }
  const status = await daemon.transactionStatus(paymentId(payment));
  const claim = payment.state === 'included' || payment.state === 'failed' ? `the state was altered: the statement says ${payment.state}, but ` : '';
  if (status === 'PENDING') return failed('chain', `${claim}payment ${payment.hash} is in the daemon's pool, not yet on its best chain`);
  return failed(
    'chain',
    `${claim}payment ${payment.hash} is neither on the daemon's best chain (its last ${BEST_CHAIN_BLOCKS} blocks) nor in its pool: ` +
      'one included longer ago is out of its sight (an archive node or explorer has it)',
  );
}
