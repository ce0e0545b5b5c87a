import { formatCsv } from '../io/csv.js';
import { formatMina, sharePercent } from '../protocol/amounts.js';
import type { PlanLine } from './plan.js';
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
  'nonce',
  'tx_hash',
  'status',
] as const;

/**
 * Where a line's payment stands: planned, then signed; payout send makes it sending (outcome unknown), accepted (in the
 * daemon's pool), included or failed (on chain), void (its nonce taken by another transaction) or rejected.
 */
export interface LinePayment {
  readonly nonce: bigint;
  readonly hash: string;
  readonly status: 'signed' | 'sending' | 'accepted' | 'included' | 'failed' | 'void' | 'rejected';
}

/**
 * report.csv for delegators: one row per account, MINA with 9 decimals,
 * share of the pool's stake in percent, and the payment once signed.
 */
export function delegatorReport(lines: readonly PlanLine[], totalStake: bigint, payments: ReadonlyMap<string, LinePayment> = new Map()): string {
  return formatCsv(
    lines.map((line) => [
      line.pk,
      line.payTo,
      line.kind,
      formatMina(line.stake),
      sharePercent(line.stake, totalStake),
      formatMina(line.gross),
      formatRate(line.commissionRate),
      formatMina(line.commission),
      formatMina(line.carriedIn),
      formatMina(line.amount),
      formatMina(line.txFee),
      formatMina(line.carriedOut),
      line.memo ?? '',
      ...paymentColumns(line, payments.get(line.pk)),
    ]),
    REPORT_COLUMNS,
  );
}

/** nonce, tx_hash and status of a line: its payment once signed, `planned` before, empty when nothing is owed. */
export function paymentColumns(line: PlanLine, payment: LinePayment | undefined): string[] {
  if (payment !== undefined) return [payment.nonce.toString(), payment.hash, payment.status];
  return ['', '', line.amount > 0n ? 'planned' : ''];
}
