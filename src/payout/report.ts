import { formatCsv } from '../io/csv.js';
import { formatMina, sharePercent } from '../protocol/amounts.js';
import { linePayees, type PlanLine } from './plan.js';
import { formatRate } from './plan-file.js';

export const REPORT_COLUMNS = [
  'pk',
  'pay_to',
  'kind',
  'stake_mina',
  'share_percent',
  'gross_mina',
  'commission_rate',
  'commission_mina',
  'carried_in_mina',
  'payout_mina',
  'tx_fee_mina',
  'carried_out_mina',
  'memo',
  'new_account',
  'account_fee_mina',
  'nonce',
  'tx_hash',
  'status',
] as const;

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
 * payout), MINA with 9 decimals, share of the pool's stake in percent, and
 * the payment once signed.
 */
export function delegatorReport(lines: readonly PlanLine[], totalStake: bigint, payments: ReadonlyMap<string, LinePayment> = new Map()): string {
  return formatCsv(
    lines.flatMap(paymentRows).map((row) => {
      const { line } = row;
      const account = (cell: () => string) => (row.continued ? '' : cell());
      return [
        line.pk,
        row.payTo,
        line.kind,
        account(() => formatMina(line.stake)),
        account(() => sharePercent(line.stake, totalStake)),
        account(() => formatMina(line.gross)),
        account(() => formatRate(line.commissionRate)),
        account(() => formatMina(line.commission)),
        account(() => formatMina(line.carriedIn)),
        formatMina(row.amount),
        formatMina(row.txFee),
        account(() => formatMina(line.carriedOut)),
        line.memo ?? '',
        // What was done for a payee without an account: the pool pays the creation fee on top (pay-fee), skip, allow.
        line.newAccount ?? '',
        row.accountCreationFee > 0n ? formatMina(row.accountCreationFee) : '',
        ...paymentColumns(row.amount, payments.get(paymentKey(line.pk, row.payTo))),
      ];
    }),
    REPORT_COLUMNS,
  );
}

/** nonce, tx_hash and status of a payment: once signed, its own; `planned` before; empty when nothing is owed. */
export function paymentColumns(amount: bigint, payment: LinePayment | undefined): string[] {
  if (payment !== undefined) return [payment.nonce.toString(), payment.hash, payment.status];
  return ['', '', amount > 0n ? 'planned' : ''];
}
