import { csvPieces } from '../io/csv.js';
import { joined } from '../io/text-pieces.js';
import { formatMina, sharePercent } from '../protocol/amounts.js';
import { linePayees, type PlanLine } from './plan.js';
import { formatPercent, type StoredPlan } from './plan-file.js';

/** The columns of report.csv, and of `payout report` as CSV before its plan_hash: one set of names for delegators. */
export const REPORT_COLUMNS = [
  'epoch',
  'pool',
  'blocks_won',
  'pk',
  'pay_to',
  'kind',
  'stake_mina',
  'share_percent',
  'gross_mina',
  'commission_percent',
  'commission_mina',
  'carried_in_mina',
  'payout_mina',
  'tx_fee_mina',
  'fee_paid_by',
  'carried_out_mina',
  'memo',
  'new_account',
  'account_fee_mina',
  'nonce',
  'tx_hash',
  'status',
] as const;

/** What every row of an epoch's report shares. */
export interface ReportEpoch {
  readonly epoch: number;
  /** The pool's first key, as the journal names the pool. */
  readonly pool: string;
  /** The blocks the pool won in the epoch, whose rewards the report shares out. */
  readonly blocksWon: number;
  readonly feePayer: 'pool' | 'delegator';
  /** The pool's stake, for each account's share. */
  readonly totalStake: bigint;
}

/** The report's view of a stored plan. */
export function reportEpochOf(plan: StoredPlan): ReportEpoch {
  return {
    epoch: plan.epoch,
    pool: plan.pools[0]!,
    blocksWon: plan.inputs.blocks.count,
    feePayer: plan.terms.feePayer,
    totalStake: plan.inputs.ledger.totalStake,
  };
}

/**
 * Where a line's payment stands: planned, then signed; payout send makes it broadcast (outcome unknown), pending (in the
 * daemon's pool), included (on chain), final (deep enough: paid), failed (on chain, with a failure status), void (its nonce
 * taken by another transaction), rejected, or dropped (the daemon's pool let it go; broadcast again after a back-off).
 */
export type PaymentStatus = 'signed' | 'broadcast' | 'pending' | 'included' | 'final' | 'failed' | 'void' | 'rejected' | 'dropped';

export interface LinePayment {
  readonly nonce: bigint;
  readonly hash: string;
  readonly status: PaymentStatus;
  /** The memo the signed payment carries: the one actually sent. */
  readonly memo: string;
}

/** Payments by the account they pay for and the address they pay: a split payout makes several for one account. */
export function paymentKey(pk: string, payTo: string): string {
  return `${pk} ${payTo}`;
}

/**
 * One row of a report: a line's payment to one address. A split payout's
 * further payments are rows of their own that leave the account's figures
 * (stake, share, commission, carries) to its first row, so that columns
 * still add up.
 */
export interface PaymentRow {
  readonly line: PlanLine;
  readonly payTo: string;
  readonly amount: bigint;
  readonly txFee: bigint;
  /** pay-fee: the account creation fee the pool adds to this payment. */
  readonly accountCreationFee: bigint;
  /** A split payout's second or later payment. */
  readonly continued: boolean;
}

export function paymentRows(line: PlanLine): PaymentRow[] {
  return linePayees(line).map((payee, index) => ({
    line,
    payTo: payee.payTo,
    amount: payee.amount,
    txFee: payee.txFee,
    accountCreationFee: payee.accountCreationFee ?? 0n,
    continued: index > 0,
  }));
}

/**
 * report.csv for delegators: one row per account (per address of a split
 * payout), MINA with 9 decimals, rates and shares in percent, and the
 * payment once signed.
 */
export function delegatorReport(epoch: ReportEpoch, lines: readonly PlanLine[], payments: ReadonlyMap<string, LinePayment> = new Map()): string {
  return joined(delegatorReportPieces(epoch, lines, payments));
}

/** delegatorReport's text in pieces, a few dozen rows at a time. */
export function delegatorReportPieces(
  epoch: ReportEpoch,
  lines: readonly PlanLine[],
  payments: ReadonlyMap<string, LinePayment> = new Map(),
): Generator<string> {
  return csvPieces(reportRows(epoch, lines, payments), REPORT_COLUMNS);
}

function* reportRows(epoch: ReportEpoch, lines: readonly PlanLine[], payments: ReadonlyMap<string, LinePayment>): Generator<string[]> {
  for (const line of lines) {
    for (const row of paymentRows(line)) {
      // A plan's report has no payments yet: no key to make for each of its rows.
      yield reportCells(row, epoch, payments.size === 0 ? undefined : payments.get(paymentKey(row.line.pk, row.payTo)));
    }
  }
}

/** One row's cells, in REPORT_COLUMNS order. */
export function reportCells(row: PaymentRow, epoch: ReportEpoch, payment: LinePayment | undefined): string[] {
  const { line } = row;
  // A split payout's later rows leave the account's figures to its first.
  const first = !row.continued;
  return [
    String(epoch.epoch),
    epoch.pool,
    String(epoch.blocksWon),
    line.pk,
    row.payTo,
    line.kind,
    first ? formatMina(line.stake) : '',
    first ? sharePercent(line.stake, epoch.totalStake) : '',
    first ? formatMina(line.gross) : '',
    first ? formatPercent(line.commissionRate) : '',
    first ? formatMina(line.commission) : '',
    first ? formatMina(line.carriedIn) : '',
    formatMina(row.amount),
    formatMina(row.txFee),
    row.amount > 0n ? feePaidBy(line, epoch) : '',
    first ? formatMina(line.carriedOut) : '',
    payment?.memo ?? line.memo ?? '',
    // What was done for a payee without an account: the pool pays the creation fee on top (pay-fee), skip, allow.
    line.newAccount ?? '',
    row.accountCreationFee > 0n ? formatMina(row.accountCreationFee) : '',
    ...paymentColumns(row.amount, payment),
  ];
}

/** Who pays a payment's transaction fee: the pool, or with --fee-payer delegator the delegator out of its amount (never for a burn). */
function feePaidBy(line: PlanLine, epoch: ReportEpoch): string {
  return line.kind === 'burn' ? 'pool' : epoch.feePayer;
}

/** nonce, tx_hash and status of a payment: once signed, its own; `planned` before; empty when nothing is owed. */
export function paymentColumns(amount: bigint, payment: LinePayment | undefined): string[] {
  if (payment !== undefined) return [payment.nonce.toString(), payment.hash, payment.status];
  return ['', '', amount > 0n ? 'planned' : ''];
}
