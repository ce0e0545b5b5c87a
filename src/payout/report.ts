import { stringify } from 'csv-stringify/sync';

import { formatMina, sharePercent } from '../protocol/amounts.js';
import type { StoredLine } from './plan-file.js';

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
] as const;

/** report.csv for delegators: one row per account, MINA with 9 decimals, share of the pool's stake in percent. */
export function delegatorReport(lines: readonly StoredLine[], totalStake: bigint): string {
  return stringify(
    lines.map((line) => [
      line.pk,
      line.payTo,
      line.kind,
      formatMina(line.stake),
      sharePercent(line.stake, totalStake),
      formatMina(line.gross),
      line.commissionRate,
      formatMina(line.commission),
      formatMina(line.carriedIn),
      formatMina(line.amount),
      formatMina(line.txFee),
      formatMina(line.carriedOut),
      line.memo ?? '',
    ]),
    { header: true, columns: [...REPORT_COLUMNS] },
  );
}
